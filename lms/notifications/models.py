"""The notification outbox: every message Pathway sends a person is stored first, then sent
by e-mail (SMTP, when configured) by the scheduler with retries; it stays readable through
the API either way."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow


class Notification(db.Model):
    """One message to one person."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(50), doc="e.g. invoice-overdue, window-ending.")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    calendar: Mapped[str | None] = mapped_column(
        Text, doc="An iCalendar document sent with the message (a tutorial invitation or "
                  "its cancellation).")
    dedupe_key: Mapped[str | None] = mapped_column(
        String(200), unique=True, doc="Set for messages that must go once only.")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User")
