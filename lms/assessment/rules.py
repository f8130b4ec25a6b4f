"""The rules of practice assessment: the authenticity declaration, due dates, and which
attempt a learner may submit next (one resubmission, only after a "not yet met" decision on an
original that was in on time)."""

import re
from datetime import date, datetime, timedelta

from flask import current_app

from lms.errors import Conflict
from lms.timeutil import london

DECLARATION = (
    "This is my own work. I declare that the evidence I am submitting was produced by me, "
    "from my own practice in my own service; that where I have used other people's words, "
    "ideas or material I have said so; that I have removed details that could identify the "
    "people I support, their families or my colleagues, or have their consent to include "
    "them; and that I understand my work will not be accepted if it is found not to be my own."
)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def declaration_signed(text: str) -> bool:
    """Whether `text` is the published declaration (line breaks and runs of spaces aside)."""
    return _words(text) == DECLARATION


def signed_by(user, signed_name: str) -> bool:
    """Whether `signed_name` is the user's name as on their account (case and spacing
    aside)."""
    return _words(signed_name).casefold() == _words(user.name).casefold()


def due_date(enrolment, config: dict) -> date:
    """When an original submission is due: `due_weeks` after the enrolment's start when the
    activity's configuration gives it (never after the window ends), else the end of the
    learner's window."""
    weeks = config.get("due_weeks")
    if weeks:
        return min(enrolment.start_date + timedelta(weeks=weeks), enrolment.window_ends)
    return enrolment.window_ends


def working_days_after(day: date, count: int) -> date:
    """The date `count` working days (Monday to Friday) after `day`."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def resubmission_due(enrolment, decided_at: datetime) -> date:
    """When a resubmission is due: `RESUBMISSION_WORKING_DAYS` working days after the "not
    yet met" decision (never after the learner's window ends)."""
    due = working_days_after(london(decided_at).date(),
                             current_app.config["RESUBMISSION_WORKING_DAYS"])
    return min(due, enrolment.window_ends)


def on_time(submitted_at: datetime, due: date) -> bool:
    """In on or before the due date, as a date in Europe/London."""
    return london(submitted_at).date() <= due


def next_attempt(previous: list) -> int:
    """The attempt a learner may submit next, given their earlier submissions for the same
    activity (oldest first); raises Conflict with the reason when they may not submit."""
    for earlier in previous:
        if earlier.outcome is None:
            raise Conflict(
                f"Attempt {earlier.attempt}, submitted on {london_day(earlier.submitted_at)}, is "
                "awaiting a decision: only one submission may await a decision at a time.")
    if not previous:
        return 1
    if any(earlier.outcome == "met" for earlier in previous):
        raise Conflict("This assessment is already met: there is nothing to resubmit.")
    if len(previous) >= 2:
        raise Conflict("There is no third attempt: the one resubmission allowed has been used "
                       "and was not yet met. Talk to your tutor.")
    first = previous[0]
    if not first.on_time:
        raise Conflict(
            f"No resubmission: attempt 1 was submitted on {london_day(first.submitted_at)}, after "
            f"its due date of {first.due_date:%-d %B %Y}, and a resubmission is allowed only "
            "when the original deadline was met.")
    return 2


def london_day(moment: datetime) -> str:
    """A moment as its date in Europe/London ("1 July 2026")."""
    return f"{london(moment):%-d %B %Y}"
