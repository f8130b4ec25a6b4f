"""Helpers of the availability and individual-tutorial tests: the fixed dates they use, and
reading what people were told (notifications and their invitations)."""

from datetime import UTC, date, datetime

import icalendar

from lms.timeutil import LONDON

# Thursday 26 November 2026, 09:00 in London (on GMT, so UTC too): the tests' clock. The dates
# the tests use are fixed against it: the Tuesdays below, the spring clock change of 2027, and
# the end of the learners' window (the test intake starts 2 June 2026; 18 months on).
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TUESDAY = date(2026, 12, 1)
NEXT_TUESDAY = date(2026, 12, 8)
WINDOW_ENDS = date(2027, 12, 2)


def local(instant: str) -> str:
    """An API time as a Londoner reads it: "YYYY-MM-DD HH:MM"."""
    return f"{datetime.fromisoformat(instant).astimezone(LONDON):%Y-%m-%d %H:%M}"


def messages(db, user) -> list:
    """The notifications stored for `user`, oldest first."""
    from lms.notifications.models import Notification

    return list(db.session.execute(db.select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id)).scalars())


def invitation_of(notification) -> tuple[str, icalendar.Event]:
    """The METHOD and the one event of the invitation a notification carries."""
    assert notification.calendar, f"{notification.kind} carries no invitation"
    calendar = icalendar.Calendar.from_ical(notification.calendar)
    [event] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event
