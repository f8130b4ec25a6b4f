"""Fixtures of the applications, invoices and enrolment-change page tests: the Diploma with
its prices, an intake taking applications (starting in 60 days) and a later one, two
organisations each with a manager and learners, an administrator, and a learner who applies
alone. Test modules load them with `pytest_plugins = ["enrolment_pages_fixtures"]`."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from lms.enrolment.intakes import london_today
from lms.enrolment.models import Intake, Organisation


@dataclass
class World:
    intake: object  # taking applications, starts in 60 days
    later: object  # the same qualification, starts in 240 days
    riverside: object
    elsewhere: object
    admin: object
    manager: object  # of riverside
    other_manager: object  # of elsewhere
    staff: list  # riverside's learners
    outsider: object  # a learner of elsewhere
    alex: object  # a learner of no organisation


@pytest.fixture
def world(db, catalogue, make_user):
    from lms.invoicing.prices import load_prices

    load_prices()
    today = london_today()
    intake = Intake(qualification=catalogue, name="Spring intake",
                    start_date=today + timedelta(days=60),
                    applications_open=today - timedelta(days=30),
                    applications_close=today + timedelta(days=30),
                    final_payment_date=today + timedelta(days=40), capacity=48)
    later = Intake(qualification=catalogue, name="Autumn intake",
                   start_date=today + timedelta(days=240),
                   applications_open=today + timedelta(days=100))
    riverside = Organisation(slug="riverside", name="Riverside Care")
    elsewhere = Organisation(slug="elsewhere", name="Elsewhere Homes")
    db.session.add_all([intake, later, riverside, elsewhere])
    db.session.commit()
    names = ["Aisha Khan", "Ben Carter", "Chloe Evans", "Dev Patel", "Emma Hughes",
             "Femi Adeyemi", "Gill Ito"]
    return World(
        intake, later, riverside, elsewhere,
        admin=make_user("admin", name="Priya Shah"),
        manager=make_user("org_manager", name="Jo Whitfield", organisation=riverside),
        other_manager=make_user("org_manager", name="Eli Stone", organisation=elsewhere),
        staff=[make_user("learner", name=name, organisation=riverside) for name in names],
        outsider=make_user("learner", name="Olu Outsider", organisation=elsewhere),
        alex=make_user("learner", name="Alex Morgan"))


@pytest.fixture
def accepted(db, world):
    """`accepted(applicant, kind, learners)`: an application made and accepted through the
    operations (enrolments and invoice follow), committed."""
    from lms.enrolment import applying

    def make(applicant, kind="individual", learners=()):
        application = applying.apply(applicant, world.intake, kind,
                                     [p.public_id for p in learners], london_today())
        applying.decide(application, "accept", "", world.admin, london_today())
        db.session.commit()
        return application

    return make
