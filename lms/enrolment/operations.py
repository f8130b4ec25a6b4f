"""Enrolment operations used by the rest of Pathway."""

import calendar
from datetime import date

from sqlalchemy import or_

from lms.enrolment.models import Enrolment, Intake
from lms.errors import NotFound
from lms.extensions import db


def add_months(start: date, months: int) -> date:
    """`start` plus whole months; the 31st of a shorter month becomes its last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def enrol(learner, intake: Intake, tutor=None, cohort=None) -> Enrolment:
    """Enrol `learner` on `intake`: the window runs from the intake's start for the
    qualification's months to complete."""
    enrolment = Enrolment(
        learner=learner, tutor=tutor, intake=intake, cohort=cohort,
        start_date=intake.start_date,
        window_ends=add_months(intake.start_date, intake.qualification.months_to_complete),
    )
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def enrolments_of(learner) -> list[Enrolment]:
    """A learner's enrolments, newest first."""
    return list(db.session.execute(
        db.select(Enrolment).where(Enrolment.learner_id == learner.id)
        .order_by(Enrolment.start_date.desc())
    ).scalars())


def visible_enrolments(viewer):
    """A select of the enrolments `viewer` may see: all for an administrator; their learners'
    for a tutor; their organisation's learners' for an organisation manager; their own for a
    learner."""
    from lms.people.models import User

    statement = db.select(Enrolment)
    roles = viewer.role_names
    if "admin" in roles:
        return statement
    allowed = [Enrolment.learner_id == viewer.id]
    if "tutor" in roles:
        allowed.append(Enrolment.tutor_id == viewer.id)
    if "org_manager" in roles and viewer.organisation_id is not None:
        allowed.append(Enrolment.learner_id.in_(
            db.select(User.id).where(User.organisation_id == viewer.organisation_id)))
    return statement.where(or_(*allowed))


def enrolment_for(viewer, enrolment_id: int) -> Enrolment:
    """Enrolment `enrolment_id` if `viewer` may see it, else 404 (whether it exists or not)."""
    found = db.session.execute(
        visible_enrolments(viewer).where(Enrolment.id == enrolment_id)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"enrolment: there is no enrolment {enrolment_id} that you can see.")
    return found
