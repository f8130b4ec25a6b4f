"""Slots offered for individual tutorials from a tutor's weekly availability."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from lms.timeutil import LONDON
from lms.tutorials.availability import (
    Blocked,
    Window,
    is_offered,
    local_to_utc,
    offered_slots,
    weekly_starts,
)

TUESDAY, SUNDAY = 1, 6
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
WINTER_TUESDAY = date(2026, 12, 1)  # London is on UTC
SUMMER_TUESDAY = date(2026, 7, 7)  # London is on UTC+1
SPRING_SUNDAY = date(2026, 3, 29)  # clocks go forward at 01:00
AUTUMN_SUNDAY = date(2026, 10, 25)  # clocks go back at 02:00


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slots(windows, first_day, last_day=None, *, blocked=(), busy=(), slot_minutes=60,
          buffer_minutes=15, not_before=LONG_AGO):
    return offered_slots(windows, blocked, busy, first_day, last_day or first_day,
                         slot_minutes, buffer_minutes, not_before)


def local(found) -> list[str]:
    """The slots as a learner in London sees them."""
    return [f"{start.astimezone(LONDON):%Y-%m-%d %H:%M}-{end.astimezone(LONDON):%H:%M}"
            for start, end in found]


TUESDAY_MORNING = Window(TUESDAY, time(10), time(13))


# --- local_to_utc -----------------------------------------------------------------------------


def test_local_to_utc_in_winter_and_summer():
    assert local_to_utc(WINTER_TUESDAY, time(10)) == utc(2026, 12, 1, 10)
    assert local_to_utc(SUMMER_TUESDAY, time(10)) == utc(2026, 7, 7, 9)


@pytest.mark.parametrize("at", [time(1), time(1, 30), time(1, 59)])
def test_local_to_utc_is_none_in_the_spring_gap(at):
    assert local_to_utc(SPRING_SUNDAY, at) is None


def test_local_to_utc_either_side_of_the_spring_gap():
    assert local_to_utc(SPRING_SUNDAY, time(0, 59)) == utc(2026, 3, 29, 0, 59)
    assert local_to_utc(SPRING_SUNDAY, time(2)) == utc(2026, 3, 29, 1)


def test_local_to_utc_takes_the_first_of_an_autumn_repeated_time():
    # 01:30 happens twice on 25 October 2026: at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    assert local_to_utc(AUTUMN_SUNDAY, time(1, 30)) == utc(2026, 10, 25, 0, 30)
    assert local_to_utc(AUTUMN_SUNDAY, time(1, 30, fold=1)) == utc(2026, 10, 25, 0, 30)


def test_local_to_utc_returns_utc():
    assert local_to_utc(SUMMER_TUESDAY, time(10)).tzinfo is UTC


# --- offered_slots: windows, slot length and buffer ------------------------------------------


def test_window_gives_slots_with_the_buffer_between_them():
    found = slots([TUESDAY_MORNING], WINTER_TUESDAY)
    # 12:30 would end at 13:30, after the window closes.
    assert local(found) == ["2026-12-01 10:00-11:00", "2026-12-01 11:15-12:15"]
    assert found == [(utc(2026, 12, 1, 10), utc(2026, 12, 1, 11)),
                     (utc(2026, 12, 1, 11, 15), utc(2026, 12, 1, 12, 15))]


def test_a_slot_may_end_exactly_when_the_window_closes():
    found = slots([Window(TUESDAY, time(10), time(12, 15))], WINTER_TUESDAY)
    assert local(found) == ["2026-12-01 10:00-11:00", "2026-12-01 11:15-12:15"]

    one_minute_short = slots([Window(TUESDAY, time(10), time(12, 14))], WINTER_TUESDAY)
    assert local(one_minute_short) == ["2026-12-01 10:00-11:00"]


def test_a_window_shorter_than_a_slot_offers_nothing():
    assert slots([Window(TUESDAY, time(10), time(10, 45))], WINTER_TUESDAY) == []


def test_without_a_buffer_slots_follow_on():
    found = slots([TUESDAY_MORNING], WINTER_TUESDAY, slot_minutes=30, buffer_minutes=0)
    assert [f"{start:%H:%M}" for start, _ in found] == [
        "10:00", "10:30", "11:00", "11:30", "12:00", "12:30"]


def test_only_the_windows_weekday_over_the_whole_range_inclusive():
    found = slots([TUESDAY_MORNING], date(2026, 11, 30), date(2026, 12, 8))
    assert local(found) == [
        "2026-12-01 10:00-11:00", "2026-12-01 11:15-12:15",
        "2026-12-08 10:00-11:00", "2026-12-08 11:15-12:15",
    ]
    assert slots([TUESDAY_MORNING], date(2026, 12, 2), date(2026, 12, 7)) == []


def test_overlapping_windows_give_each_slot_once_in_order():
    found = slots([TUESDAY_MORNING, Window(TUESDAY, time(10), time(11)),
                   Window(TUESDAY, time(10, 30), time(11, 30))], WINTER_TUESDAY)
    assert local(found) == ["2026-12-01 10:00-11:00", "2026-12-01 10:30-11:30",
                            "2026-12-01 11:15-12:15"]


def test_slot_minutes_must_be_positive():
    with pytest.raises(ValueError, match="slot_minutes"):
        slots([TUESDAY_MORNING], WINTER_TUESDAY, slot_minutes=0)
    with pytest.raises(ValueError, match="buffer_minutes"):
        slots([TUESDAY_MORNING], WINTER_TUESDAY, buffer_minutes=-5)


# --- the clock changes ------------------------------------------------------------------------


def test_ten_oclock_stays_ten_oclock_across_the_spring_change():
    windows = [Window(TUESDAY, time(10), time(11)), Window(SUNDAY, time(10), time(11))]
    found = slots(windows, date(2026, 3, 22), date(2026, 3, 31))
    assert local(found) == ["2026-03-22 10:00-11:00", "2026-03-24 10:00-11:00",
                            "2026-03-29 10:00-11:00", "2026-03-31 10:00-11:00"]
    assert [start.hour for start, _ in found] == [10, 10, 9, 9]  # GMT, then BST
    assert all(end - start == timedelta(hours=1) for start, end in found)


def test_ten_oclock_stays_ten_oclock_across_the_autumn_change():
    windows = [Window(TUESDAY, time(10), time(11)), Window(SUNDAY, time(10), time(11))]
    found = slots(windows, date(2026, 10, 18), date(2026, 10, 27))
    assert local(found) == ["2026-10-18 10:00-11:00", "2026-10-20 10:00-11:00",
                            "2026-10-25 10:00-11:00", "2026-10-27 10:00-11:00"]
    assert [start.hour for start, _ in found] == [9, 9, 10, 10]  # BST, then GMT


def test_the_hour_the_clocks_skip_offers_nothing():
    found = slots([Window(SUNDAY, time(1), time(3))], SPRING_SUNDAY, slot_minutes=30,
                  buffer_minutes=0)
    assert local(found) == ["2026-03-29 02:00-02:30", "2026-03-29 02:30-03:00"]
    assert found[0] == (utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30))


def test_a_slot_ending_in_the_skipped_hour_is_not_offered():
    found = slots([Window(SUNDAY, time(0), time(3))], SPRING_SUNDAY, slot_minutes=30,
                  buffer_minutes=0)
    # 00:30-01:00 would end at a time that never shows on the clock.
    assert local(found) == ["2026-03-29 00:00-00:30", "2026-03-29 02:00-02:30",
                            "2026-03-29 02:30-03:00"]


def test_the_same_window_a_week_later_is_whole_again():
    found = slots([Window(SUNDAY, time(1), time(3))], date(2026, 4, 5), slot_minutes=30,
                  buffer_minutes=0)
    assert len(found) == 4


# --- exceptions ---------------------------------------------------------------------------------


def test_a_whole_day_exception_removes_that_day():
    away = Blocked(date(2026, 12, 1), date(2026, 12, 1))
    found = slots([TUESDAY_MORNING], date(2026, 12, 1), date(2026, 12, 8), blocked=[away])
    assert local(found) == ["2026-12-08 10:00-11:00", "2026-12-08 11:15-12:15"]


def test_a_leave_spanning_days_includes_its_last_day():
    leave = Blocked(date(2026, 11, 25), date(2026, 12, 8))
    found = slots([TUESDAY_MORNING], date(2026, 11, 24), date(2026, 12, 15), blocked=[leave])
    assert {slot[:10] for slot in local(found)} == {"2026-11-24", "2026-12-15"}


def test_a_timed_exception_removes_only_overlapping_slots():
    meeting = Blocked(WINTER_TUESDAY, WINTER_TUESDAY, time(11), time(12))
    found = slots([TUESDAY_MORNING], WINTER_TUESDAY, blocked=[meeting])
    # 10:00-11:00 only touches the meeting, 11:15-12:15 overlaps it.
    assert local(found) == ["2026-12-01 10:00-11:00"]


def test_a_timed_exception_touching_the_last_slot_leaves_it():
    lunch = Blocked(WINTER_TUESDAY, WINTER_TUESDAY, time(12, 15), time(13))
    assert len(slots([TUESDAY_MORNING], WINTER_TUESDAY, blocked=[lunch])) == 2


def test_a_timed_exception_is_in_london_time_in_summer():
    meeting = Blocked(SUMMER_TUESDAY, SUMMER_TUESDAY, time(10, 30), time(10, 45))
    found = slots([TUESDAY_MORNING], SUMMER_TUESDAY, blocked=[meeting])
    assert local(found) == ["2026-07-07 11:15-12:15"]


def test_a_timed_exception_applies_on_each_of_its_days_only():
    mornings = Blocked(date(2026, 12, 1), date(2026, 12, 1), time(9), time(10, 30))
    found = slots([TUESDAY_MORNING], date(2026, 12, 1), date(2026, 12, 8), blocked=[mornings])
    assert local(found) == ["2026-12-01 11:15-12:15",
                            "2026-12-08 10:00-11:00", "2026-12-08 11:15-12:15"]


# --- the tutor's other tutorials and the buffer -------------------------------------------


@pytest.mark.parametrize(("busy", "expected"), [
    # Ends at 09:45: the 10:00 slot's buffer starts then, so they only touch.
    ((utc(2026, 12, 1, 9), utc(2026, 12, 1, 9, 45)), ["10:00", "11:15"]),
    ((utc(2026, 12, 1, 9), utc(2026, 12, 1, 9, 46)), ["11:15"]),
    # Starts at 12:30, when the 11:15 slot's buffer ends.
    ((utc(2026, 12, 1, 12, 30), utc(2026, 12, 1, 13, 30)), ["10:00", "11:15"]),
    ((utc(2026, 12, 1, 12, 20), utc(2026, 12, 1, 13)), ["10:00"]),
    ((utc(2026, 12, 1, 10, 30), utc(2026, 12, 1, 11, 30)), []),
    ((utc(2026, 12, 2, 10), utc(2026, 12, 2, 11)), ["10:00", "11:15"]),
])
def test_other_tutorials_keep_the_buffer_clear(busy, expected):
    found = slots([TUESDAY_MORNING], WINTER_TUESDAY, busy=[busy])
    assert [f"{start:%H:%M}" for start, _ in found] == expected


def test_busy_intervals_are_instants_in_any_zone():
    # 12:20-12:40 in London in summer (11:20-11:40 UTC) is inside the 11:15 slot's buffer;
    # read as UTC wall times it would clash with nothing.
    new_york = ZoneInfo("America/New_York")
    busy = (datetime(2026, 7, 7, 12, 20, tzinfo=LONDON).astimezone(new_york),
            datetime(2026, 7, 7, 12, 40, tzinfo=LONDON))
    found = slots([TUESDAY_MORNING], SUMMER_TUESDAY, busy=[busy])
    assert local(found) == ["2026-07-07 10:00-11:00"]


def test_busy_may_be_a_generator():
    busy = ((start, end) for start, end in [(utc(2026, 12, 1, 10), utc(2026, 12, 1, 11)),
                                             (utc(2026, 12, 8, 11, 30), utc(2026, 12, 8, 12))])
    found = slots([TUESDAY_MORNING], date(2026, 12, 1), date(2026, 12, 8), busy=busy)
    # Used for every day, not consumed by the first.
    assert local(found) == ["2026-12-01 11:15-12:15", "2026-12-08 10:00-11:00"]


# --- not_before -------------------------------------------------------------------------------


def test_slots_before_not_before_are_dropped():
    found = slots([TUESDAY_MORNING], WINTER_TUESDAY, not_before=utc(2026, 12, 1, 10, 1))
    assert local(found) == ["2026-12-01 11:15-12:15"]


def test_a_slot_starting_exactly_at_not_before_is_kept():
    found = slots([TUESDAY_MORNING], WINTER_TUESDAY, not_before=utc(2026, 12, 1, 10))
    assert len(found) == 2


def test_not_before_is_an_instant_not_a_wall_time():
    # 10:30 in London in summer is 09:30 UTC: the 10:00 London slot (09:00 UTC) has gone.
    found = slots([TUESDAY_MORNING], SUMMER_TUESDAY,
                  not_before=datetime(2026, 7, 7, 10, 30, tzinfo=LONDON))
    assert local(found) == ["2026-07-07 11:15-12:15"]


# --- weekly_starts ----------------------------------------------------------------------------


def test_weekly_series_keeps_its_wall_time_across_both_clock_changes():
    first = datetime(2026, 3, 17, 10, tzinfo=LONDON)
    spring = weekly_starts(first, 4)
    assert [start.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") for start in spring] == [
        "2026-03-17 10:00", "2026-03-24 10:00", "2026-03-31 10:00", "2026-04-07 10:00"]
    assert [start.hour for start in spring] == [10, 10, 9, 9]

    autumn = weekly_starts(datetime(2026, 10, 13, 9, tzinfo=UTC), 4)  # 10:00 BST
    assert [start.astimezone(LONDON).strftime("%H:%M") for start in autumn] == ["10:00"] * 4
    assert [start.hour for start in autumn] == [9, 9, 10, 10]
    assert all(start.tzinfo is UTC for start in spring + autumn)


def test_weekly_series_of_a_whole_year_stays_at_ten():
    starts = weekly_starts(datetime(2026, 1, 6, 10, tzinfo=UTC), 52)
    assert len(starts) == 52
    assert {start.astimezone(LONDON).strftime("%a %H:%M") for start in starts} == {"Tue 10:00"}


def test_weekly_series_refuses_a_week_in_the_spring_gap():
    first = datetime(2026, 3, 22, 1, 30, tzinfo=LONDON)
    assert len(weekly_starts(first, 1)) == 1
    with pytest.raises(ValueError, match="2026-03-29"):
        weekly_starts(first, 3)


def test_weekly_series_edge_cases():
    assert weekly_starts(utc(2026, 12, 1, 10), 0) == []
    assert weekly_starts(utc(2026, 12, 1, 10), 1) == [utc(2026, 12, 1, 10)]
    with pytest.raises(ValueError, match="aware"):
        weekly_starts(datetime(2026, 12, 1, 10), 2)


# --- is_offered -------------------------------------------------------------------------------


def test_is_offered_matches_a_slots_start_only():
    found = slots([TUESDAY_MORNING], SUMMER_TUESDAY)
    assert is_offered(utc(2026, 7, 7, 9), found)
    assert is_offered(datetime(2026, 7, 7, 11, 15, tzinfo=LONDON), found)
    assert not is_offered(utc(2026, 7, 7, 10), found)  # 11:00 London: the first slot's end
    assert not is_offered(utc(2026, 7, 7, 9, 30), found)
    assert not is_offered(utc(2026, 7, 7, 9), [])
