"""Fixtures of the invoicing tests: the Diploma with its prices, the example intake, two
organisations with managers, and a factory of accepted applications and their invoices
(made directly with the models, not through the applications API). Test modules load them
with `pytest_plugins = ["invoice_fixtures"]`."""

from dataclasses import dataclass
from datetime import date

import pytest

from lms.enrolment.applications import Application
from lms.enrolment.models import Intake, Organisation
from lms.invoicing.operations import issue_invoice
from lms.invoicing.prices import load_prices, price_for

ISSUED = date(2024, 2, 1)


@dataclass
class World:
    intake: object
    care: object  # an organisation
    other: object  # another organisation
    admin: object
    manager: object  # of `care`
    other_manager: object  # of `other`
    individual: object  # applies and pays alone
    learner: object  # a learner of a cohort of `care`
    tutor: object


@pytest.fixture
def world(db, catalogue, make_user):
    """The example intake (start 7 May 2024, final payment 29 March 2024) with its prices,
    and the people who see invoices or must not."""
    load_prices()
    intake = Intake(qualification=catalogue, name="May 2024 intake", start_date=date(2024, 5, 7),
                    applications_open=date(2023, 9, 1), applications_close=date(2024, 3, 15),
                    final_payment_date=date(2024, 3, 29), capacity=60)
    care = Organisation(slug="oak-care", name="Oak Care Ltd")
    other = Organisation(slug="elm-house", name="Elm House")
    db.session.add_all([intake, care, other])
    db.session.commit()
    return World(intake, care, other,
                 admin=make_user("admin", name="Priya Shah"),
                 manager=make_user("org_manager", name="Dana Reid", organisation=care),
                 other_manager=make_user("org_manager", name="Eli Stone", organisation=other),
                 individual=make_user("learner", name="Alex Morgan"),
                 learner=make_user("learner", name="Ben Carter", organisation=care),
                 tutor=make_user("tutor", name="Sam Okafor"))


@pytest.fixture
def make_application(db, world):
    """`make_application("cohort", organisation=..., member=False)` or
    `make_application("individual", applicant=...)`: an accepted application, committed."""

    def make(kind="individual", applicant=None, organisation=None, member=False, intake=None):
        intake = intake or world.intake
        if kind == "cohort":
            organisation = organisation or world.care
            applicant = applicant or world.manager
        else:
            applicant = applicant or world.individual
        price = price_for(intake.qualification_id, kind, member, ISSUED)
        application = Application(intake=intake, kind=kind, applicant=applicant,
                                  organisation=organisation, status="accepted", member=member,
                                  price=price, net_amount=price.net_amount)
        db.session.add(application)
        db.session.commit()
        return application

    return make


@pytest.fixture
def make_invoice(db, make_application):
    """`make_invoice("cohort", ...)`: an application (as `make_application`) and its invoice,
    issued on 1 February 2024 and committed."""

    def make(*args, issued_on=ISSUED, **kwargs):
        invoice = issue_invoice(make_application(*args, **kwargs), issued_on)
        db.session.commit()
        return invoice

    return make
