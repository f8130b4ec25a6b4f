"""Fixtures of the enrolment-changes tests: an organisation's cohort on an intake starting in
60 days, a later and an earlier intake, the people who may or may not change things, and a
snapshot of every row a change may touch. Test modules load them with
`pytest_plugins = ["changes_fixtures"]` (a conftest.py here would shadow the top-level one)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.enrolment.applications import EnrolmentChange, Seat
from lms.enrolment.changes import london_today
from lms.enrolment.models import Cohort, Enrolment, Intake, Organisation, WindowExtension
from lms.enrolment.operations import enrol


@dataclass
class World:
    riverside: object
    elsewhere: object
    intake: object
    later: object
    earlier: object
    cohort: object
    admin: object
    manager: object
    other_manager: object
    tutor: object
    learner: object
    colleague: object
    outsider: object
    enrolment: object
    individual: object


@pytest.fixture
def make_intake(db, catalogue):
    """`make_intake(days_from_today)` on the Diploma."""

    def make(days, qualification=None):
        start = london_today() + timedelta(days=days)
        intake = Intake(qualification=qualification or catalogue, name=f"Intake {start}",
                        start_date=start)
        db.session.add(intake)
        db.session.commit()
        return intake

    return make


@pytest.fixture
def world(db, make_user, make_intake):
    """Riverside's cohort (one learner enrolled, pending) on an intake in 60 days; a colleague
    of Riverside not enrolled; a learner of another organisation; an individual learner."""
    riverside = Organisation(slug="riverside", name="Riverside Care")
    elsewhere = Organisation(slug="elsewhere", name="Elsewhere Homes")
    db.session.add_all([riverside, elsewhere])
    db.session.commit()
    intake, later, earlier = make_intake(60), make_intake(240), make_intake(-120)
    cohort = Cohort(intake=intake, organisation=riverside, name="Riverside cohort")
    db.session.add(cohort)
    db.session.commit()
    tutor = make_user("tutor", name="Sam Okafor")
    learner = make_user("learner", name="Alex Morgan", organisation=riverside)
    enrolment = enrol(learner, intake, tutor=tutor, cohort=cohort)
    enrolment.status = "pending"
    individual_learner = make_user("learner", name="Ivy Individual")
    individual = enrol(individual_learner, intake, tutor=tutor)
    individual.status = "pending"
    db.session.commit()
    return World(
        riverside, elsewhere, intake, later, earlier, cohort,
        admin=make_user("admin"),
        manager=make_user("org_manager", organisation=riverside),
        other_manager=make_user("org_manager", organisation=elsewhere),
        tutor=tutor, learner=learner,
        colleague=make_user("learner", name="Casey Colleague", organisation=riverside),
        outsider=make_user("learner", name="Olu Outsider", organisation=elsewhere),
        enrolment=enrolment, individual=individual)


def _rows(db, model, *columns):
    return sorted(tuple(row) for row in db.session.execute(select(*columns)).all())


@pytest.fixture
def snapshot(db):
    """`snapshot()` -> every row (of the columns a change may touch) of enrolments, changes,
    seats and extensions: equal before and after a refusal."""

    def take():
        db.session.rollback()
        return {
            "enrolments": _rows(db, Enrolment, Enrolment.id, Enrolment.learner_id,
                                Enrolment.intake_id, Enrolment.cohort_id, Enrolment.status,
                                Enrolment.start_date, Enrolment.window_ends,
                                Enrolment.registration),
            "changes": _rows(db, EnrolmentChange, EnrolmentChange.id),
            "seats": _rows(db, Seat, Seat.id, Seat.learner_id, Seat.enrolment_id),
            "extensions": _rows(db, WindowExtension, WindowExtension.id),
        }

    return take

