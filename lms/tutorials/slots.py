"""A tutor's availability (weekly windows, exceptions, slot settings) and the individual-
tutorial slots it offers, from their weekly availability and exceptions
(`lms.tutorials.availability` does the arithmetic) minus what is already booked."""

from datetime import UTC, date, datetime, timedelta

from lms.errors import InvalidInput
from lms.extensions import db
from lms.timeutil import utcnow
from lms.tutorials.availability import Blocked, Window, offered_slots
from lms.tutorials.models import (
    AvailabilityException,
    AvailabilityWindow,
    TutorialSession,
    TutorSettings,
)
from lms.tutorials.operations import config_hours, settings_of

_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def _windows(tutor_id: int) -> list[Window]:
    return [Window(w.weekday, w.starts, w.ends) for w in db.session.execute(
        db.select(AvailabilityWindow).where(AvailabilityWindow.tutor_id == tutor_id)).scalars()]


def _blocked(tutor_id: int, first_day: date, last_day: date) -> list[Blocked]:
    return [Blocked(e.first_day, e.last_day, e.starts, e.ends) for e in db.session.execute(
        db.select(AvailabilityException).where(
            AvailabilityException.tutor_id == tutor_id,
            AvailabilityException.first_day <= last_day,
            AvailabilityException.last_day >= first_day)).scalars()]


def slot_grid(tutor_id: int, first_day: date, last_day: date):
    """Every slot the tutor's availability makes on those London days, taken or not, past
    or not."""
    settings = settings_of(tutor_id)
    return offered_slots(_windows(tutor_id), _blocked(tutor_id, first_day, last_day), [],
                         first_day, last_day, settings.slot_minutes, settings.buffer_minutes,
                         _EARLIEST)


def free_slots(tutor_id: int, first_day: date, last_day: date,
               except_session: int | None = None):
    """The slots a learner may book: on those London days, from the booking notice ahead
    (TUTORIAL_BOOKING_NOTICE_HOURS), clear of the tutor's live sessions and their buffer."""
    settings = settings_of(tutor_id)
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    end = datetime.combine(last_day, datetime.min.time(), tzinfo=UTC) + timedelta(days=2)
    statement = db.select(TutorialSession.starts_at, TutorialSession.ends_at).where(
        TutorialSession.tutor_id == tutor_id, TutorialSession.status == "scheduled",
        TutorialSession.starts_at < end, TutorialSession.ends_at > start)
    if except_session is not None:
        statement = statement.where(TutorialSession.id != except_session)
    busy = [(row.starts_at, row.ends_at) for row in db.session.execute(statement)]
    return offered_slots(_windows(tutor_id), _blocked(tutor_id, first_day, last_day), busy,
                         first_day, last_day, settings.slot_minutes, settings.buffer_minutes,
                         utcnow() + config_hours("TUTORIAL_BOOKING_NOTICE_HOURS"))


def set_availability(tutor_id: int, windows: list[dict], slot_minutes: int | None,
                     buffer_minutes: int | None) -> None:
    """Replace a tutor's weekly windows (and, when given, slot length and buffer). Tutorials
    already booked stay as they are."""
    # Sorted with their places in the request, so that the error names the windows as given.
    ordered = sorted(enumerate(windows), key=lambda pair: (pair[1]["weekday"], pair[1]["starts"]))
    for (i, a), (j, b) in zip(ordered, ordered[1:], strict=False):
        if a["weekday"] == b["weekday"] and b["starts"] < a["ends"]:
            first, later = sorted((i, j))
            raise InvalidInput.field(f"windows[{later}]", f"overlaps windows[{first}] on the "
                                     "same day")
    db.session.execute(db.delete(AvailabilityWindow)
                       .where(AvailabilityWindow.tutor_id == tutor_id))
    for _, window in ordered:
        db.session.add(AvailabilityWindow(tutor_id=tutor_id, **window))
    settings = db.session.get(TutorSettings, tutor_id)
    if settings is None:
        settings = settings_of(tutor_id)
        db.session.add(settings)
    if slot_minutes is not None:
        settings.slot_minutes = slot_minutes
    if buffer_minutes is not None:
        settings.buffer_minutes = buffer_minutes
    db.session.flush()
