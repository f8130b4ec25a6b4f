"""Helpers of the tutorials tests: activities of the Diploma, and London times ahead of now."""

from datetime import date, datetime, time, timedelta

from lms.timeutil import LONDON

GROUP_ACTIVITY = "u1-group-tutorial-restrictions-in-our-services"
OTHER_GROUP_ACTIVITY = "u1-group-tutorial-human-rights-dilemmas"
INDIVIDUAL_ACTIVITY = "u1-individual-tutorial-planning-case-study"


def london_at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at a London wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    """The date of `weekday` (0 Monday) at least `weeks_ahead` weeks from today (London)."""
    today = datetime.now(LONDON).date()
    days = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days + 7 * (weeks_ahead - 1))


def iso(moment: datetime) -> str:
    return moment.isoformat()
