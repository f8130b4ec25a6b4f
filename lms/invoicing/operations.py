"""Issuing invoices: numbered without gaps, with net, VAT and gross to the penny."""

from datetime import date

from sqlalchemy import select, update

from lms.extensions import db
from lms.invoicing.models import Invoice, InvoiceCounter
from lms.invoicing.prices import gbp, with_vat

COUNTER = "invoices"


def next_invoice_number() -> int:
    """Take the next invoice number inside the current transaction. The counter row is locked
    until the transaction ends (PostgreSQL: the UPDATE's row lock; SQLite: the write lock),
    so two invoices never share a number, and a rolled-back invoice gives its number back:
    no gaps."""
    # The counter row is made by the first invoice ever. ON CONFLICT DO NOTHING, not a read
    # then an insert: two first invoices at once would both insert, and one would fail. On
    # SQLite this write is also what takes the database's write lock, before anything is read.
    db.session.execute(_insert(db.session.get_bind().dialect.name)(InvoiceCounter)
                       .values(name=COUNTER, next_number=1)
                       .on_conflict_do_nothing(index_elements=["name"]))
    taken = db.session.execute(
        update(InvoiceCounter).where(InvoiceCounter.name == COUNTER)
        .values(next_number=InvoiceCounter.next_number + 1)
        .returning(InvoiceCounter.next_number)).scalar_one()
    return taken - 1


def _insert(dialect: str):
    """The INSERT of the database in use (both know ON CONFLICT DO NOTHING)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def issue_invoice(application, issued_on: date) -> Invoice:
    """The invoice of an accepted application: its price (net of VAT, fixed when it was
    priced) plus VAT, due by the intake's final-payment date (or 30 days after issue when the
    intake has none), payable by the organisation of a cohort or the individual applicant.
    Flushes; the caller commits (and the number with it)."""
    from datetime import timedelta

    existing = db.session.execute(select(Invoice).where(
        Invoice.application_id == application.id)).scalar_one_or_none()
    if existing is not None:
        return existing
    amounts = with_vat(application.net_amount)
    intake = application.intake
    what = ("a cohort of six learners" if application.kind == "cohort" else "one learner")
    member = " (RRN member price)" if application.member else ""
    lines = [{"description": f"{intake.qualification.title}, {intake.name}: {what}{member}",
              "quantity": 1, "unit_net": str(amounts.net), "net": str(amounts.net)}]
    organisation = application.organisation if application.kind == "cohort" else None
    invoice = Invoice(
        number=next_invoice_number(), application=application,
        payer_organisation=organisation,
        payer_user=None if organisation else application.applicant,
        payer_name=organisation.name if organisation else application.applicant.name,
        issued_on=issued_on,
        due_on=intake.final_payment_date or issued_on + timedelta(days=30),
        lines=lines, net_amount=amounts.net, vat_rate=amounts.rate,
        vat_amount=amounts.vat, gross_amount=amounts.gross)
    db.session.add(invoice)
    db.session.flush()
    return invoice


def invoice_reference(invoice: Invoice) -> str:
    """The number as printed: PW-000042."""
    return f"PW-{invoice.number:06d}"


def summary_line(invoice: Invoice) -> str:
    return (f"{invoice_reference(invoice)}: {gbp(invoice.net_amount)} + VAT "
            f"{gbp(invoice.vat_amount)} = {gbp(invoice.gross_amount)}")


def today_in_london(now=None) -> date:
    """The date in Europe/London now (or at the aware datetime `now`): due dates and
    overdue are London dates."""
    from lms.timeutil import london, utcnow

    return london(now or utcnow()).date()


def is_overdue(invoice: Invoice, today: date) -> bool:
    """Not fully paid, and its due date has passed."""
    return invoice.status != "paid" and invoice.due_on < today


def visible_invoices(user):
    """A query of the invoices `user` may see: administrators every one; an organisation's
    managers their organisation's; anyone the ones they pay themselves. Tutors and the
    learners of a cohort see none."""
    statement = select(Invoice)
    roles = user.role_names
    if "admin" in roles:
        return statement
    mine = Invoice.payer_user_id == user.id
    if "org_manager" in roles and user.organisation_id is not None:
        mine = mine | (Invoice.payer_organisation_id == user.organisation_id)
    return statement.where(mine)


def invoice_for(user, number: int) -> Invoice:
    """The invoice numbered `number` if `user` may see it; otherwise 404 (whether it exists
    or not, so numbers of other payers' invoices stay unknown)."""
    from lms.errors import NotFound

    found = db.session.execute(
        visible_invoices(user).where(Invoice.number == number)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"invoice: there is no invoice {number} that you can see.")
    return found
