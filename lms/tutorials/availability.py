"""Individual-tutorial slots offered from a tutor's weekly availability.

A tutor gives their availability as Europe/London wall-clock windows ("Tuesdays 10:00-13:00")
with exceptions for leave and bank holidays. This module turns that into the UTC start and
end of each slot a learner may book, leaving out the times the clocks skip in spring, the
exceptions, the past, and the tutor's other tutorials (with the buffer the tutor keeps around
each). It is pure: callers load the windows, exceptions and busy times and pass them in.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from lms.timeutil import LONDON

Slot = tuple[datetime, datetime]


@dataclass(frozen=True)
class Window:
    """A weekly window of availability, e.g. Tuesday 10:00-13:00 (London wall-clock)."""

    weekday: int  # 0 Monday .. 6 Sunday
    starts: time
    ends: time


@dataclass(frozen=True)
class Blocked:
    """Days when the tutor is away (no times), or a time on each of those days (both times)."""

    first_day: date
    last_day: date
    starts: time | None = None
    ends: time | None = None

    @property
    def whole_day(self) -> bool:
        return self.starts is None or self.ends is None

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def local_to_utc(day: date, at: time) -> datetime | None:
    """The UTC instant of wall-clock `at` on `day` in London; None when that wall time does not
    exist (the spring-forward gap, e.g. 01:30 on the last Sunday of March); for an ambiguous
    time (autumn fold) the first occurrence (fold=0)."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    instant = wall.replace(tzinfo=LONDON).astimezone(UTC)
    # zoneinfo happily converts a time in the gap; only the round trip shows it never happens.
    if instant.astimezone(LONDON).replace(tzinfo=None) != wall:
        return None
    return instant


def _days(first_day: date, last_day: date) -> Iterable[date]:
    day = first_day
    while day <= last_day:
        yield day
        day += timedelta(days=1)


def _candidates(window: Window, day: date, slot: timedelta, step: timedelta):
    """Wall-clock (start, end) pairs of the window on `day`, as naive local datetimes."""
    start = datetime.combine(day, window.starts)
    limit = datetime.combine(day, window.ends)
    while start + slot <= limit:
        yield start, start + slot
        start += step


def _overlaps(start, end, other_start, other_end) -> bool:
    """Half-open intervals overlap; touching edges do not."""
    return start < other_end and other_start < end


def offered_slots(windows: Iterable[Window], blocked: Iterable[Blocked],
                  busy: Iterable[Slot], first_day: date, last_day: date, slot_minutes: int,
                  buffer_minutes: int, not_before: datetime) -> list[Slot]:
    """The UTC (start, end) of every slot offered on the London dates first_day..last_day:
    slots follow each other from a window's start with `buffer_minutes` between them, and a
    slot is left out on a blocked day or time, before `not_before`, or when it (widened by the
    buffer) overlaps a `busy` UTC interval. Sorted, without duplicates."""
    if slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    if buffer_minutes < 0:
        raise ValueError("buffer_minutes must not be negative")
    slot = timedelta(minutes=slot_minutes)
    buffer = timedelta(minutes=buffer_minutes)
    windows, blocked, busy = list(windows), list(blocked), list(busy)

    offered: set[Slot] = set()
    for day in _days(first_day, last_day):
        todays_blocks = [b for b in blocked if b.covers(day)]
        if any(b.whole_day for b in todays_blocks):
            continue
        blocked_times = [(datetime.combine(day, b.starts), datetime.combine(day, b.ends))
                         for b in todays_blocks]
        for window in windows:
            if window.weekday != day.weekday():
                continue
            for local_start, local_end in _candidates(window, day, slot, slot + buffer):
                if any(_overlaps(local_start, local_end, *times) for times in blocked_times):
                    continue
                start = local_to_utc(day, local_start.time())
                end = local_to_utc(day, local_end.time())
                if start is None or end is None or start < not_before:
                    continue
                if any(_overlaps(start - buffer, end + buffer, busy_start, busy_end)
                       for busy_start, busy_end in busy):
                    continue
                offered.add((start, end))
    return sorted(offered)


def weekly_starts(first_start: datetime, weeks: int) -> list[datetime]:
    """UTC starts of a weekly series: the same London wall-clock time each week as
    `first_start` (aware, any zone), so a 10:00 session stays 10:00 across the clock changes.
    Raise ValueError (message naming the date) if a week's wall time does not exist."""
    if first_start.tzinfo is None or first_start.utcoffset() is None:
        raise ValueError("first_start must be timezone-aware")
    local = first_start.astimezone(LONDON)
    starts = [first_start.astimezone(UTC)]  # the first is an instant already, fold and all
    for week in range(1, weeks):
        day = local.date() + timedelta(weeks=week)
        start = local_to_utc(day, local.time())
        if start is None:
            raise ValueError(f"{local.time():%H:%M} does not exist in London on "
                             f"{day.isoformat()} (the clocks go forward)")
        starts.append(start)
    return starts[:max(weeks, 0)]


def is_offered(start: datetime, slots: Iterable[Slot]) -> bool:
    """Whether `start` is the start of one of the offered `slots`."""
    return any(start == slot_start for slot_start, _ in slots)
