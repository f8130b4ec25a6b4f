"""Enrolment operations used by the rest of Pathway."""

import calendar
from datetime import date

from lms.enrolment.models import Enrolment, Intake
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
