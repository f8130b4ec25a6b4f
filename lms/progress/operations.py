"""What a learner's tutor (or an administrator) changes in an enrolment's progress: extending
the window to complete, with a reason, and recording attendance at a guided activity held
outside Pathway (a live webinar, a tutorial elsewhere), which completes the activity.

The API (`POST /api/v1/enrolments/<id>/extensions`, `.../attendance`) and the tutor's pages
both call these, so both accept and refuse exactly the same."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import joinedload
from tincan import Result

from lms.catalogue.models import Activity, Unit
from lms.delivery.operations import activity_of_enrolment, activity_type
from lms.enrolment.changes import record_change
from lms.enrolment.models import Enrolment, WindowExtension
from lms.errors import Forbidden, InvalidInput
from lms.extensions import db
from lms.progress.record import ATTENDED, activity_statement, record_statements


def may_change(enrolment: Enrolment, user) -> bool:
    """Whether `user` is the learner's tutor or an administrator."""
    return "admin" in user.role_names or enrolment.tutor_id == user.id


def check_tutor_of(enrolment: Enrolment, user) -> None:
    """Forbidden unless `user` is the learner's tutor or an administrator."""
    if not may_change(enrolment, user):
        raise Forbidden("Only the learner's tutor or an administrator may do this.")


def extensions_of(enrolment: Enrolment) -> list[WindowExtension]:
    """The extensions of the enrolment's window, oldest first (with who approved each)."""
    return list(db.session.execute(
        db.select(WindowExtension).where(WindowExtension.enrolment_id == enrolment.id)
        .options(joinedload(WindowExtension.approved_by))
        .order_by(WindowExtension.id)).scalars())


def extend_window(enrolment: Enrolment, window_ends: date, reason: str, by) -> WindowExtension:
    """Move the enrolment's last day to `window_ends` (later than now), noting why and who
    approved it in the extension and the enrolment's history. Flushed; the caller commits."""
    check_tutor_of(enrolment, by)
    if window_ends <= enrolment.window_ends:
        raise InvalidInput.field(
            "window_ends", f"must be after the current end of the window "
            f"({enrolment.window_ends.isoformat()})")
    extension = WindowExtension(enrolment=enrolment, previous_end=enrolment.window_ends,
                                new_end=window_ends, reason=reason.strip(), approved_by=by)
    enrolment.window_ends = window_ends
    db.session.add(extension)
    record_change(enrolment, "extended", by, extension.reason,
                  {"from": {"window_ends": extension.previous_end.isoformat()},
                   "to": {"window_ends": extension.new_end.isoformat()}})
    return extension


def attendable(activity: Activity) -> bool:
    """Whether attendance completes `activity`: guided learning that no tutor's decision on
    evidence completes."""
    return activity.learning == "guided" and not activity_type(activity).assessed


def attendable_activities(enrolment: Enrolment) -> list[Activity]:
    """The enrolment's current guided activities that attendance completes, in unit and
    catalogue order."""
    found = db.session.execute(
        db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
        .where(Unit.qualification_id == enrolment.intake.qualification_id,
               Activity.retired.is_(False), Activity.learning == "guided")
        .options(joinedload(Activity.unit))
        .order_by(Unit.number, Activity.position, Activity.id)).scalars()
    return [activity for activity in found if attendable(activity)]


def record_attendance(enrolment: Enrolment, slug: str, minutes: int,
                      attended_at: datetime | None, by) -> dict:
    """Record that the learner attended the guided activity `slug` for `minutes` from
    `attended_at` (default: now): an `attended` statement with the duration and `by` as
    instructor, which completes the activity. Commits the session first (on SQLite the LRS
    needs the write lock); returns {"statement": its id, "activity": slug}."""
    check_tutor_of(enrolment, by)
    activity = activity_of_enrolment(enrolment, slug)
    if activity_type(activity).assessed:
        raise InvalidInput.field("activity", f"{activity.slug!r} is assessed: only a "
                                 "tutor's decision on evidence completes it, not "
                                 "attendance")
    if activity.learning != "guided":
        raise InvalidInput.field("activity", f"{activity.slug!r} is self-study; attendance "
                                 "is recorded for guided activities only")
    when = attended_at or datetime.now(UTC)
    if when > datetime.now(UTC) + timedelta(minutes=5):
        raise InvalidInput.field("attended_at", "must not be in the future")
    db.session.commit()
    statement = activity_statement(
        enrolment, activity, ATTENDED, when,
        Result(completion=True, duration=timedelta(minutes=minutes)), instructor=by)
    [statement_id] = record_statements([statement])
    return {"statement": statement_id, "activity": activity.slug}
