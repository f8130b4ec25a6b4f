"""Showing values to people: times in Europe/London, in words people use; hours, durations
and counts as people say them."""

from datetime import date, datetime, timedelta

import isodate

from lms.timeutil import london


def london_time(value: datetime | None) -> str:
    """'Tuesday 4 March 2025, 10:00' in Europe/London time ('' for None)."""
    if value is None:
        return ""
    local = london(value)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"


def london_clock(value: datetime | None) -> str:
    """'10:00' in Europe/London time."""
    return "" if value is None else f"{london(value):%H:%M}"


def day_words(value: date | datetime | None) -> str:
    """'Tuesday 4 March 2025' (a datetime is taken in London)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london(value).date()
    return f"{value:%A} {value.day} {value:%B %Y}"


def hours_words(value) -> str:
    """12 -> '12 hours', 1 -> '1 hour', 2.5 -> '2.5 hours'."""
    number = float(value or 0)
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return f"{text} hour" if text == "1" else f"{text} hours"


def duration_words(value) -> str:
    """An ISO 8601 duration ('PT1H5M'), a timedelta or seconds as '1 h 5 min' ('0 min')."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = isodate.parse_duration(value)
        except (isodate.ISO8601Error, ValueError):
            return value
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    minutes = int(round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def plural(count: int, word: str, many: str | None = None) -> str:
    """plural(1, 'day') -> '1 day'; plural(3, 'day') -> '3 days'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def from_iso(value: str | None) -> datetime | None:
    """An ISO 8601 instant (as kept in histories) as a datetime."""
    return datetime.fromisoformat(value) if value else None


FILTERS = {"fromiso": from_iso, "london": london_time, "clock": london_clock, "day": day_words,
           "hours": hours_words, "duration": duration_words, "plural": plural}
