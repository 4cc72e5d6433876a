"""Quiet hours in local time, across midnight and the DST changes."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from sms.quiet import next_allowed

AMS = ZoneInfo("Europe/Amsterdam")
NIGHT = [(time(21), time(8))]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 1, 12, 0), datetime(2026, 12, 1, 12, 0)),
        (datetime(2026, 12, 1, 20, 59), datetime(2026, 12, 1, 20, 59)),
        (datetime(2026, 12, 1, 21, 0), datetime(2026, 12, 2, 8, 0)),
        (datetime(2026, 12, 1, 3, 0), datetime(2026, 12, 1, 8, 0)),
        (datetime(2026, 12, 1, 8, 0), datetime(2026, 12, 1, 8, 0)),
        # The nights of the clock changes: still 08:00 wall-clock time the next morning.
        (datetime(2026, 3, 28, 22, 0), datetime(2026, 3, 29, 8, 0)),
        (datetime(2026, 10, 24, 22, 0), datetime(2026, 10, 25, 8, 0)),
    ],
)
def test_night_moves_to_eight_in_the_morning(moment, expected):
    result = next_allowed(moment.replace(tzinfo=AMS), NIGHT)
    assert result.replace(tzinfo=None) == expected
    assert result.utcoffset() == expected.replace(tzinfo=AMS).utcoffset()


def test_family_quiet_hours_add_to_the_night():
    windows = [*NIGHT, (time(7, 30), time(9, 30)), (time(18), time(21, 30))]
    assert next_allowed(datetime(2026, 12, 1, 19, 0, tzinfo=AMS), windows) == datetime(
        2026, 12, 2, 9, 30, tzinfo=AMS
    )
    assert next_allowed(datetime(2026, 12, 1, 12, 0, tzinfo=AMS), windows) == datetime(
        2026, 12, 1, 12, 0, tzinfo=AMS
    )
