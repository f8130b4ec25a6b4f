"""Payments against invoices, recorded by an administrator: the invoice's status (unpaid,
part paid, paid) follows from the sum of its payments, which never exceeds the gross."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from lms.errors import InvalidInput
from lms.extensions import db
from lms.invoicing.models import Invoice, Payment
from lms.invoicing.operations import today_in_london
from lms.invoicing.prices import PENNY, gbp


def status_for(paid: Decimal, gross: Decimal) -> str:
    """`paid` once the payments reach the gross, `part-paid` before, `unpaid` with none."""
    if paid >= gross:
        return "paid"
    return "part-paid" if paid > 0 else "unpaid"


def _lock(invoice: Invoice) -> None:
    """Hold the invoice for the rest of the transaction, so that two payments recorded at
    once add up (PostgreSQL: the row lock of an UPDATE; SQLite: its write lock, taken before
    the payments are read)."""
    db.session.execute(update(Invoice).where(Invoice.id == invoice.id)
                       .values(status=Invoice.status).execution_options(synchronize_session=False))


def record_payment(invoice: Invoice, amount: Decimal, received_on: date, reference: str = "",
                   recorded_by=None) -> Payment:
    """Record a payment received; the invoice's amount paid and status follow. Refuses (422,
    nothing stored) an amount that is not positive, has fractions of a penny, or takes the
    payments past the gross; and a payment received in the future. Flushes; the caller
    commits."""
    if amount <= 0:
        raise InvalidInput.field("amount", "must be more than zero")
    if amount != amount.quantize(PENNY):
        raise InvalidInput.field("amount", "must be in pounds and pence (at most 2 decimals)")
    if received_on > today_in_london():
        raise InvalidInput.field("received_on", "must not be in the future")
    _lock(invoice)
    # Added up here in Decimal: SQLite would sum the amounts as floats.
    paid = sum((Decimal(a).quantize(PENNY) for a in db.session.execute(
        select(Payment.amount).where(Payment.invoice_id == invoice.id)).scalars()),
        Decimal("0.00"))
    outstanding = invoice.gross_amount - paid
    if amount > outstanding:
        raise InvalidInput.field(
            "amount", f"{gbp(amount)} is more than the {gbp(outstanding)} outstanding on this "
            f"invoice (gross {gbp(invoice.gross_amount)}, paid {gbp(paid)})")
    payment = Payment(invoice=invoice, amount=amount, received_on=received_on,
                      reference=reference.strip(), recorded_by=recorded_by)
    db.session.add(payment)
    invoice.amount_paid = paid + amount
    invoice.status = status_for(invoice.amount_paid, invoice.gross_amount)
    if invoice.status == "paid":
        invoice.overdue = False
    db.session.flush()
    return payment
