"""Scheduled work on enrolments, run daily by the scheduler (`lms.scheduler.jobs`) and
written as functions of `today` (a Europe/London date) so they can be tested on any date.

- `activate_due_enrolments`: pending enrolments become active on their start date.
- `remind_window_ends`: the learner and their tutor are told, once for each of
  `WINDOW_REMINDER_DAYS` (90 and 30 days by default), that the window is ending.
"""

import logging
from datetime import date, timedelta

from flask import current_app

from lms.enrolment.changes import london_today, record_change
from lms.enrolment.models import Enrolment
from lms.extensions import db
from lms.notifications.operations import notify

__all__ = ["activate_due_enrolments", "london_today", "remind_window_ends"]

log = logging.getLogger(__name__)


def activate_due_enrolments(today: date) -> int:
    """Make every pending enrolment whose start date has come active, each with an
    `activated` change; returns how many. (Run late, it catches up.)"""
    due = db.session.execute(db.select(Enrolment).where(
        Enrolment.status == "pending", Enrolment.start_date <= today)
        .order_by(Enrolment.id)).scalars().all()
    for enrolment in due:
        enrolment.status = "active"
        record_change(enrolment, "activated", details={
            "from": {"status": "pending"}, "to": {"status": "active"},
            "on": today.isoformat()})
    log.info("%d enrolments became active on %s", len(due), today)
    return len(due)


def reminder_due(window_ends: date, today: date, days: tuple[int, ...]) -> int | None:
    """Which reminder (days before the end) is due today, if any: the smallest of `days` the
    end is now within. On its day exactly, or later when the scheduler missed a day."""
    remaining = (window_ends - today).days
    if remaining < 0:
        return None
    within = [d for d in days if remaining <= d]
    return min(within) if within else None


def _message(enrolment: Enrolment, days: int, to_tutor: bool) -> tuple[str, str]:
    learner = enrolment.learner.name
    ends = f"{enrolment.window_ends.day} {enrolment.window_ends:%B %Y}"
    qualification = enrolment.intake.qualification.title
    if to_tutor:
        return (f"{learner}'s window ends in {days} days",
                f"{learner}'s time to complete the {qualification} ends on {ends}.")
    return (f"Your window ends in {days} days",
            f"Your time to complete the {qualification} ends on {ends}. Your tutor can tell "
            f"you what is left and, if you need it, ask for an extension.")


def remind_window_ends(today: date) -> int:
    """Remind learners, and their tutors, that a window is ending; each reminder once for
    each end date (an extended window is reminded about again). Returns how many messages."""
    days = tuple(sorted(current_app.config["WINDOW_REMINDER_DAYS"]))
    if not days:
        return 0
    ending = db.session.execute(db.select(Enrolment).where(
        Enrolment.status == "active", Enrolment.window_ends >= today,
        Enrolment.window_ends <= today + timedelta(days=max(days)))
        .order_by(Enrolment.id)).scalars().all()
    sent = 0
    for enrolment in ending:
        reminder = reminder_due(enrolment.window_ends, today, days)
        if reminder is None:
            continue
        remaining = (enrolment.window_ends - today).days
        for person, to_tutor in ((enrolment.learner, False), (enrolment.tutor, True)):
            if person is None:
                continue
            subject, body = _message(enrolment, remaining, to_tutor)
            key = (f"window-ending:{enrolment.id}:{enrolment.window_ends.isoformat()}:"
                   f"{reminder}:{person.id}")
            if notify(person, "window-ending", subject, body, dedupe_key=key,
                      data={"enrolment": enrolment.id, "window_ends":
                            enrolment.window_ends.isoformat(), "days": reminder}):
                sent += 1
    log.info("%d window reminders on %s", sent, today)
    return sent
