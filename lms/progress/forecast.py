"""The pace forecast: when a learner will finish at their recent pace, and whether that is
inside their window.

Pace is the hours credited over the last `PACE_WEEKS` weeks (or since the start, when the
learner started more recently), per week. The projected completion date is today plus the
hours still to do at that pace. A learner is:

- `achieved`: nothing left to do;
- `not-started`: the start date has not come yet, or it came less than `GRACE_WEEKS` weeks
  ago and nothing is credited yet (too early to tell);
- `on-track`: the projected date is on or before the end of the window;
- `at-risk`: the projected date is after the window, or there is no recent pace at all, or
  the window has ended.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

PACE_WEEKS = 8
GRACE_WEEKS = 4


@dataclass(frozen=True)
class Forecast:
    status: str
    hours_per_week: Decimal
    needed_hours_per_week: Decimal | None
    projected_completion: date | None
    remaining_hours: Decimal

    @property
    def at_risk(self) -> bool:
        return self.status == "at-risk"


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def forecast(today: date, start: date, window_ends: date, total_hours: Decimal,
             credited_hours: Decimal, recent_hours: Decimal) -> Forecast:
    """The forecast for one enrolment. `recent_hours` are the hours credited in the last
    PACE_WEEKS weeks."""
    remaining = max(Decimal(total_hours) - Decimal(credited_hours), Decimal(0))
    days_left = (window_ends - today).days
    needed = _two_places(remaining / Decimal(days_left) * 7) if days_left > 0 else None
    if remaining == 0:
        return Forecast("achieved", Decimal(0), Decimal(0), None, Decimal(0))
    elapsed_weeks = Decimal((today - start).days) / 7
    if elapsed_weeks <= 0:
        return Forecast("not-started", Decimal(0), needed, None, remaining)
    weeks = min(elapsed_weeks, Decimal(PACE_WEEKS))
    pace = _two_places(Decimal(recent_hours) / max(weeks, Decimal(1)))
    if pace <= 0:
        status = "not-started" if elapsed_weeks < GRACE_WEEKS and credited_hours == 0 \
            and days_left > 0 else "at-risk"
        return Forecast(status, Decimal(0), needed, None, remaining)
    projected = today + timedelta(days=int((remaining / pace * 7).to_integral_value(
        rounding="ROUND_CEILING")))
    status = "on-track" if projected <= window_ends and days_left >= 0 else "at-risk"
    return Forecast(status, pace, needed, projected, remaining)
