"""The demo's applications, membership and next intake (called by `lms.demo`): Riverside Care's
confirmed RRN membership, its cohort's accepted application (six named learners, linked to
their existing enrolments, invoiced at the member cohort price) and Alex Morgan's accepted
individual application (non-member price), each with its invoice; and a next intake open for
applications. Added once: nothing changes when it is there already."""

from datetime import UTC, date, datetime, time, timedelta

from lms.enrolment.applications import Application, Membership, Seat
from lms.enrolment.models import Cohort, Enrolment, Intake, Organisation
from lms.extensions import db
from lms.invoicing.operations import issue_invoice
from lms.invoicing.prices import is_member, load_prices, price_for
from lms.people.operations import user_by_email


def _first_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def ensure_next_intake(qualification, today: date) -> Intake | None:
    """An intake starting about four months from today, open for applications now (unless
    an intake starting after today is there already)."""
    later = db.session.execute(db.select(Intake).where(
        Intake.qualification_id == qualification.id, Intake.start_date > today)
        .limit(1)).scalar_one_or_none()
    if later is not None:
        return None
    month_index = today.year * 12 + today.month - 1 + 4
    start = _first_tuesday(month_index // 12, month_index % 12 + 1)
    intake = Intake(qualification=qualification, name=f"{start:%B %Y} intake", start_date=start,
                    applications_open=today - timedelta(days=30),
                    applications_close=start - timedelta(days=21),
                    final_payment_date=start - timedelta(days=21), capacity=48)
    db.session.add(intake)
    db.session.flush()
    return intake


def _membership(organisation: Organisation, admin, today: date) -> None:
    exists = db.session.execute(db.select(Membership.id).where(
        Membership.organisation_id == organisation.id)).first()
    if exists is None:
        db.session.add(Membership(
            organisation=organisation, number="RRN-0042", expires_on=date(today.year + 1, 3, 31),
            confirmed_by=admin, confirmed_at=datetime.now(UTC)))
        db.session.flush()


def _accepted(intake: Intake, kind: str, applicant, organisation, enrolments, admin, member,
              cohort=None, paid: str | None = None) -> Application:
    """An application accepted a week after it was made, its seats linked to `enrolments`;
    its invoice paid in full (`paid="all"`), in part (an amount), or not at all."""
    submitted_on = (intake.applications_open or intake.start_date - timedelta(days=120)) \
        + timedelta(days=14)
    decided_on = submitted_on + timedelta(days=7)
    price = price_for(intake.qualification_id, kind, member, submitted_on)
    application = Application(
        intake=intake, kind=kind, applicant=applicant, organisation=organisation,
        status="accepted", member=member, price=price, net_amount=price.net_amount,
        submitted_at=datetime.combine(submitted_on, time(10, 0), tzinfo=UTC),
        decided_at=datetime.combine(decided_on, time(15, 0), tzinfo=UTC), decided_by=admin,
        decision_note="Accepted (demo).", cohort=cohort,
        seats=[Seat(number=n, learner=e.learner, enrolment=e)
               for n, e in enumerate(enrolments, start=1)])
    db.session.add(application)
    db.session.flush()
    invoice = issue_invoice(application, decided_on)
    if paid:
        from decimal import Decimal

        from lms.invoicing.payments import record_payment

        amount = invoice.gross_amount if paid == "all" else Decimal(paid)
        record_payment(invoice, amount, min(decided_on + timedelta(days=21), invoice.due_on),
                       reference="BACS (demo)", recorded_by=admin)
    return application


def create_demo_applications(qualification, manager_email: str, individual_email: str,
                             admin_email: str, today: date) -> bool:
    """Add the demo's membership, applications with their invoices, and next intake, if they
    are not there yet; returns whether anything was added. Flushes; the caller commits."""
    manager = user_by_email(manager_email)
    if manager is None or manager.organisation is None:
        return False
    organisation, admin = manager.organisation, user_by_email(admin_email)
    cohort = db.session.execute(db.select(Cohort).where(
        Cohort.organisation_id == organisation.id)).scalars().first()
    if cohort is None or db.session.execute(db.select(Application.id).where(
            Application.cohort_id == cohort.id)).first() is not None:
        return False
    load_prices()
    _membership(organisation, admin, today)
    enrolments = db.session.execute(db.select(Enrolment).where(
        Enrolment.cohort_id == cohort.id).order_by(Enrolment.id)).scalars().all()
    _accepted(cohort.intake, "cohort", manager, organisation, enrolments, admin,
              is_member(today, organisation_id=organisation.id), cohort=cohort, paid="all")
    individual = user_by_email(individual_email)
    own = db.session.execute(db.select(Enrolment).where(
        Enrolment.learner_id == individual.id, Enrolment.intake_id == cohort.intake_id)
    ).scalar_one_or_none() if individual else None
    if own is not None:
        _accepted(own.intake, "individual", individual, None, [own], admin,
                  is_member(today, user_id=individual.id), paid="1000.00")
    ensure_next_intake(qualification, today)
    return True
