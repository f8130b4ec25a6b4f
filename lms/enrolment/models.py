"""Organisations, intakes, cohorts and enrolments."""

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow


class Organisation(db.Model):
    """A care provider that sends learners, often as a cohort of six."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    rrn_member: Mapped[bool] = mapped_column(default=False,
                                             doc="Restraint Reduction Network member.")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Intake(db.Model):
    """One start of a qualification: learners on it start together."""

    __tablename__ = "intakes"
    __table_args__ = (UniqueConstraint("qualification_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualifications.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    applications_open: Mapped[date | None] = mapped_column(Date)
    applications_close: Mapped[date | None] = mapped_column(Date)
    final_payment_date: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int | None]

    qualification = relationship("Qualification")


class Cohort(db.Model):
    """Learners of one organisation taking an intake together (six seats at the cohort price)."""

    __tablename__ = "cohorts"
    __table_args__ = (CheckConstraint("seats BETWEEN 1 AND 6", name="seats_up_to_six"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id", ondelete="RESTRICT"),
                                           index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    seats: Mapped[int] = mapped_column(default=6)

    intake: Mapped[Intake] = relationship()
    organisation: Mapped[Organisation] = relationship()


class Enrolment(db.Model):
    """A learner on an intake of a qualification, with a tutor and an end to their window."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("learner_id", "intake_id"),
        CheckConstraint("status IN ('active', 'pending', 'completed', 'withdrawn', 'deferred', "
                        "'transferred')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration: Mapped[str] = mapped_column(
        String(36), unique=True, default=lambda: str(uuid.uuid4()),
        doc="The xAPI registration of everything learnt under this enrolment.")
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"),
                                            index=True)
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id", ondelete="RESTRICT"),
                                           index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"),
                                                  index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    start_date: Mapped[date] = mapped_column(Date)
    window_ends: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    learner = relationship("User", foreign_keys=[learner_id])
    tutor = relationship("User", foreign_keys=[tutor_id])
    intake: Mapped[Intake] = relationship()
    cohort: Mapped[Cohort | None] = relationship()


class WindowExtension(db.Model):
    """An extension of a learner's window to complete, with the reason and who approved it."""

    __tablename__ = "window_extensions"
    __table_args__ = (CheckConstraint("new_end > previous_end", name="extends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    previous_end: Mapped[date] = mapped_column(Date)
    new_end: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(1000))
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()
    approved_by = relationship("User")
