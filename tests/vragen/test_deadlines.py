"""Deadlines in working hours: weekends, Dutch public holidays, closed days, DST."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from vragen.deadlines import WorkingCalendar, describe_moment, load_calendar

AMS = ZoneInfo("Europe/Amsterdam")
WEEKDAYS_9_TO_5 = {d: (time(9), time(17)) for d in range(5)}
ONE_DAY = 8


def at(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


@pytest.fixture
def cal():
    return WorkingCalendar(hours=WEEKDAYS_9_TO_5)


def test_friday_1700_plus_one_working_day_is_monday_1700(cal):
    assert cal.add_working_hours(at(2026, 11, 20, 17, 0), ONE_DAY) == at(2026, 11, 23, 17, 0)


def test_friday_afternoon_plus_one_working_day_runs_into_monday(cal):
    assert cal.add_working_hours(at(2026, 11, 20, 15, 0), ONE_DAY) == at(2026, 11, 23, 15, 0)


def test_question_on_saturday_night_counts_from_monday_morning(cal):
    assert cal.add_working_hours(at(2026, 11, 21, 23, 30), 3) == at(2026, 11, 23, 12, 0)


def test_question_before_opening_counts_from_opening(cal):
    assert cal.add_working_hours(at(2026, 11, 24, 6, 0), 4) == at(2026, 11, 24, 13, 0)


def test_deadline_at_closing_time_stays_on_that_day(cal):
    assert cal.add_working_hours(at(2026, 11, 24, 9, 0), ONE_DAY) == at(2026, 11, 24, 17, 0)


def test_kings_day_is_skipped(cal):
    # Friday 24 April 2026 17:00; Monday 27 April is Koningsdag.
    assert cal.add_working_hours(at(2026, 4, 24, 17, 0), ONE_DAY) == at(2026, 4, 28, 17, 0)


def test_easter_monday_is_skipped(cal):
    # Thursday 2 April 2026 17:00; Good Friday (3 April) and Easter Monday (6 April) are off.
    assert cal.add_working_hours(at(2026, 4, 2, 17, 0), 4) == at(2026, 4, 7, 13, 0)


def test_christmas_is_skipped(cal):
    # Thursday 24 Dec 2026 16:00 + 2h: Christmas Friday, weekend -> Monday 28 Dec 10:00.
    assert cal.add_working_hours(at(2026, 12, 24, 16, 0), 2) == at(2026, 12, 28, 10, 0)


def test_closed_day_is_skipped():
    cal = WorkingCalendar(hours=WEEKDAYS_9_TO_5, closed=frozenset({date(2026, 11, 23)}))
    assert cal.add_working_hours(at(2026, 11, 20, 17, 0), ONE_DAY) == at(2026, 11, 24, 17, 0)


def test_spring_dst_weekend_keeps_wall_clock_hours(cal):
    # Clocks go forward on Sunday 29 March 2026: the deadline is 12:00 local, i.e. 10:00 UTC.
    deadline = cal.add_working_hours(at(2026, 3, 27, 16, 0), 4)
    assert deadline == at(2026, 3, 30, 12, 0)
    assert deadline.utcoffset().total_seconds() == 2 * 3600


def test_autumn_dst_weekend_keeps_wall_clock_hours(cal):
    # Clocks go back on Sunday 25 October 2026: 12:00 local is 11:00 UTC again.
    deadline = cal.add_working_hours(at(2026, 10, 23, 16, 0), 4)
    assert deadline == at(2026, 10, 26, 12, 0)
    assert deadline.utcoffset().total_seconds() == 3600


def test_saturday_opening_hours_count():
    cal = WorkingCalendar(hours={**WEEKDAYS_9_TO_5, 5: (time(9), time(12))})
    assert cal.add_working_hours(at(2026, 11, 20, 17, 0), 2) == at(2026, 11, 21, 11, 0)


def test_no_opening_hours_is_an_error():
    with pytest.raises(ValueError):
        WorkingCalendar(hours={}).add_working_hours(at(2026, 11, 20, 17, 0), 1)


@pytest.mark.django_db
def test_seeded_calendar_is_weekdays_nine_to_five():
    assert load_calendar().hours == WEEKDAYS_9_TO_5


def test_promise_in_dutch_words():
    now = at(2026, 11, 20, 17, 0)  # a Friday
    with translation.override("nl"):
        assert describe_moment(at(2026, 11, 24, 12, 0), now=now) == "dinsdag 12:00"
        assert describe_moment(at(2026, 11, 20, 17, 30), now=now) == "vandaag 17:30"
        assert describe_moment(at(2026, 11, 21, 9, 0), now=now) == "morgen 09:00"
        assert describe_moment(at(2026, 12, 2, 9, 0), now=now) == "woensdag 2 december 09:00"
