"""Scheduled jobs. Each runs inside the scheduler process's application context.

Jobs are stored by reference (`lms.scheduler.jobs:heartbeat`) in APScheduler's database job
store, so they survive restarts; the function must stay importable under that name.
"""

import functools
import logging
import os
import socket
from datetime import timedelta

from lms.extensions import db
from lms.scheduler.models import SchedulerHeartbeat
from lms.timeutil import utcnow

_app = None  # set by the scheduler process (lms.scheduler.runner) before jobs run

HEARTBEAT = "scheduler"
LAUNCH_CREDENTIALS_KEPT = timedelta(days=7)  # after expiry: who stored what stays traceable a while

log = logging.getLogger(__name__)


def bind(app) -> None:
    """Give the jobs the application they run in."""
    global _app
    _app = app


def job(function):
    """Run `function` inside the app context, committing once, rolling back on failure."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if _app is None:
            raise RuntimeError("scheduler jobs run only inside `lms scheduler`")
        with _app.app_context():
            try:
                result = function(*args, **kwargs)
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise

    return wrapper


def record_heartbeat(state: str = "running", started_at=None) -> None:
    """Write the scheduler's state and the time now into the heartbeat row."""
    now = utcnow()
    beat = db.session.get(SchedulerHeartbeat, HEARTBEAT)
    if beat is None:
        beat = SchedulerHeartbeat(name=HEARTBEAT, started_at=started_at or now)
        db.session.add(beat)
    if started_at is not None:
        beat.started_at = started_at
    beat.state = state
    beat.pid = os.getpid()
    beat.hostname = socket.gethostname()
    beat.beat_at = now


@job
def heartbeat() -> None:
    """Show `/healthz` that the scheduler is alive."""
    record_heartbeat()


@job
def forward_statements() -> None:
    """Send stored statements to the upstream LRSs (xapi.forwarding), with retries."""
    from flask import current_app

    from xapi.forwarding import drain

    drain(current_app.extensions["xapi"].engine)


@job
def purge_launch_credentials() -> int:
    """Delete the launch credentials (one LRS client per launch) that expired more than
    `LAUNCH_CREDENTIALS_KEPT` ago; returns how many."""
    from xapi.service import purge_expired_launch_credentials

    deleted = purge_expired_launch_credentials(LAUNCH_CREDENTIALS_KEPT)
    log.info("deleted %d expired launch credentials", deleted)
    return deleted


@job
def abandon_cmi5_sessions() -> int:
    """Abandon cmi5 AU sessions left open longer than CMI5_SESSION_TIMEOUT_MINUTES (the cmi5
    type records `abandoned` for each); returns how many. Nothing when the type is not
    installed."""
    from flask import current_app

    kind = current_app.extensions["lms.activity_types"].get("cmi5")
    if kind is None or not hasattr(kind, "abandon_stale_sessions"):
        return 0
    return kind.abandon_stale_sessions(current_app.config["CMI5_SESSION_TIMEOUT_MINUTES"])


@job
def send_notifications() -> int:
    """E-mail the notification outbox's due messages (when SMTP is configured), with
    retries; returns how many were sent."""
    from lms.notifications.sending import send_due

    return send_due()


@job
def activate_enrolments() -> int:
    """Enrolments whose start date (Europe/London) has come become active."""
    from lms.enrolment.tasks import activate_due_enrolments, london_today

    return activate_due_enrolments(london_today())


@job
def remind_window_endings() -> int:
    """Remind learners and their tutors before the end of a learner's window."""
    from lms.enrolment.tasks import london_today, remind_window_ends

    return remind_window_ends(london_today())


@job
def check_invoices() -> dict:
    """Flag overdue invoices and remind or tell their payers (lms.invoicing.overdue), for
    today's Europe/London date."""
    from lms.invoicing.operations import today_in_london
    from lms.invoicing.overdue import check_invoices as check

    return check(today_in_london())


_scheduler = None  # the running scheduler, for the job that keeps the reminder jobs in step


def bind_scheduler(scheduler) -> None:
    """Give `sync_tutorial_reminders` the scheduler whose job store it keeps in step."""
    global _scheduler
    _scheduler = scheduler


@job
def sync_tutorial_reminders() -> dict:
    """Make the reminder jobs in the job store match the tutorials' pending reminders
    (added, moved, removed): lms.tutorials.reminders.sync."""
    from lms.tutorials.reminders import sync

    if _scheduler is None:
        raise RuntimeError("sync_tutorial_reminders runs only inside `lms scheduler`")
    return sync(_scheduler)


@job
def send_tutorial_reminder(reminder_id: int) -> bool:
    """Send one tutorial reminder (24 hours or 1 hour before) if it is still wanted."""
    from lms.tutorials.reminders import send

    return send(reminder_id)
