"""The enrolments as CSV for finance (administrators): one row per enrolment, with the
invoice number when its seat's application was invoiced; formulas never reach a
spreadsheet."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from changes_support import problem

from lms.enrolment.applications import Application, Price, Seat
from lms.invoicing.models import Invoice

pytest_plugins = ["changes_fixtures"]


@pytest.fixture
def invoiced(db, world):
    """Riverside's cohort application for the learner's seat, invoiced as number 42."""
    price = Price(qualification_id=world.intake.qualification_id, kind="cohort", member=False,
                  net_amount=Decimal("9000.00"), valid_from=date(2025, 1, 1))
    application = Application(intake=world.intake, kind="cohort", applicant=world.manager,
                              organisation=world.riverside, status="accepted", price=price,
                              net_amount=price.net_amount, cohort=world.cohort)
    seat = Seat(application=application, number=1, learner=world.learner,
                enrolment=world.enrolment)
    invoice = Invoice(number=42, application=application, payer_organisation=world.riverside,
                      payer_name="Riverside Care", issued_on=date(2026, 1, 5),
                      due_on=date(2026, 2, 5), net_amount=Decimal("9000.00"),
                      vat_rate=Decimal("0.2000"), vat_amount=Decimal("1800.00"),
                      gross_amount=Decimal("10800.00"))
    db.session.add_all([price, application, seat, invoice])
    db.session.commit()
    return invoice


def rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_finance_gets_every_enrolment_with_its_invoice(client, auth, world, invoiced):
    found = {row["registration"]: row for row in rows(
        client.get("/api/v1/enrolments.csv", headers=auth(world.admin)))}
    assert set(found) == {world.enrolment.registration, world.individual.registration}
    assert found[world.enrolment.registration] == {
        "learner": "Alex Morgan", "email": world.learner.email,
        "organisation": "Riverside Care", "intake": world.intake.name,
        "start": world.intake.start_date.isoformat(),
        "window_end": world.enrolment.window_ends.isoformat(), "status": "pending",
        "registration": world.enrolment.registration, "cohort": "Riverside cohort",
        "invoice_number": "42"}
    individual = found[world.individual.registration]
    assert (individual["organisation"], individual["cohort"], individual["invoice_number"]) == (
        "", "", "")


def test_text_that_looks_like_a_formula_is_quoted(client, db, auth, world):
    world.learner.name = "=HYPERLINK(\"http://evil.example\",\"click\")"
    world.riverside.name = "+Riverside"
    world.cohort.name = "@cohort"
    db.session.commit()
    [row] = [r for r in rows(client.get("/api/v1/enrolments.csv", headers=auth(world.admin)))
             if r["registration"] == world.enrolment.registration]
    assert row["learner"].startswith("'=HYPERLINK")
    assert row["organisation"] == "'+Riverside"
    assert row["cohort"] == "'@cohort"


@pytest.mark.parametrize("who", ["manager", "tutor", "learner"])
def test_only_administrators_export(client, auth, world, who):
    problem(client.get("/api/v1/enrolments.csv", headers=auth(getattr(world, who))), 403)


def test_signing_in_is_needed(client):
    problem(client.get("/api/v1/enrolments.csv"), 401)
