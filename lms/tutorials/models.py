"""Tutorials: tutors' weekly availability and its exceptions, group and individual tutorial
sessions, learners' bookings (with the waitlist), the history of every change, reminders,
and each person's private calendar feed.

Times of sessions are stored in UTC; availability is kept as the tutor gave it, in
Europe/London wall-clock time, so that 10:00 stays 10:00 across the clock changes.
"""

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow

SESSION_KINDS = ("group", "individual")
SESSION_STATUSES = ("scheduled", "cancelled")
BOOKING_STATUSES = ("booked", "waitlisted", "cancelled", "attended", "no_show")
HOLDING = ("booked", "attended", "no_show")  # a place taken (the tutorial was, or is, theirs)


def _uid() -> str:
    return str(uuid.uuid4())


class TutorSettings(db.Model):
    """How a tutor's individual tutorials are offered: slot length and the gap kept after."""

    __tablename__ = "tutor_settings"
    __table_args__ = (
        CheckConstraint("slot_minutes BETWEEN 15 AND 240", name="slot_length"),
        CheckConstraint("buffer_minutes BETWEEN 0 AND 120", name="buffer_length"),
    )

    tutor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          primary_key=True)
    slot_minutes: Mapped[int] = mapped_column(default=60)
    buffer_minutes: Mapped[int] = mapped_column(default=15)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AvailabilityWindow(db.Model):
    """A weekly window in which a tutor offers individual tutorials, e.g. Tuesdays
    10:00-13:00, in Europe/London time."""

    __tablename__ = "availability_windows"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_0_monday_to_6_sunday"),
        CheckConstraint("ends > starts", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tutor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    weekday: Mapped[int] = mapped_column(doc="0 Monday ... 6 Sunday.")
    starts: Mapped[time] = mapped_column(Time, doc="Europe/London wall-clock time.")
    ends: Mapped[time] = mapped_column(Time, doc="Europe/London wall-clock time.")


class AvailabilityException(db.Model):
    """Days (leave, bank holidays), or a time on those days, when a tutor is not available,
    whatever their weekly windows say."""

    __tablename__ = "availability_exceptions"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="last_day_not_before_first"),
        CheckConstraint("(starts IS NULL) = (ends IS NULL)", name="both_times_or_neither"),
        CheckConstraint("starts IS NULL OR ends > starts", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tutor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    starts: Mapped[time | None] = mapped_column(Time, doc="None: the whole of each day.")
    ends: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TutorialSeries(db.Model):
    """Group sessions created together as a weekly series (same local time each week)."""

    __tablename__ = "tutorial_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    tutor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    weeks: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TutorialSession(db.Model):
    """One tutorial at one time: a group session (capacity up to 100) or an individual
    tutorial (one learner, booked from the tutor's free slots)."""

    __tablename__ = "tutorial_sessions"
    __table_args__ = (
        CheckConstraint("kind IN ('group', 'individual')", name="known_kind"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="known_status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity BETWEEN 1 AND 100", name="capacity_1_to_100"),
        CheckConstraint("kind = 'group' OR capacity = 1", name="individual_is_one_place"),
        # The place count is kept with the booking in one transaction; this is the rule
        # the database itself enforces: never more places taken than there are.
        CheckConstraint("places_taken >= 0 AND places_taken <= capacity", name="within_capacity"),
        Index("ix_tutorial_sessions_tutor_starts", "tutor_id", "starts_at"),
        # A tutor never has two live sessions starting at the same moment (overlaps in
        # general are refused under the booking lock; this catches the commonest at once).
        Index("uq_tutorial_sessions_tutor_start_scheduled", "tutor_id", "starts_at",
              unique=True, sqlite_where=text("status = 'scheduled'"),
              postgresql_where=text("status = 'scheduled'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=_uid,
                                     doc="Stable iCalendar UID of the tutor's event.")
    kind: Mapped[str] = mapped_column(String(20))
    tutor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="RESTRICT"),
                                             index=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("tutorial_series.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(default=1)
    places_taken: Mapped[int] = mapped_column(default=0)
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    cancel_reason: Mapped[str] = mapped_column(String(1000), default="")
    sequence: Mapped[int] = mapped_column(default=0, doc="iCalendar SEQUENCE of the tutor's event.")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tutor = relationship("User", foreign_keys=[tutor_id])
    activity = relationship("Activity")
    series: Mapped[TutorialSeries | None] = relationship()
    bookings: Mapped[list["Booking"]] = relationship(back_populates="session",
                                                     order_by="Booking.id")

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Booking(db.Model):
    """A learner's place in a session (or their place on its waitlist)."""

    __tablename__ = "tutorial_bookings"
    __table_args__ = (
        UniqueConstraint("session_id", "learner_id"),
        CheckConstraint("status IN ('booked', 'waitlisted', 'cancelled', 'attended', "
                        "'no_show')", name="known_status"),
        Index("ix_tutorial_bookings_learner_status", "learner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=_uid,
                                     doc="Stable iCalendar UID of the learner's event.")
    session_id: Mapped[int] = mapped_column(
        ForeignKey("tutorial_sessions.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    status: Mapped[str] = mapped_column(String(20))
    sequence: Mapped[int] = mapped_column(default=0, doc="iCalendar SEQUENCE of this event.")
    waitlisted_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When the learner joined the waitlist (their place in the queue).")
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(1000), default="")
    attendance_minutes: Mapped[int | None]
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance_marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    statement_id: Mapped[str | None] = mapped_column(
        String(36), doc="The `attended` statement recorded for this booking.")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[TutorialSession] = relationship(back_populates="bookings")
    learner = relationship("User", foreign_keys=[learner_id])
    enrolment = relationship("Enrolment")
    booked_by = relationship("User", foreign_keys=[booked_by_id])
    attendance_marked_by = relationship("User", foreign_keys=[attendance_marked_by_id])


class TutorialChange(db.Model):
    """One change to a session or a booking, kept for good: who, what, when, why."""

    __tablename__ = "tutorial_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("tutorial_sessions.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("tutorial_bookings.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")
    session: Mapped[TutorialSession] = relationship()
    booking: Mapped[Booking | None] = relationship()


class TutorialReminder(db.Model):
    """A reminder due to one person before one session (24 hours and 1 hour before).

    Rows are what should happen; the scheduler process keeps one APScheduler job per pending
    row in its database job store (`lms.tutorials.reminders`)."""

    __tablename__ = "tutorial_reminders"
    __table_args__ = (UniqueConstraint("session_id", "user_id", "lead"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("tutorial_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lead: Mapped[str] = mapped_column(String(10), doc="24h or 1h")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[TutorialSession] = relationship()
    user = relationship("User")


class CalendarFeed(db.Model):
    """A person's private calendar feed: the URL's secret token, stored only as a hash."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class TutorialLock(db.Model):
    """One row every change to tutorials updates first, so that bookings, moves and
    cancellations happen one at a time and each sees the last one's result (PostgreSQL: the
    row lock of the UPDATE; SQLite: the database's write lock, taken before anything is
    read)."""

    __tablename__ = "tutorial_lock"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
