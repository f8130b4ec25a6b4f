"""SCORM attempts: the run-time data (CMI) of each learner's attempt at each SCO of a SCORM
activity, with the open session's runtime token and the last request sequence applied."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow


class ScormAttempt(db.Model):
    """One learner's attempt (numbered from 1) at one SCO of a SCORM activity under one
    enrolment. The highest number is the current attempt: every launch continues it, and a new
    one is made only when the learner starts again.

    `cmi` holds the elements the SCO set (dot-notation name → string value, collections
    included); the LMS-owned values (learner id and name, entry, credit, mode, total time,
    the manifest's data) are computed when a session opens, never stored there. Statuses are
    the derived ones (what the LMS reports): for SCORM 1.2 `completion_status` and
    `success_status` are read from `cmi.core.lesson_status` (passed/failed are completed).

    A session is one launch of the SCO: opening it makes a new `token_hash` (the runtime
    token's SHA-256), resets `last_sequence` and `session_seconds`; `terminated_at` is set by
    Terminate/LMSFinish or the page's unload, after which the token is refused.
    """

    __tablename__ = "scorm_attempts"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "activity_id", "sco_identifier", "number",
                         name="uq_scorm_attempts_attempt_number"),
        CheckConstraint("number >= 1", name="number_from_1"),
        CheckConstraint("completion_status IN ('completed', 'incomplete', 'not attempted', "
                        "'unknown', 'browsed')", name="known_completion_status"),
        CheckConstraint("success_status IN ('passed', 'failed', 'unknown')",
                        name="known_success_status"),
        CheckConstraint("entry_next IN ('ab-initio', 'resume', '')", name="known_entry"),
        CheckConstraint("session_mode IN ('normal', 'review', 'browse')",
                        name="known_session_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("content_packages.id", ondelete="CASCADE"), index=True,
        doc="The package the attempt was started on (a new upload applies to new attempts).")
    sco_identifier: Mapped[str] = mapped_column(String(255),
                                                doc="The manifest item's identifier.")
    number: Mapped[int] = mapped_column(Integer, default=1)
    cmi: Mapped[dict] = mapped_column(JSON, default=dict)
    completion_status: Mapped[str] = mapped_column(String(20), default="not attempted")
    success_status: Mapped[str] = mapped_column(String(20), default="unknown")
    score_scaled: Mapped[float | None] = mapped_column(Float)
    score_raw: Mapped[float | None] = mapped_column(Float)
    total_seconds: Mapped[float] = mapped_column(
        Float, default=0.0, doc="Every session's time, this session's included.")
    location: Mapped[str] = mapped_column(Text, default="")
    suspended: Mapped[bool] = mapped_column(Boolean, default=False,
                                            doc="The last exit was suspend.")
    entry_next: Mapped[str] = mapped_column(
        String(10), default="ab-initio", doc="cmi.entry for the next session.")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    session_mode: Mapped[str] = mapped_column(String(10), default="normal")
    session_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    session_seconds: Mapped[float] = mapped_column(
        Float, default=0.0, doc="The open session's session_time, already in total_seconds.")
    session_initialized: Mapped[bool] = mapped_column(Boolean, default=False)
    terminated_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When the latest session ended; None while one is open.")
    sessions: Mapped[int] = mapped_column(Integer, default=0)

    enrolment = relationship("Enrolment")
    activity = relationship("Activity")
    package = relationship("ContentPackage")

    @property
    def done(self) -> bool:
        """Completed or passed (what "Start again" is offered for)."""
        return self.completion_status == "completed" or self.success_status == "passed"
