"""Reading the tutors' forms: the availability editor's rows (and the API's names for them
turned back into rows), the day and times of a new session in London, attendance marks; and
the week a day falls in."""

import re
from datetime import date, time, timedelta

from lms.errors import PathwayError
from lms.extensions import db
from lms.timeutil import london, utcnow
from lms.tutorials import schemas
from lms.tutorials.availability import local_to_utc
from lms.tutorials.models import AvailabilityException, AvailabilityWindow
from lms.web.tutorial_changes import field_messages, load

WEEKDAYS = schemas.WEEKDAYS
MAX_WINDOWS = 50
EMPTY_WINDOW = {"weekday": "monday", "starts": "", "ends": ""}


def saved_windows(tutor_id: int) -> list[dict]:
    """The tutor's weekly windows as the editor's rows."""
    return [{"weekday": WEEKDAYS[w.weekday], "starts": f"{w.starts:%H:%M}",
             "ends": f"{w.ends:%H:%M}"} for w in db.session.execute(
        db.select(AvailabilityWindow).where(AvailabilityWindow.tutor_id == tutor_id)
        .order_by(AvailabilityWindow.weekday, AvailabilityWindow.starts)).scalars()]


def posted_windows(form) -> list[dict]:
    """The editor's rows as posted (`rows` says how many), empty ones included."""
    try:
        count = min(int(form.get("rows", "0")), MAX_WINDOWS)
    except ValueError:
        count = 0
    return [{"weekday": form.get(f"windows-{i}-weekday", "monday"),
             "starts": form.get(f"windows-{i}-starts", "").strip(),
             "ends": form.get(f"windows-{i}-ends", "").strip()} for i in range(count)]


def window_errors(error: PathwayError, kept: list[int]) -> dict[str, str]:
    """The API names windows by their place in the list sent (only the filled-in rows); the
    page names them by their row."""
    def row_words(match):
        return f"window {kept[int(match.group(1))] + 1}"

    errors = {}
    for field, detail in field_messages(error).items():
        detail = re.sub(r"windows\[(\d+)\]", row_words, detail)
        found = re.fullmatch(r"windows\[(\d+)\](?:\.(\w+))?", field)
        if found and int(found.group(1)) < len(kept):
            row = kept[int(found.group(1))]
            field = f"windows-{row}-{found.group(2)}" if found.group(2) else f"windows-{row}"
        errors[field] = detail
    return errors


def days_away_words(exception: AvailabilityException) -> str:
    """'on Tuesday 1 December 2026, 10:00 to 11:00', 'from ... to ...'."""
    days = f"{exception.first_day:%A} {exception.first_day.day} {exception.first_day:%B %Y}"
    if exception.last_day != exception.first_day:
        last = exception.last_day
        days = f"from {days} to {last:%A} {last.day} {last:%B %Y}"
    else:
        days = f"on {days}"
    if exception.starts is not None:
        days += f", {exception.starts:%H:%M} to {exception.ends:%H:%M}"
    return days


def monday_of(text: str | None) -> date:
    """The Monday of the week holding the day `text` (YYYY-MM-DD), or of this week."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        day = None
    day = day or london(utcnow()).date()
    return day - timedelta(days=day.weekday())


def session_times(form: dict) -> tuple[dict, dict]:
    """The session's start and end as ISO 8601 instants, from a London day and two
    wall-clock times; or the fields at fault."""
    errors, times = {}, {}
    try:
        day = date.fromisoformat(form["date"])
    except ValueError:
        return {}, {"date": "Give the day of the session."}
    for name in ("starts", "ends"):
        try:
            at = time.fromisoformat(form[name])
        except ValueError:
            errors[name] = "Give a time as HH:MM, e.g. 18:30."
            continue
        instant = local_to_utc(day, at)
        if instant is None:
            errors[name] = (f"{at:%H:%M} does not exist in London that day (the clocks go "
                            "forward).")
        else:
            times[f"{name}_at"] = instant.isoformat()
    return times, errors


def posted_marks(form) -> list[tuple[int, bool, int | None]]:
    """(booking id, attended, minutes) for each learner marked; unmarked ones are left out."""
    marks = []
    for key, value in form.items():
        found = re.fullmatch(r"attended-(\d+)", key)
        if not found or value not in ("yes", "no"):
            continue
        booking_id = int(found.group(1))
        fields = {"attended": value == "yes"}
        minutes = form.get(f"minutes-{booking_id}", "").strip()
        if value == "yes" and minutes:
            fields["minutes"] = minutes
        data = load(schemas.AttendanceMarkSchema(), fields)
        marks.append((booking_id, data["attended"], data["minutes"]))
    return marks
