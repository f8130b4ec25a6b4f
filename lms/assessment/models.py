"""Practice assessment: submissions of evidence with a signed authenticity declaration, an
assessor's decision per criterion, and internal verification of decisions."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow


class Submission(db.Model):
    """One attempt at a practice assessment: attempt 1, and at most one resubmission
    (attempt 2), allowed only when attempt 1 was in by its deadline and not yet met."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "activity_id", "attempt"),
        CheckConstraint("attempt IN (1, 2)", name="one_resubmission"),
        CheckConstraint("outcome IS NULL OR outcome IN ('met', 'not-yet-met')",
                        name="known_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="RESTRICT"),
                                             index=True)
    attempt: Mapped[int] = mapped_column(default=1)
    declaration: Mapped[str] = mapped_column(Text, doc="The declaration text signed.")
    signed_name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="", doc="The learner's note to the assessor.")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_date: Mapped[date] = mapped_column(Date)
    on_time: Mapped[bool]
    outcome: Mapped[str | None] = mapped_column(String(20))
    feedback: Mapped[str] = mapped_column(Text, default="")
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                    index=True)
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    statement_id: Mapped[str | None] = mapped_column(String(36),
                                                     doc="The `submitted` statement.")
    decision_statement_id: Mapped[str | None] = mapped_column(String(36))

    enrolment = relationship("Enrolment")
    activity = relationship("Activity")
    assessor = relationship("User", foreign_keys=[assessor_id])
    files: Mapped[list["EvidenceFile"]] = relationship(
        back_populates="submission", order_by="EvidenceFile.id", cascade="all, delete-orphan")
    decisions: Mapped[list["CriterionDecision"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan")
    verifications: Mapped[list["Verification"]] = relationship(
        back_populates="submission", order_by="Verification.id", cascade="all, delete-orphan")


class EvidenceFile(db.Model):
    """One file of evidence, kept in `instance/evidence/` under a random name."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"),
                                               index=True)
    filename: Mapped[str] = mapped_column(String(255), doc="The sanitised original name.")
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))

    submission: Mapped[Submission] = relationship(back_populates="files")


class CriterionDecision(db.Model):
    """The assessor's decision on one assessment criterion for one submission."""

    __tablename__ = "criterion_decisions"
    __table_args__ = (CheckConstraint("decision IN ('met', 'not-yet-met')",
                                      name="known_decision"),)

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="RESTRICT"),
                                              primary_key=True)
    decision: Mapped[str] = mapped_column(String(20))
    feedback: Mapped[str] = mapped_column(Text, default="")

    submission: Mapped[Submission] = relationship(back_populates="decisions")
    criterion = relationship("Criterion")


class Verification(db.Model):
    """An internal verifier's check of an assessor's decision: agreed, or action required."""

    __tablename__ = "verifications"
    __table_args__ = (CheckConstraint("outcome IN ('agreed', 'action-required')",
                                      name="known_outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"),
                                               index=True)
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    statement_id: Mapped[str | None] = mapped_column(String(36))

    submission: Mapped[Submission] = relationship(back_populates="verifications")
    verifier = relationship("User")
