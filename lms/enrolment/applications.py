"""Applications for an intake (an individual, or an organisation's cohort of six), RRN
memberships, and the history of changes to enrolments."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow

Money = Numeric(10, 2)
COHORT_SEATS = 6


class Membership(db.Model):
    """A Restraint Reduction Network membership of an organisation or of one person: members
    pay less once an administrator has confirmed it, until it expires."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint("(organisation_id IS NULL) <> (user_id IS NULL)", name="one_holder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    scheme: Mapped[str] = mapped_column(String(20), default="RRN")
    number: Mapped[str] = mapped_column(String(50))
    expires_on: Mapped[date] = mapped_column(Date)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")
    user = relationship("User", foreign_keys=[user_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])


class Price(db.Model):
    """A price of a qualification (net of VAT, in GBP) for one learner or a cohort of six,
    for RRN members or not, valid from a date until the next price of its kind."""

    __tablename__ = "prices"
    __table_args__ = (
        UniqueConstraint("qualification_id", "kind", "member", "valid_from"),
        CheckConstraint("kind IN ('individual', 'cohort')", name="known_kind"),
        CheckConstraint("net_amount >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualifications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    member: Mapped[bool]
    net_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    valid_from: Mapped[date] = mapped_column(Date)

    qualification = relationship("Qualification")


class Application(db.Model):
    """An application for an intake: one learner (individual), or an organisation's cohort of
    six seats at the cohort price, its learners named now or later. An administrator accepts
    (enrolments follow) or declines it."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("kind IN ('individual', 'cohort')", name="known_kind"),
        CheckConstraint("status IN ('submitted', 'accepted', 'declined', 'withdrawn')",
                        name="known_status"),
        CheckConstraint("kind = 'individual' OR organisation_id IS NOT NULL",
                        name="cohort_has_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id", ondelete="RESTRICT"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(20))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"),
                                              index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    member: Mapped[bool] = mapped_column(default=False,
                                         doc="An RRN member when it was priced.")
    price_id: Mapped[int] = mapped_column(ForeignKey("prices.id", ondelete="RESTRICT"))
    net_amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))

    intake = relationship("Intake")
    applicant = relationship("User", foreign_keys=[applicant_id])
    organisation = relationship("Organisation")
    price = relationship("Price")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    cohort = relationship("Cohort")
    seats: Mapped[list["Seat"]] = relationship(back_populates="application",
                                               order_by="Seat.number",
                                               cascade="all, delete-orphan")


class Seat(db.Model):
    """A named learner of an application: seat 1 of an individual application, seats 1 to 6
    of a cohort. The database itself refuses a seventh (seat numbers 1-6, each once) and a
    learner named twice."""

    __tablename__ = "seats"
    __table_args__ = (
        UniqueConstraint("application_id", "number"),
        UniqueConstraint("application_id", "learner_id"),
        CheckConstraint(f"number BETWEEN 1 AND {COHORT_SEATS}", name="at_most_six"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"),
                                            index=True)
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolments.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="seats")
    learner = relationship("User")
    enrolment = relationship("Enrolment")


class EnrolmentChange(db.Model):
    """One change to an enrolment, kept for good: created, activated, withdrawn, deferred (to
    another intake), extended (the window), transferred (a cohort seat to another learner)."""

    __tablename__ = "enrolment_changes"
    __table_args__ = (CheckConstraint(
        "kind IN ('created', 'activated', 'withdrawn', 'deferred', 'extended', 'transferred', "
        "'completed')", name="known_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment = relationship("Enrolment")
    made_by = relationship("User")
