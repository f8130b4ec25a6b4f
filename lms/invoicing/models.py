"""Invoices (numbered without gaps), their payments, and the counter that numbers them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow

Money = Numeric(10, 2)


class InvoiceCounter(db.Model):
    """The next invoice number. Taken with a row lock in the transaction that stores the
    invoice, so numbers are sequential with no gaps: a rolled-back invoice gives its number
    back."""

    __tablename__ = "invoice_counters"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_number: Mapped[int] = mapped_column(default=1)


class Invoice(db.Model):
    """An invoice for an accepted application: net, VAT and gross in GBP, due by the intake's
    final-payment date; paid, part paid or unpaid (from the payments recorded), and overdue
    once that date has passed unpaid."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('unpaid', 'part-paid', 'paid')", name="known_status"),
        CheckConstraint("gross_amount = net_amount + vat_amount", name="adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="RESTRICT"), unique=True)
    payer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    payer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    payer_name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    lines: Mapped[list] = mapped_column(JSON, default=list)
    net_amount: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    vat_amount: Mapped[Decimal] = mapped_column(Money)
    gross_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    status: Mapped[str] = mapped_column(String(20), default="unpaid")
    amount_paid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    overdue: Mapped[bool] = mapped_column(default=False)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application = relationship("Application")
    payer_organisation = relationship("Organisation")
    payer_user = relationship("User")
    payments: Mapped[list["Payment"]] = relationship(
        back_populates="invoice", order_by="Payment.id", cascade="all, delete-orphan")


class Payment(db.Model):
    """A payment received against an invoice, recorded by an administrator."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"),
                                            index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship(back_populates="payments")
    recorded_by = relationship("User")
