"""The demo's applications, invoices, RRN membership and next intake: the cohort's at the
member cohort price and Alex Morgan's at the non-member individual price, linked to the
enrolments the demo already has; made once."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func

from lms.demo import COHORT, INDIVIDUAL, MANAGER, create_demo
from lms.enrolment.applications import Application, Membership, Seat
from lms.enrolment.intakes import london_today, open_intakes
from lms.enrolment.models import Enrolment, Intake
from lms.invoicing.models import Invoice
from lms.people.operations import user_by_email


def test_the_demo_has_accepted_applications_with_invoices(runner, db):
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0
    example = db.session.execute(db.select(Intake).where(
        Intake.start_date == date(2024, 5, 7))).scalar_one()
    assert example.final_payment_date == date(2024, 3, 29)

    cohort, individual = db.session.execute(
        db.select(Application).order_by(Application.id)).scalars().all()
    assert (cohort.kind, cohort.status, cohort.member) == ("cohort", "accepted", True)
    assert cohort.applicant.email == MANAGER[0]
    assert [s.learner.email for s in cohort.seats] == [email for email, _ in COHORT]
    assert all(s.enrolment.cohort_id == cohort.cohort_id for s in cohort.seats)
    assert (individual.kind, individual.member) == ("individual", False)
    assert [s.learner.email for s in individual.seats] == [INDIVIDUAL[0]]

    invoices = {i.application_id: i for i in db.session.execute(db.select(Invoice)).scalars()}
    assert (invoices[cohort.id].net_amount, invoices[cohort.id].vat_amount,
            invoices[cohort.id].gross_amount) == (Decimal("10500.00"), Decimal("2100.00"),
                                                  Decimal("12600.00"))
    assert (invoices[individual.id].net_amount, invoices[individual.id].vat_amount,
            invoices[individual.id].gross_amount) == (Decimal("1990.00"), Decimal("398.00"),
                                                      Decimal("2388.00"))
    assert sorted(i.number for i in invoices.values()) == [1, 2]
    # The cohort's invoice is paid; Alex Morgan has paid part of theirs.
    assert (invoices[cohort.id].status, invoices[cohort.id].amount_paid) == \
        ("paid", Decimal("12600.00"))
    assert (invoices[individual.id].status, invoices[individual.id].amount_paid) == \
        ("part-paid", Decimal("1000.00"))

    organisation = user_by_email(MANAGER[0]).organisation
    membership = db.session.execute(db.select(Membership)).scalar_one()
    assert membership.organisation_id == organisation.id and membership.confirmed_at
    assert db.session.execute(db.select(func.count(Enrolment.id))).scalar_one() == 7
    assert db.session.execute(open_intakes(london_today())).scalars().all()

    def count():
        return [db.session.execute(db.select(func.count()).select_from(model)).scalar_one()
                for model in (Application, Seat, Invoice, Membership, Intake, Enrolment)]

    before = count()
    assert create_demo() == "demo: already present"
    assert count() == before
