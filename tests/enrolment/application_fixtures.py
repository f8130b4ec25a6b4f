"""Fixtures of the application tests: the Diploma with its prices, organisations, an intake
open for applications today, and a count of the rows an operation may change."""

from datetime import timedelta

import pytest
from sqlalchemy import func

from lms.enrolment.applications import Application, EnrolmentChange, Membership, Seat
from lms.enrolment.intakes import london_today
from lms.enrolment.models import Cohort, Enrolment, Intake, Organisation
from lms.invoicing.models import Invoice

COUNTED = (Application, Seat, Enrolment, Cohort, EnrolmentChange, Invoice, Membership, Intake)


@pytest.fixture
def diploma(catalogue, db):
    """The default Diploma with the provider's prices loaded."""
    from lms.invoicing.prices import load_prices

    load_prices()
    db.session.commit()
    return catalogue


@pytest.fixture
def make_organisation(db):
    def make(slug="riverside", name="Riverside Care"):
        organisation = Organisation(slug=slug, name=name)
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_intake(db, diploma):
    """`make_intake(starts_in=60, opened=-30, closes_in=30, capacity=48)`: days from today."""

    def make(starts_in=60, opened=-30, closes_in=30, capacity=48, final_in=None):
        today = london_today()
        start = today + timedelta(days=starts_in)
        intake = Intake(qualification=diploma, name=f"Intake {start:%d %B %Y}",
                        start_date=start, applications_open=today + timedelta(days=opened),
                        applications_close=today + timedelta(days=closes_in),
                        final_payment_date=today + timedelta(
                            days=final_in if final_in is not None else closes_in),
                        capacity=capacity)
        db.session.add(intake)
        db.session.commit()
        return intake

    return make


@pytest.fixture
def counts(db):
    """`counts()` -> the number of rows of every table an application may change."""

    def count():
        return {model.__tablename__: db.session.execute(
            db.select(func.count()).select_from(model)).scalar_one() for model in COUNTED}

    return count
