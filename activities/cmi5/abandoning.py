"""Abandoned sessions: an AU launched and left without `terminated` (the window closed, the
computer slept) is ended by the scheduler once nothing has come from it for
`CMI5_SESSION_TIMEOUT_MINUTES`, with an `abandoned` statement whose duration is the session's
time from its launch to its last statement."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from activities.cmi5.launching import abandon
from activities.cmi5.models import Cmi5Session
from lms.extensions import db
from lms.timeutil import utcnow


def stale_sessions(now: datetime, timeout: timedelta) -> list[Cmi5Session]:
    """The open sessions whose last statement (or launch, when none came) is older than
    `timeout` at `now`, oldest first."""
    last = func.coalesce(Cmi5Session.last_statement_at, Cmi5Session.launched_at)
    return list(db.session.execute(
        select(Cmi5Session).where(Cmi5Session.terminated_at.is_(None),
                                  Cmi5Session.abandoned_at.is_(None),
                                  Cmi5Session.waived_at.is_(None), last < now - timeout)
        .order_by(Cmi5Session.id)).scalars())


def abandon_stale_sessions(timeout_minutes: int, now: datetime | None = None) -> int:
    """Abandon every stale session (see `stale_sessions`); returns how many were. Commits
    each one before its statement is recorded."""
    now = now or utcnow()
    count = 0
    for row in stale_sessions(now, timedelta(minutes=timeout_minutes)):
        if abandon(row, now) is not None:
            count += 1
    return count
