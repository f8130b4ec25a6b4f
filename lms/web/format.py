"""Showing values to people: times in Europe/London, in words people use."""

from datetime import datetime

from lms.timeutil import london


def london_time(value: datetime | None) -> str:
    """'Tuesday 4 March 2025, 10:00' in Europe/London time ('' for None)."""
    if value is None:
        return ""
    local = london(value)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"
