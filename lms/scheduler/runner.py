"""The scheduler process: exactly one per deployment, guarded by a lock."""

import fcntl
import logging
import os
import signal
import socket
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import text

from lms.extensions import db
from lms.scheduler import jobs
from lms.timeutil import utcnow

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
PG_LOCK_KEY = 0x5041_5448  # "PATH": the advisory lock held by the one scheduler


class SchedulerAlreadyRunning(RuntimeError):
    """Another scheduler process holds the lock for this database."""


def _lock(app):
    """Hold a lock for this database for the life of the process, or raise."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        connection = engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY})
        if not got.scalar():
            connection.close()
            raise SchedulerAlreadyRunning("another scheduler holds this database's lock")
        connection.commit()
        return connection
    path = Path(app.instance_path) / "scheduler.lock"
    handle = open(path, "w")  # noqa: SIM115 (held open for the life of the process)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise SchedulerAlreadyRunning(f"another scheduler holds {path}") from exc
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def build_scheduler(app, scheduler_class=BlockingScheduler) -> BlockingScheduler:
    """The scheduler with its database job store and Pathway's standing jobs (a blocking
    one for `lms scheduler`; tests may run a background one)."""
    scheduler = scheduler_class(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename=JOB_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
        timezone="UTC",
    )
    scheduler.add_job(
        "lms.scheduler.jobs:heartbeat", "interval", id="heartbeat", replace_existing=True,
        seconds=app.config["SCHEDULER_HEARTBEAT_SECONDS"], next_run_time=utcnow(),
    )
    scheduler.add_job(
        "lms.scheduler.jobs:forward_statements", "interval", id="xapi-forwarding",
        replace_existing=True, seconds=app.config["XAPI_FORWARD_SECONDS"],
    )
    # At a fixed time each day, so that restarting the scheduler never puts it off.
    scheduler.add_job(
        "lms.scheduler.jobs:purge_launch_credentials", "cron", id="launch-credentials-purge",
        replace_existing=True, hour=3, minute=40,
    )
    # Invoices' due dates are London dates too: checked each morning there (overdue from
    # the day after the due date; reminders 14 days before).
    scheduler.add_job(
        "lms.scheduler.jobs:check_invoices", "cron", id="invoices-overdue",
        replace_existing=True, hour=7, minute=5, timezone="Europe/London",
    )
    scheduler.add_job(
        "lms.scheduler.jobs:send_notifications", "interval", id="notification-sending",
        replace_existing=True, minutes=1,
    )
    scheduler.add_job(
        "lms.scheduler.jobs:abandon_cmi5_sessions", "interval", id="cmi5-abandoned",
        replace_existing=True, minutes=5,
    )
    # Dates of enrolments are London dates: these run just after midnight and in the morning
    # there, whatever the clocks do.
    scheduler.add_job(
        "lms.scheduler.jobs:activate_enrolments", "cron", id="enrolment-activation",
        replace_existing=True, hour=0, minute=5, timezone="Europe/London",
    )
    scheduler.add_job(
        "lms.scheduler.jobs:remind_window_endings", "cron", id="window-end-reminders",
        replace_existing=True, hour=8, minute=0, timezone="Europe/London",
    )
    # Tutorial reminders are jobs of their own (one per reminder, in this job store); this
    # keeps them in step with the tutorials as they are booked, moved and cancelled.
    scheduler.add_job(
        "lms.scheduler.jobs:sync_tutorial_reminders", "interval", id="tutorial-reminders-sync",
        replace_existing=True, seconds=app.config["TUTORIAL_REMINDER_SYNC_SECONDS"],
        next_run_time=utcnow(),
    )
    jobs.bind_scheduler(scheduler)
    return scheduler


def run(app) -> None:
    """Run the scheduler until SIGINT or SIGTERM. Raises SchedulerAlreadyRunning."""
    # Jobs talk to other servers (upstream LRSs, SMTP): none may hang the scheduler.
    socket.setdefaulttimeout(app.config["SCHEDULER_NETWORK_TIMEOUT"])
    jobs.bind(app)
    with app.app_context():
        lock = _lock(app)
        jobs.record_heartbeat("running", started_at=utcnow())
        db.session.commit()
        scheduler = build_scheduler(app)

        def stop(signum, _frame):
            log.info("scheduler stopping on signal %s", signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("scheduler started (pid %s)", os.getpid())
        try:
            scheduler.start()
        finally:
            jobs.record_heartbeat("stopped")
            db.session.commit()
            lock.close()
            log.info("scheduler stopped")
