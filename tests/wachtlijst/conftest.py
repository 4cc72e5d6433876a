from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest_worker import celery_worker, smtp_sink  # noqa: F401


@pytest.fixture(autouse=True)
def _daytime_all_day(settings):
    """Offers go out at once whatever the hour the suite runs; night tests set their own."""
    settings.WACHTLIJST_DAY_START = time(0, 0)
    settings.WACHTLIJST_DAY_END = time(23, 59, 59)


@pytest.fixture
def weekday_morning():
    """Run at 10:00 on the next weekday, so a test of offer times or SMS quiet hours means the
    same whenever the suite runs (an offer's two hours must not cross the end of the day)."""
    moment = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    moment += timedelta(days=1)
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    with time_machine.travel(moment, tick=True):
        yield
