"""iCalendar invitations and feeds for tutorials, read back as a calendar client would."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from lms.timeutil import LONDON
from lms.tutorials.calendar import (
    CalendarEvent,
    Person,
    event_uid,
    feed,
    invitation,
)

TUTOR = Person("Zoë Ó Briain", "zoe@pathway.example")
LEARNERS = [Person("Sam Patel", "sam@example.com"), Person("Łukasz Żółć, MSc", "lz@example.com")]
STAMP = datetime(2026, 6, 1, 8, 30, 15, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def session(**changes) -> CalendarEvent:
    values = dict(
        uid="session-3f2a@pathway.example",
        sequence=0,
        starts_at=utc(2026, 7, 7, 9),
        ends_at=utc(2026, 7, 7, 10),
        summary="Tutorial: Research methods",
        description="Bring your draft proposal.",
        location="https://meet.example/abc-defg-hij",
        url="https://pathway.example/tutorials/3f2a",
        organizer=TUTOR,
        attendees=list(LEARNERS),
        stamp=STAMP,
    )
    values.update(changes)
    return CalendarEvent(**values)


def parse(text: str) -> Calendar:
    return Calendar.from_ical(text)


def only_event(text: str):
    events = parse(text).events
    assert len(events) == 1
    return events[0]


def lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


# --- the calendar around the event ------------------------------------------------------------


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_invitation_calendar_properties(method):
    calendar = parse(invitation(session(sequence=1), method))
    assert str(calendar["METHOD"]) == method
    assert str(calendar["PRODID"]) == "-//Pathway//Tutorials//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="PUBLISH"):
        invitation(session(), "PUBLISH")


def test_lines_end_with_crlf_only():
    text = invitation(session(description="one\ntwo\r\nthree"), "REQUEST")
    assert isinstance(text, str)
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


# --- times --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("starts_at", "wall"), [
    (utc(2026, 7, 7, 9), "20260707T100000"),  # BST
    (utc(2026, 12, 1, 10), "20261201T100000"),  # GMT
])
def test_start_and_end_are_london_wall_clock_times(starts_at, wall):
    text = invitation(session(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)),
                      "REQUEST")
    assert f"DTSTART;TZID=Europe/London:{wall}" in lines(text)

    event = only_event(text)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert event.start.strftime("%H:%M") == "10:00"
    assert event.end.strftime("%H:%M") == "11:00"
    assert event.start == starts_at  # the same instant
    assert event.end - event.start == timedelta(hours=1)


def test_the_london_timezone_definition_is_included_and_correct():
    text = invitation(session(), "REQUEST")
    timezones = parse(text).timezones
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/London"]
    # A client that only has the VTIMEZONE (not the tz database) must still get the offsets.
    definition = timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2026, 7, 7, 10, tzinfo=definition).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 12, 1, 10, tzinfo=definition).utcoffset() == timedelta(0)


def test_dtstamp_is_utc():
    text = invitation(session(stamp=datetime(2026, 6, 1, 9, 30, 15, tzinfo=LONDON)), "REQUEST")
    assert "DTSTAMP:20260601T083015Z" in lines(text)
    assert only_event(text).DTSTAMP == STAMP


@time_machine.travel(datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC), tick=False)
def test_dtstamp_defaults_to_now():
    assert "DTSTAMP:20260501T120000Z" in lines(invitation(session(stamp=None), "REQUEST"))


def test_naive_or_backwards_times_are_refused():
    with pytest.raises(ValueError, match="starts_at"):
        invitation(session(starts_at=datetime(2026, 7, 7, 9)), "REQUEST")
    with pytest.raises(ValueError, match="end after"):
        invitation(session(ends_at=utc(2026, 7, 7, 9)), "REQUEST")


# --- the event ---------------------------------------------------------------------------------


def test_request_describes_the_session():
    event = only_event(invitation(session(sequence=3), "REQUEST"))
    assert str(event["UID"]) == "session-3f2a@pathway.example"
    assert event["SEQUENCE"] == 3
    assert str(event["SUMMARY"]) == "Tutorial: Research methods"
    assert str(event["DESCRIPTION"]) == "Bring your draft proposal."
    assert str(event["LOCATION"]) == "https://meet.example/abc-defg-hij"
    assert str(event["URL"]) == "https://pathway.example/tutorials/3f2a"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"


def test_empty_optional_texts_are_left_out():
    event = only_event(invitation(session(description="", location="", url=""), "REQUEST"))
    for name in ("DESCRIPTION", "LOCATION", "URL"):
        assert name not in event


def test_organizer_and_attendees_are_mailto_with_names():
    event = only_event(invitation(session(), "REQUEST"))
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:zoe@pathway.example"
    assert organizer.params["CN"] == "Zoë Ó Briain"

    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:sam@example.com", "mailto:lz@example.com"]
    assert [a.params["CN"] for a in attendees] == ["Sam Patel", "Łukasz Żółć, MSc"]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "ACCEPTED"
        assert attendee.params["RSVP"] == "FALSE"
        assert attendee.params["CUTYPE"] == "INDIVIDUAL"


def test_a_single_attendee_and_no_organizer():
    event = only_event(invitation(session(organizer=None, attendees=LEARNERS[:1]), "REQUEST"))
    assert "ORGANIZER" not in event
    assert str(event["ATTENDEE"]) == "mailto:sam@example.com"


def test_a_cancelled_session_sent_as_a_request_says_cancelled():
    event = only_event(invitation(session(cancelled=True, sequence=2), "REQUEST"))
    assert str(event["STATUS"]) == "CANCELLED"


def test_cancel_is_always_cancelled_with_the_raised_sequence():
    text = invitation(session(sequence=4, cancelled=False), "CANCEL")
    event = only_event(text)
    assert str(parse(text)["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 4
    assert str(event["UID"]) == "session-3f2a@pathway.example"
    # The cancellation names who it is for, but asks nothing of them.
    assert [a.params["CN"] for a in event["ATTENDEE"]] == ["Sam Patel", "Łukasz Żółć, MSc"]
    assert all("PARTSTAT" not in a.params for a in event["ATTENDEE"])


# --- text: escaping, folding, non-ASCII ------------------------------------------------------


def test_long_descriptions_are_folded_and_read_back_whole():
    description = ("Read chapter 3, then list three questions; we will go through them.\n"
                   "Zoë's notes: ") + "évaluation – ñ " * 40
    text = invitation(session(description=description), "REQUEST")
    physical = lines(text)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert sum(line.startswith(" ") for line in physical) >= 5  # continuation lines
    assert str(only_event(text)["DESCRIPTION"]) == description


def test_non_ascii_names_and_summary_round_trip():
    text = invitation(session(summary="Tutorial with Zoë Ó Briain – “Año” 📚",
                              organizer=Person("Zoë Ó Briain", "zoe@pathway.example")),
                      "REQUEST")
    event = only_event(text)
    assert str(event["SUMMARY"]) == "Tutorial with Zoë Ó Briain – “Año” 📚"
    assert event["ORGANIZER"].params["CN"] == "Zoë Ó Briain"
    assert event["ATTENDEE"][1].params["CN"] == "Łukasz Żółć, MSc"


def test_a_name_with_quotes_and_separators_round_trips():
    awkward = Person('Pat "PJ" O\'Neil; Jr: Esq', "pj@example.com")
    event = only_event(invitation(session(attendees=[awkward]), "REQUEST"))
    assert event["ATTENDEE"].params["CN"] == 'Pat "PJ" O\'Neil; Jr: Esq'
    assert str(event["ATTENDEE"]) == "mailto:pj@example.com"


# --- feeds --------------------------------------------------------------------------------------


def feed_events() -> list[CalendarEvent]:
    return [
        session(uid="session-1@pathway.example", starts_at=utc(2026, 12, 1, 10),
                ends_at=utc(2026, 12, 1, 11)),
        session(uid="session-2@pathway.example", sequence=2, cancelled=True,
                starts_at=utc(2027, 3, 30, 9), ends_at=utc(2027, 3, 30, 10),
                summary="Group tutorial: Statistics"),
        session(uid="session-3@pathway.example", starts_at=utc(2027, 7, 6, 13),
                ends_at=utc(2027, 7, 6, 14, 30), location=""),
    ]


def test_feed_is_a_named_published_calendar():
    calendar = parse(feed(feed_events(), "Zoë's tutorials – Pathway"))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Zoë's tutorials – Pathway"
    assert str(calendar["PRODID"]) == "-//Pathway//Tutorials//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert "REQUEST" not in feed(feed_events(), "Tutorials")


def test_feed_holds_every_event_with_its_status_and_london_times():
    events = parse(feed(feed_events(), "Tutorials")).events
    assert [str(e["UID"]) for e in events] == [
        "session-1@pathway.example", "session-2@pathway.example", "session-3@pathway.example"]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert [e["SEQUENCE"] for e in events] == [0, 2, 0]
    assert [e.start.strftime("%Y-%m-%d %H:%M") for e in events] == [
        "2026-12-01 10:00", "2027-03-30 10:00", "2027-07-06 14:00"]
    assert all(e["DTSTART"].params["TZID"] == "Europe/London" for e in events)
    assert "LOCATION" not in events[2]


def test_feed_keeps_the_organizer_but_not_the_attendees():
    for event in parse(feed(feed_events(), "Tutorials")).events:
        assert "ATTENDEE" not in event
        assert event["ORGANIZER"].params["CN"] == "Zoë Ó Briain"


def test_feed_has_one_london_timezone_covering_every_event():
    timezones = parse(feed(feed_events(), "Tutorials")).timezones
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/London"]
    definition = timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2026, 12, 1, 10, tzinfo=definition).utcoffset() == timedelta(0)
    assert datetime(2027, 3, 30, 10, tzinfo=definition).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 7, 6, 14, tzinfo=definition).utcoffset() == timedelta(hours=1)


def test_an_empty_feed_is_still_a_valid_calendar():
    text = feed([], "Nothing yet")
    calendar = parse(text)
    assert calendar.events == []
    assert str(calendar["X-WR-CALNAME"]) == "Nothing yet"
    assert "\n" not in text.replace("\r\n", "")


# --- UIDs ---------------------------------------------------------------------------------------


def test_event_uid_uses_the_sites_host_name():
    assert (event_uid("session", "3f2a", "https://Pathway.example:8443/lms/")
            == "session-3f2a@pathway.example")
    assert event_uid("booking", "9", "http://localhost:5000") == "booking-9@localhost"


def test_event_uid_needs_a_host():
    with pytest.raises(ValueError, match="host"):
        event_uid("session", "3f2a", "/relative/only")
