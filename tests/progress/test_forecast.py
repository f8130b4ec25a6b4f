"""The pace forecast."""

from datetime import date
from decimal import Decimal

import pytest

from lms.progress.forecast import forecast

START, END = date(2026, 1, 6), date(2027, 7, 6)
D = Decimal


def test_on_track_at_a_steady_pace():
    # 20 weeks in, 100 hours done, 40 of them in the last 8 weeks: 5 h a week, 260 h to go
    # -> 52 weeks -> late May 2027, before the window ends in July 2027.
    result = forecast(date(2026, 5, 26), START, END, D(360), D(100), D(40))
    assert result.status == "on-track"
    assert result.hours_per_week == D("5.00")
    assert result.projected_completion == date(2027, 5, 25)
    assert result.remaining_hours == D(260)


def test_at_risk_when_the_recent_pace_finishes_after_the_window():
    result = forecast(date(2026, 5, 26), START, END, D(360), D(100), D(8))
    assert result.status == "at-risk" and result.at_risk
    assert result.projected_completion > END
    assert result.needed_hours_per_week == D("4.48")  # 260 h over the 406 days left


def test_at_risk_with_no_recent_learning_after_the_first_weeks():
    result = forecast(date(2026, 5, 26), START, END, D(360), D(30), D(0))
    assert result.status == "at-risk" and result.projected_completion is None


@pytest.mark.parametrize("today", [date(2025, 12, 1), date(2026, 1, 20)])
def test_too_early_to_tell_before_the_start_and_in_the_first_weeks(today):
    assert forecast(today, START, END, D(360), D(0), D(0)).status == "not-started"


def test_new_learners_pace_is_taken_over_the_weeks_since_they_started():
    # Two weeks in with 12 hours: 6 h a week (not 12/8).
    result = forecast(date(2026, 1, 20), START, END, D(360), D(12), D(12))
    assert result.hours_per_week == D("6.00") and result.status == "on-track"


def test_achieved_and_window_ended():
    assert forecast(date(2026, 5, 26), START, END, D(360), D(360), D(50)).status == "achieved"
    late = forecast(date(2027, 8, 1), START, END, D(360), D(300), D(40))
    assert late.status == "at-risk" and late.needed_hours_per_week is None
