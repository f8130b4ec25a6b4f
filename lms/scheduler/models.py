"""The scheduler's heartbeat, read by `/healthz`."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.timeutil import UTCDateTime


class SchedulerHeartbeat(db.Model):
    """The last sign of life of the scheduler process (one row)."""

    __tablename__ = "scheduler_heartbeat"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), doc="running or stopped")
    pid: Mapped[int]
    hostname: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
