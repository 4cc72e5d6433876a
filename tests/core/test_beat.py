"""Beat keeps a run that fell due while the broker was down, and sends it once it is back."""

import json
import time
from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core.beat import CatchUpScheduler
from tests.conftest_worker import reset_producer_pool


@pytest.fixture
def app_on(own_redis, settings):
    """This process's Celery app, publishing to the test's own Redis."""
    from ouderportaal.celery import app

    old_url = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = own_redis.url
    reset_producer_pool(app)
    yield app
    app.conf.broker_url = old_url
    app.conf.task_always_eager = True
    reset_producer_pool(app)


def _published(url: str) -> list[str]:
    client = redis.Redis.from_url(url)
    return [json.loads(raw)["headers"]["task"] for raw in client.lrange("celery", 0, -1)]


def _tick_for(scheduler, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(min(scheduler.tick(), 0.2))


@pytest.mark.django_db(transaction=True)
def test_daily_scan_due_during_an_outage_is_sent_when_the_broker_is_back(
    app_on, own_redis, settings
):
    settings.OUTAGE_RETRY_SECONDS = 1
    two_days_ago = timezone.now() - timedelta(days=2)
    job = PeriodicTask.objects.create(
        name="daily scan",
        task="outbox.tasks.flush_outbox_task",
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS),
        last_run_at=two_days_ago,
    )
    scheduler = CatchUpScheduler(app=app_on)
    assert scheduler.producer  # connected while the broker was up, as a running beat is
    own_redis.stop()

    _tick_for(scheduler, 3)  # the job is due; every attempt to send it fails
    job.refresh_from_db()
    assert job.last_run_at == two_days_ago and job.total_run_count == 0  # still due

    own_redis.start()
    _tick_for(scheduler, 3)
    assert _published(own_redis.url) == ["outbox.tasks.flush_outbox_task"]
    scheduler.sync()  # as beat does every few minutes and when it stops
    job.refresh_from_db()
    assert job.last_run_at > two_days_ago + timedelta(days=1) and job.total_run_count == 1
