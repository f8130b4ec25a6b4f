"""Changes to an enrolment: withdrawal, deferral to a later intake, transfer of a cohort seat
to another learner of the organisation; each kept as an `EnrolmentChange` (with the window
extensions of `lms.progress.views`, and activation by the scheduler).

Operations check everything before changing anything, then flush; the caller commits.
"""

from datetime import date, datetime

from lms.enrolment.applications import EnrolmentChange, Seat
from lms.enrolment.models import Enrolment, Intake
from lms.enrolment.operations import add_months, enrol
from lms.errors import Conflict, Forbidden, InvalidInput
from lms.extensions import db
from lms.timeutil import LONDON

CURRENT = ("pending", "active")  # the states that can still change


# Changes after which the enrolment is no longer its learner's current one (lms.signals).
LEAVING = ("withdrawn", "deferred", "transferred")


def london_today() -> date:
    """Today's date in Europe/London, where enrolments' dates are."""
    return datetime.now(LONDON).date()


def record_change(enrolment: Enrolment, kind: str, made_by=None, reason: str = "",
                  details: dict | None = None) -> EnrolmentChange:
    """Add one entry to an enrolment's history (flushed)."""
    change = EnrolmentChange(enrolment_id=enrolment.id, kind=kind, reason=reason,
                             details=details or {},
                             made_by_id=made_by.id if made_by is not None else None)
    db.session.add(change)
    db.session.flush()
    if kind in LEAVING:
        from flask import current_app

        from lms.signals import enrolment_left

        enrolment_left.send(current_app._get_current_object(), enrolment=enrolment, kind=kind,
                            made_by=made_by, reason=reason)
    return change


def status_on(start: date, today: date) -> str:
    """An enrolment's status from its start date: pending before it, active from it."""
    return "pending" if start > today else "active"


def check_manages(user, enrolment: Enrolment, organisation_id: int | None = None) -> None:
    """An administrator, or the manager of the organisation (by default the learner's)."""
    if "admin" in user.role_names:
        return
    if organisation_id is None:
        organisation_id = enrolment.learner.organisation_id
    if ("org_manager" not in user.role_names or organisation_id is None
            or user.organisation_id != organisation_id):
        raise Forbidden("Only an administrator or the manager of the learner's organisation "
                        "may do this.")


def _check_current(enrolment: Enrolment, action: str) -> None:
    if enrolment.status not in CURRENT:
        raise Conflict(f"status: this enrolment is {enrolment.status}; it cannot be {action}.")


def withdraw(enrolment: Enrolment, made_by, reason: str) -> EnrolmentChange:
    """Withdraw a learner: the enrolment ends, its learning record stays."""
    _check_current(enrolment, "withdrawn")
    previous = enrolment.status
    enrolment.status = "withdrawn"
    return record_change(enrolment, "withdrawn", made_by, reason,
                         {"from": {"status": previous}, "to": {"status": "withdrawn"}})


def _place(enrolment: Enrolment) -> dict:
    return {"intake": enrolment.intake_id, "start_date": enrolment.start_date.isoformat(),
            "window_ends": enrolment.window_ends.isoformat(), "status": enrolment.status,
            "cohort": enrolment.cohort_id}


def defer(enrolment: Enrolment, intake_id: int, made_by, reason: str,
          today: date) -> EnrolmentChange:
    """Move an enrolment to a later intake of the same qualification: its start date becomes
    the intake's and its window is recomputed from there. The xAPI registration stays, so the
    learning done so far still counts. A cohort belongs to one intake: the learner leaves it."""
    _check_current(enrolment, "deferred")
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        raise InvalidInput.field("intake", f"there is no intake {intake_id}")
    if intake.qualification_id != enrolment.intake.qualification_id:
        raise InvalidInput.field("intake", "is an intake of another qualification; a deferral "
                                 "stays on the same qualification")
    if intake.start_date <= enrolment.intake.start_date:
        raise InvalidInput.field("intake", f"must start after the current intake (which "
                                 f"starts {enrolment.intake.start_date.isoformat()})")
    taken = db.session.execute(db.select(Enrolment.id).where(
        Enrolment.learner_id == enrolment.learner_id, Enrolment.intake_id == intake.id)
    ).first()
    if taken is not None:
        raise InvalidInput.field("intake", "the learner already has an enrolment on it")
    before = _place(enrolment)
    enrolment.intake = intake
    enrolment.cohort = None
    enrolment.start_date = intake.start_date
    enrolment.window_ends = add_months(intake.start_date, intake.qualification.months_to_complete)
    enrolment.status = status_on(intake.start_date, today)
    db.session.flush()
    return record_change(enrolment, "deferred", made_by, reason,
                         {"from": before, "to": _place(enrolment)})


def _learner_by_public_id(public_id: str):
    from lms.people.models import User

    found = db.session.execute(
        db.select(User).where(User.public_id == public_id)).scalar_one_or_none()
    if found is None:
        raise InvalidInput.field("learner", f"there is no user {public_id!r}")
    return found


def transfer(enrolment: Enrolment, learner_public_id: str, made_by, reason: str,
             today: date) -> Enrolment:
    """Give a cohort seat to another learner of the same organisation before the intake
    starts: the enrolment becomes `transferred`, a new one (with its own registration) is made
    for the new learner in the same cohort, and the application's seat follows. Returns the
    new enrolment."""
    if enrolment.cohort is None:
        raise Conflict("cohort: only a cohort seat can be transferred; this enrolment is an "
                       "individual one.")
    _check_current(enrolment, "transferred")
    if today >= enrolment.intake.start_date:
        raise Conflict(f"start_date: a seat can be transferred only before the intake starts "
                       f"({enrolment.intake.start_date.isoformat()}).")
    learner = _learner_by_public_id(learner_public_id)
    if learner.organisation_id != enrolment.cohort.organisation_id:
        raise InvalidInput.field("learner", "is not a member of the cohort's organisation")
    taken = db.session.execute(db.select(Enrolment.id).where(
        Enrolment.learner_id == learner.id, Enrolment.intake_id == enrolment.intake_id)).first()
    if taken is not None:
        raise InvalidInput.field("learner", "already has an enrolment on this intake")
    seat = db.session.execute(
        db.select(Seat).where(Seat.enrolment_id == enrolment.id)).scalar_one_or_none()
    if seat is not None and db.session.execute(db.select(Seat.id).where(
            Seat.application_id == seat.application_id, Seat.learner_id == learner.id)).first():
        raise InvalidInput.field("learner", "already holds a seat of this application")
    enrolment.status = "transferred"
    successor = enrol(learner, enrolment.intake, tutor=enrolment.tutor, cohort=enrolment.cohort)
    successor.status = status_on(successor.start_date, today)
    if seat is not None:
        seat.learner_id = learner.id
        seat.enrolment_id = successor.id
    db.session.flush()
    details = {"from": {"learner": enrolment.learner.public_id, "enrolment": enrolment.id},
               "to": {"learner": learner.public_id, "enrolment": successor.id}}
    record_change(enrolment, "transferred", made_by, reason, details)
    record_change(successor, "created", made_by, reason, {**details, "transferred": True})
    return successor
