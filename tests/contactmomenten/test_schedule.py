"""The schedule arithmetic: target days and windows from a child's dates (pure, no database)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from contactmomenten import schedule
from contactmomenten.schedule import Definition


def d(code="x", value=8, unit="weeks", before=7, after=7, plus=0):
    return Definition(code, value, unit, before, after, plus)


def test_eight_weeks_gives_the_window_from_the_issue_example():
    # Born 17 November 2026: 8 weeks is 12 January; window 5 to 19 January.
    w = schedule.window_for(d(), born=date(2026, 11, 17), due=None)
    assert (w.target, w.opens, w.closes) == (date(2027, 1, 12), date(2027, 1, 5), date(2027, 1, 19))


def test_month_target_clamps_to_the_end_of_a_short_month():
    w = schedule.window_for(d(value=1, unit="months"), born=date(2027, 1, 31), due=None)
    assert w.target == date(2027, 2, 28)


def test_month_target_in_a_leap_year_lands_on_29_february():
    w = schedule.window_for(d(value=1, unit="months"), born=date(2028, 1, 31), due=None)
    assert w.target == date(2028, 2, 29)


def test_leap_day_birthday_is_28_february_in_other_years():
    w = schedule.window_for(d(value=2, unit="years"), born=date(2028, 2, 29), due=None)
    assert w.target == date(2030, 2, 28)


def test_plus_days_gives_seven_and_a_half_months():
    w = schedule.window_for(d(value=7, unit="months", plus=15), born=date(2027, 3, 1), due=None)
    assert w.target == date(2027, 10, 16)


def test_window_never_opens_before_the_birth():
    w = schedule.window_for(d(value=14, unit="days", before=30), born=date(2027, 5, 1), due=None)
    assert w.opens == date(2027, 5, 1)


def test_pregnancy_week_counts_back_from_the_due_date():
    # Due 1 October 2027: week 0 starts 280 days earlier (25 December 2026); week 28 = 9 July.
    w = schedule.window_for(d(value=28, unit="pregnancy_week"), born=None, due=date(2027, 10, 1))
    assert w.target == date(2027, 7, 9)


def test_expected_child_only_gets_pregnancy_moments():
    defs = [d("pre", 28, "pregnancy_week"), d("cb-8w")]
    codes = [w.code for w in schedule.windows_for_child(defs, born=None, due=date(2027, 10, 1))]
    assert codes == ["pre"]


def test_at_birth_the_schedule_switches_to_the_childs_moments():
    defs = [d("pre", 28, "pregnancy_week"), d("cb-4w", 4), d("cb-8w", 8)]
    codes = [w.code for w in schedule.windows_for_child(defs, born=date(2027, 9, 28), due=None)]
    assert codes == ["cb-4w", "cb-8w"]


@pytest.mark.parametrize(
    "born",
    [
        date(2027, 1, 31),
        date(2028, 2, 29),
        date(2027, 12, 31),
        date(2027, 3, 28),
        date(2027, 10, 31),
    ],
)
@pytest.mark.parametrize(
    "definition",
    [
        d(value=3, unit="months", before=7, after=14),
        d(value=45, unit="months", before=30, after=60),
        d(value=5, unit="years", plus=180, before=180, after=180),
        d(value=8, before=7, after=7),
    ],
)
def test_birth_range_of_the_scan_contains_every_child_whose_window_is_open(born, definition):
    w = schedule.window_for(definition, born=born, due=None)
    for on in (w.opens, w.target, w.closes):
        first, last = schedule.birth_range_with_window_open(definition, on)
        assert first <= born <= last


def test_birth_range_for_pregnancy_moment_contains_the_due_date():
    definition = d(value=28, unit="pregnancy_week", before=42, after=56)
    due = date(2027, 10, 1)
    w = schedule.window_for(definition, born=None, due=due)
    for on in (w.opens, w.closes):
        first, last = schedule.birth_range_with_window_open(definition, on)
        assert first <= due <= last


def test_send_time_is_nine_local_on_both_sides_of_the_dst_change():
    # 28 March 2027 (CEST starts) and 31 October 2027 (CET starts).
    assert schedule.due_at(date(2027, 3, 27), time(9)) == datetime(2027, 3, 27, 8, tzinfo=UTC)
    assert schedule.due_at(date(2027, 3, 28), time(9)) == datetime(2027, 3, 28, 7, tzinfo=UTC)
    assert schedule.due_at(date(2027, 10, 31), time(9)) == datetime(2027, 10, 31, 8, tzinfo=UTC)


def test_reminder_day_is_two_weeks_before_the_window_closes():
    w = schedule.Window("x", date(2027, 1, 12), date(2027, 1, 5), date(2027, 2, 9))
    assert schedule.reminder_day(w, 14) == date(2027, 1, 26)


def test_short_window_gets_no_reminder():
    w = schedule.Window("x", date(2027, 1, 12), date(2027, 1, 5), date(2027, 1, 19))
    assert schedule.reminder_day(w, 14) is None


SCHOOL = d(code="groep7", value=10, unit="years", before=180, after=180, plus=180)
DEFINITIONS = [
    d(),
    d(value=1, unit="months", before=3, after=10),
    d(value=3, unit="months", before=14, after=30),
    SCHOOL,
    d(code="pre", value=28, unit="pregnancy_week", before=7, after=14),
]


def _window(definition, day):
    if definition.is_prenatal:
        return schedule.window_for(definition, born=None, due=day)
    return schedule.window_for(definition, born=day, due=None)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda x: x.code + x.target_unit)
def test_exact_range_holds_every_open_window_and_nothing_else(definition):
    # What lets the planning list read children in date order along an index.
    for on in (date(2027, 3, 1), date(2027, 3, 31), date(2028, 2, 29), date(2027, 12, 31)):
        first, last = schedule.range_with_window_open(definition, on)
        wide_first, wide_last = schedule.birth_range_with_window_open(definition, on)
        for n in range(-10, (wide_last - wide_first).days + 10):
            day = wide_first + timedelta(days=n)
            assert _window(definition, day).is_open(on) == (first <= day <= last), (on, day)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda x: x.code + x.target_unit)
def test_last_date_closing_by_is_the_latest_date_whose_window_ends_in_time(definition):
    first = date(2016, 1, 20)
    last = first + timedelta(days=400)
    for closes in (date(2026, 6, 1), date(2027, 2, 28), date(2027, 3, 1)):
        found = schedule.last_date_closing_by(definition, closes, first, last)
        days = [first + timedelta(days=n) for n in range(401)]
        in_time = [day for day in days if _window(definition, day).closes <= closes]
        assert found == (max(in_time) if in_time else first - timedelta(days=1))


def test_dates_sharing_one_window_are_found_at_month_ends():
    one_month = d(value=1, unit="months", before=3, after=10)
    window = _window(one_month, date(2027, 1, 30))
    found = schedule.dates_with_window(one_month, window, around=date(2027, 1, 30))
    assert found == [date(2027, 1, 28), date(2027, 1, 29), date(2027, 1, 30), date(2027, 1, 31)]
    assert schedule.dates_with_window(
        one_month, _window(one_month, date(2027, 3, 10)), around=date(2027, 3, 10)
    ) == [date(2027, 3, 10)]
