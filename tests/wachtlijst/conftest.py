from datetime import time

import pytest

from tests.conftest_worker import celery_worker, smtp_sink  # noqa: F401


@pytest.fixture(autouse=True)
def _daytime_all_day(settings):
    """Offers go out at once whatever the hour the suite runs; night tests set their own."""
    settings.WACHTLIJST_DAY_START = time(0, 0)
    settings.WACHTLIJST_DAY_END = time(23, 59, 59)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
