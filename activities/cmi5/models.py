"""cmi5 records kept by Pathway beside the LRS: each AU launch session (with its one-use fetch
token and the launch credentials handed out at fetch) and what has been satisfied per
registration (AU, block, course), so `satisfied` is recorded once each."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow


class Cmi5Session(db.Model):
    """One launch of one AU for one learner's enrolment (a cmi5 "session"), from `launched`
    to `terminated`, `abandoned` (the scheduler found it left open) or `waived` (a tutor's
    waiver is recorded as a session of its own, with no fetch token)."""

    __tablename__ = "cmi5_sessions"
    __table_args__ = (
        CheckConstraint("launch_mode IN ('Normal', 'Browse', 'Review')",
                        name="known_launch_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(36), unique=True,
                                            doc="The cmi5 session id (uuid4).")
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("content_packages.id", ondelete="CASCADE"), index=True)
    registration: Mapped[str] = mapped_column(String(36), index=True,
                                              doc="The enrolment's xAPI registration.")
    actor: Mapped[dict] = mapped_column(JSON, doc="The learner's xAPI agent.")
    au_id: Mapped[str] = mapped_column(Text, doc="The AU's activity id (from cmi5.xml).")
    au_index: Mapped[int] = mapped_column(doc="The AU's position in cmi5.xml, from 0.")
    launch_mode: Mapped[str] = mapped_column(String(10), default="Normal")
    move_on: Mapped[str] = mapped_column(String(30), default="NotApplicable")
    mastery_score: Mapped[float | None] = mapped_column(Float)
    fetch_token_hash: Mapped[str | None] = mapped_column(
        String(64), unique=True, doc="SHA-256 of the fetch URL's token; none for a waiver.")
    fetch_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_key: Mapped[str | None] = mapped_column(
        String(64), index=True, doc="Key of the launch credentials handed out at fetch.")
    launched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    initialized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    terminated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_statement_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seconds: Mapped[float] = mapped_column(Float, default=0.0,
                                           doc="The session's duration once it has ended.")

    enrolment = relationship("Enrolment")
    activity = relationship("Activity")
    package = relationship("ContentPackage")

    @property
    def is_open(self) -> bool:
        """Launched and not yet ended (terminated, abandoned or a waiver)."""
        return (self.terminated_at is None and self.abandoned_at is None
                and self.waived_at is None)


class Cmi5Satisfied(db.Model):
    """An AU, block or course satisfied under a registration, so that Pathway records the
    `satisfied` statement of a block or the course once. (The specification has `satisfied`
    statements only about blocks and the course; an AU's row records when its moveOn was met
    and by which statement.)"""

    __tablename__ = "cmi5_satisfied"
    __table_args__ = (
        UniqueConstraint("registration", "object_iri"),
        CheckConstraint("kind IN ('au', 'block', 'course')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration: Mapped[str] = mapped_column(String(36), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True, doc="The catalogue activity.")
    object_iri: Mapped[str] = mapped_column(
        Text, doc="The activity id Pathway gives the AU, block or course (its LMS id).")
    kind: Mapped[str] = mapped_column(String(10))
    satisfied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    statement_id: Mapped[str | None] = mapped_column(
        String(36), doc="The statement that satisfied it: Pathway's `satisfied` (block, "
        "course), the AU's `completed`/`passed` or the `waived`; none for a NotApplicable AU.")
