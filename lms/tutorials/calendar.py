"""iCalendar documents for tutorials: invitations (and their cancellations) sent by email,
and each person's subscribable calendar feed.

Times are written in Europe/London with the zone's VTIMEZONE included, so that Outlook,
Google and Apple calendars show 10:00 as 10:00 whatever zone the reader is in. Documents are
built with the `icalendar` library, which escapes text, folds long lines and writes CRLF.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, vCalAddress

from lms.timeutil import LONDON, utcnow

PRODID = "-//Pathway//Tutorials//EN"
METHODS = ("REQUEST", "CANCEL")


@dataclass
class Person:
    """Someone named in an event: its organiser (the tutor) or an attendee."""

    name: str
    email: str


@dataclass
class CalendarEvent:
    """One tutorial session as a calendar shows it."""

    uid: str  # stable, e.g. "<uuid>@pathway.example" (see event_uid)
    sequence: int  # raised on every change the attendee should see, cancellation included
    starts_at: datetime  # aware UTC
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""  # the online meeting link, if any
    url: str = ""
    organizer: Person | None = None
    attendees: list[Person] = field(default_factory=list)
    cancelled: bool = False
    stamp: datetime | None = None  # DTSTAMP (default now, UTC)


def event_uid(kind: str, uid: str, base_url: str) -> str:
    """A globally unique, stable UID for an event: f"{kind}-{uid}@{host}", host being the
    base URL's host name (so two Pathway sites never share a UID)."""
    host = urlsplit(base_url).hostname
    if not host:
        raise ValueError(f"no host name in base URL {base_url!r}")
    return f"{kind}-{uid}@{host}"


def invitation(event: CalendarEvent, method: str) -> str:
    """An iTIP invitation for `event`: method "REQUEST" (new or changed) or "CANCEL" (the
    caller passes a raised sequence). Returned as text with CRLF line endings."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    cancelling = method == "CANCEL"
    calendar = _calendar(method, [event])
    vevent = _vevent(event, cancelled=cancelling or event.cancelled)
    for person in event.attendees:
        vevent.add("attendee", _address(
            person,
            ROLE="REQ-PARTICIPANT",
            # Learners book the session themselves: there is nothing to accept or decline.
            PARTSTAT=None if cancelling else "ACCEPTED",
            RSVP="FALSE",
            CUTYPE="INDIVIDUAL",
        ))
    calendar.add_component(vevent)
    return _text(calendar)


def feed(events: list[CalendarEvent], name: str) -> str:
    """A subscribable calendar (METHOD:PUBLISH) named `name`, holding `events` without their
    attendee lists. Returned as text with CRLF line endings."""
    calendar = _calendar("PUBLISH", events)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    # Ask subscribing clients to look again hourly (Outlook reads the X- form, others RFC 7986).
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for event in events:
        calendar.add_component(_vevent(event, cancelled=event.cancelled))
    return _text(calendar)


def _calendar(method: str, events: list[CalendarEvent]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(_london(events))
    return calendar


def _london(events: list[CalendarEvent]) -> Timezone:
    """The Europe/London VTIMEZONE, covering the events' years (and the next) only: the
    definition lists each clock change, and a century of them would swell every email."""
    years = [when.year for event in events for when in (event.starts_at, event.ends_at)]
    years = years or [utcnow().year]
    return Timezone.from_tzid("Europe/London", first_date=date(min(years), 1, 1),
                              last_date=date(max(years) + 2, 1, 1))


def _vevent(event: CalendarEvent, *, cancelled: bool) -> Event:
    starts, ends = _aware(event.starts_at, "starts_at"), _aware(event.ends_at, "ends_at")
    if ends <= starts:
        raise ValueError("an event must end after it starts")
    stamp = _aware(event.stamp, "stamp") if event.stamp else utcnow()

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp.astimezone(UTC).replace(microsecond=0))
    vevent.add("dtstart", starts.astimezone(LONDON))
    vevent.add("dtend", ends.astimezone(LONDON))
    vevent.add("summary", event.summary)
    for name, value in (("description", event.description), ("location", event.location),
                        ("url", event.url)):
        if value:
            vevent.add(name, value)
    if event.organizer:
        vevent.add("organizer", _address(event.organizer))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


def _address(person: Person, **params: str | None) -> vCalAddress:
    """A mailto: address with the person's name as CN and the other parameters given."""
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    address.params.update({name: value for name, value in params.items() if value is not None})
    return address


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value


def _text(calendar: Calendar) -> str:
    return calendar.to_ical().decode("utf-8")
