"""Reminders 24 hours and 1 hour before each tutorial, as APScheduler jobs.

Web requests never touch the scheduler's job store (one scheduler, one writer of its
store): a change to a tutorial updates `tutorial_reminders` rows in its own transaction,
and the scheduler process's `sync_reminders` job (every TUTORIAL_REMINDER_SYNC_SECONDS)
makes its database job store match them: one `date` job per pending reminder, added, moved
when the tutorial moves, removed when it is cancelled. Jobs and rows are both in the
database, so reminders survive a restart of the scheduler; a reminder's job sends it once
(the row's `sent_at`, and the outbox's dedupe key, see to that).
"""

import logging
from datetime import datetime, timedelta

from lms.extensions import db
from lms.notifications.operations import notify
from lms.timeutil import london, utcnow
from lms.tutorials.models import HOLDING, TutorialReminder, TutorialSession
from lms.tutorials.operations import when_text

LEADS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
# How late a reminder may still go out when the scheduler was down at its time.
GRACE = {"24h": timedelta(hours=6), "1h": timedelta(minutes=50)}
JOB_PREFIX = "tutorial-reminder-"
JOB_FUNCTION = "lms.scheduler.jobs:send_tutorial_reminder"

log = logging.getLogger(__name__)


def plan(session: TutorialSession, user, now: datetime | None = None) -> None:
    """Make `user`'s reminders for `session` match its time: one per lead still ahead (a
    reminder whose time has passed, say for a tutorial booked 3 hours ahead, is not made).
    A moved tutorial's reminders are due again at their new times."""
    now = now or utcnow()
    existing = {r.lead: r for r in db.session.execute(
        db.select(TutorialReminder).where(TutorialReminder.session_id == session.id,
                                          TutorialReminder.user_id == user.id)).scalars()}
    for lead, before in LEADS.items():
        due = session.starts_at - before
        reminder = existing.get(lead)
        if due <= now:
            if reminder is not None and reminder.sent_at is None:
                db.session.delete(reminder)
            continue
        if reminder is None:
            db.session.add(TutorialReminder(session_id=session.id, user_id=user.id, lead=lead,
                                            due_at=due))
        elif reminder.due_at != due:
            reminder.due_at, reminder.sent_at = due, None


def drop(session: TutorialSession, user=None) -> None:
    """Remove the session's reminders (of one person, or of everyone)."""
    statement = db.delete(TutorialReminder).where(TutorialReminder.session_id == session.id)
    if user is not None:
        statement = statement.where(TutorialReminder.user_id == user.id)
    db.session.execute(statement.execution_options(synchronize_session="fetch"))


def replan(session: TutorialSession) -> None:
    """After a session moved: everyone's reminders follow it."""
    plan(session, session.tutor)
    for booking in session.bookings:
        if booking.status == "booked":
            plan(session, booking.learner)


# ---- in the scheduler process ---------------------------------------------------------------

def job_id(reminder_id: int) -> str:
    return f"{JOB_PREFIX}{reminder_id}"


def sync(scheduler, now: datetime | None = None) -> dict:
    """Make the scheduler's reminder jobs match the pending reminders; returns counts."""
    now = now or utcnow()
    pending = {r.id: r for r in db.session.execute(
        db.select(TutorialReminder).where(TutorialReminder.sent_at.is_(None))).scalars()}
    counts = {"added": 0, "moved": 0, "removed": 0, "missed": 0}
    jobs = {job.id: job for job in scheduler.get_jobs() if job.id.startswith(JOB_PREFIX)}
    for reminder_id, reminder in pending.items():
        run_at = max(reminder.due_at, now)
        if now - reminder.due_at > GRACE[reminder.lead]:
            # The scheduler was down for too long: too late to help; dropped (its job, if
            # any, goes with the other leftovers below).
            counts["missed"] += 1
            db.session.delete(reminder)
            continue
        job = jobs.pop(job_id(reminder_id), None)
        if job is None:
            scheduler.add_job(JOB_FUNCTION, "date", id=job_id(reminder_id), args=[reminder_id],
                              run_date=run_at, misfire_grace_time=int(
                                  GRACE[reminder.lead].total_seconds()),
                              replace_existing=True)
            counts["added"] += 1
        elif job.trigger.run_date != reminder.due_at and (
                reminder.due_at > now or job.trigger.run_date > now):
            # Moved; moved to a time already past since the last sync, it goes now, not at
            # its old time (a job whose time has come is left to run).
            scheduler.reschedule_job(job.id, trigger="date", run_date=run_at)
            counts["moved"] += 1
    for job in jobs.values():  # cancelled tutorials, sent reminders
        scheduler.remove_job(job.id)
        counts["removed"] += 1
    return counts


def send(reminder_id: int, now: datetime | None = None) -> bool:
    """Send one reminder if it is still wanted and due; True when a message went out."""
    now = now or utcnow()
    reminder = db.session.get(TutorialReminder, reminder_id)
    if reminder is None or reminder.sent_at is not None:
        return False
    if reminder.due_at > now + timedelta(minutes=1):
        return False  # moved later since this job was set; the next sync moves the job
    session = reminder.session
    user = reminder.user
    if session.status != "scheduled" or session.starts_at <= now or not user.active:
        reminder.sent_at = now  # nothing to remind of, or nobody to remind (deactivated)
        return False
    if user.id != session.tutor_id and not any(
            b.learner_id == user.id and b.status in HOLDING for b in session.bookings):
        reminder.sent_at = now
        return False
    lead = "tomorrow" if reminder.lead == "24h" else "in an hour"
    body = [f"Dear {user.name},", "",
            f"A reminder: your tutorial {session.title!r} starts {lead}.", "",
            f"{when_text(session.starts_at)} to {london(session.ends_at):%H:%M} (UK time)"]
    if session.meeting_url:
        body.append(f"Join online: {session.meeting_url}")
    notify(user, "tutorial-reminder", f"Reminder: {session.title} {lead}", "\n".join(body),
           {"session": session.id, "lead": reminder.lead},
           dedupe_key=f"tutorial-reminder:{session.id}:{user.id}:{reminder.lead}:"
                      f"{session.starts_at.isoformat()}")
    reminder.sent_at = now
    log.info("sent the %s reminder of session %s to user %s", reminder.lead, session.id,
             user.id)
    return True
