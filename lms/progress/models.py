"""The progress projection: what the learning record means, kept up to date as statements are
stored (see `lms.progress.projection`) and rebuildable from them at any time.

`LearningEvent` is one stored statement as progress sees it; `ActivityProgress`,
`UnitProgress` and `EnrolmentProgress` roll those up to an activity's status, a unit's
achievement and the qualification's hours and credits. None of these tables is a source of
truth: `lms progress rebuild` empties and refills them from the LRS.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow

Hours = Numeric(7, 2)
ACTIVITY_STATUSES = "('not-started', 'started', 'completed', 'passed', 'failed')"


class LearningEvent(db.Model):
    """One stored xAPI statement about a known activity in a known enrolment, interpreted by
    the activity's type. Keyed by the statement's id, so a statement counts once; removed
    when the statement is voided."""

    __tablename__ = "learning_events"
    __table_args__ = (Index("ix_learning_events_enrolment_activity", "enrolment_id",
                            "activity_id"),)

    statement_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[str] = mapped_column(String(30))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, doc="The statement's timestamp.")
    trusted: Mapped[bool] = mapped_column(doc="Recorded by Pathway itself, not by content.")
    seconds: Mapped[float] = mapped_column(default=0.0)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class ActivityProgress(db.Model):
    """One learner's standing on one activity (absent: not started)."""

    __tablename__ = "activity_progress"
    __table_args__ = (CheckConstraint(f"status IN {ACTIVITY_STATUSES}", name="known_status"),)

    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True, index=True)
    status: Mapped[str] = mapped_column(String(20))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    credited_hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    seconds_spent: Mapped[float] = mapped_column(default=0.0)
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class UnitProgress(db.Model):
    """One learner's standing on one unit: achieved (credits awarded) when every required
    activity is complete and its practice assessment met."""

    __tablename__ = "unit_progress"
    __table_args__ = (CheckConstraint("status IN ('not-started', 'in-progress', 'achieved')",
                                      name="known_status"),)

    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"),
                                         primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    achieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guided_hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    self_study_hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    credits: Mapped[int] = mapped_column(default=0, doc="Awarded: all or nothing.")
    activities_complete: Mapped[int] = mapped_column(default=0)


class EnrolmentProgress(db.Model):
    """An enrolment's totals: hours toward the qualification's hours (guided and self-study
    apart), credits awarded, units achieved, and when the qualification was achieved."""

    __tablename__ = "enrolment_progress"

    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), primary_key=True)
    guided_hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    self_study_hours: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))
    seconds_spent: Mapped[float] = mapped_column(default=0.0)
    credits: Mapped[int] = mapped_column(default=0)
    units_achieved: Mapped[int] = mapped_column(default=0)
    activities_complete: Mapped[int] = mapped_column(default=0)
    last_learning_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    all_units_achieved_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When the last unit was achieved (the qualification is achieved if "
        "that is inside the learner's window).")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
