"""Overdue invoices and payment reminders (run daily by the scheduler).

An invoice not fully paid is overdue once its due date has passed (a Europe/London date);
its payer (the organisation's managers, or the individual) is told once. Fourteen days before
the due date, the payer of an invoice not yet paid is reminded once. Messages go through the
notification outbox, each with a `dedupe_key` so that no one is told twice."""

import logging
from datetime import date, timedelta

from sqlalchemy import select

from lms.extensions import db
from lms.invoicing.models import Invoice
from lms.invoicing.operations import invoice_reference
from lms.invoicing.prices import gbp
from lms.notifications.operations import notify
from lms.people.models import User, UserRole
from lms.timeutil import utcnow

REMINDER_DAYS = 14

log = logging.getLogger(__name__)


def payers(invoice: Invoice) -> list[User]:
    """Who is told about an invoice: the active managers of the paying organisation, or the
    individual who pays it."""
    if invoice.payer_organisation_id is None:
        user = invoice.payer_user
        return [user] if user is not None and user.active else []
    return list(db.session.execute(
        select(User).join(UserRole).where(
            User.organisation_id == invoice.payer_organisation_id, User.active.is_(True),
            UserRole.role == "org_manager").order_by(User.id)).scalars())


def _notify(invoice: Invoice, kind: str, subject: str, body: str) -> tuple[int, int]:
    """One notification per payer, once (the dedupe key names the invoice and the person:
    `invoice-overdue:42:user-7`); returns how many payers there are and how many were told
    now."""
    told = 0
    people = payers(invoice)
    for user in people:
        stored = notify(user, kind, subject, body,
                        data={"invoice": invoice.number,
                              "reference": invoice_reference(invoice)},
                        dedupe_key=f"{kind}:{invoice.number}:user-{user.id}")
        told += stored is not None
    return len(people), told


def _outstanding(invoice: Invoice) -> str:
    return gbp(invoice.gross_amount - invoice.amount_paid)


def _words(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def check_invoices(today: date) -> dict:
    """Flag the invoices overdue on `today` (and unflag paid ones), tell their payers once,
    and remind the payers of invoices due within `REMINDER_DAYS`. Flushes; the caller commits.
    Returns counts: `{"flagged": n, "overdue_notices": n, "reminders": n}`."""
    counts = {"flagged": 0, "overdue_notices": 0, "reminders": 0}
    for invoice in db.session.execute(select(Invoice).where(
            Invoice.status == "paid", Invoice.overdue.is_(True))).scalars():
        invoice.overdue = False
    unpaid = db.session.execute(select(Invoice).where(
        Invoice.status != "paid", Invoice.due_on < today + timedelta(days=REMINDER_DAYS + 1))
        .order_by(Invoice.number)).scalars().all()
    for invoice in unpaid:
        reference = invoice_reference(invoice)
        if invoice.due_on < today:
            if not invoice.overdue:
                invoice.overdue = True
                counts["flagged"] += 1
            if invoice.overdue_notified_at is None:
                reached, told = _notify(
                    invoice, "invoice-overdue", f"Invoice {reference} is overdue",
                    f"Invoice {reference} to {invoice.payer_name} was due on "
                    f"{_words(invoice.due_on)}; {_outstanding(invoice)} is still to pay.")
                if reached:  # with no one to tell yet, tried again tomorrow
                    invoice.overdue_notified_at = utcnow()
                    counts["overdue_notices"] += told
        elif invoice.reminded_at is None:
            reached, told = _notify(
                invoice, "invoice-reminder", f"Invoice {reference} is due on "
                f"{_words(invoice.due_on)}",
                f"A reminder: {_outstanding(invoice)} of invoice {reference} to "
                f"{invoice.payer_name} is due by {_words(invoice.due_on)}.")
            if reached:
                invoice.reminded_at = utcnow()
                counts["reminders"] += told
    db.session.flush()
    log.info("invoices: %(flagged)d newly overdue, %(overdue_notices)d overdue notices, "
             "%(reminders)d reminders", counts)
    return counts
