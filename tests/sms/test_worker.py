"""One SMS through the real pieces: broker, a Celery worker process, the fake provider."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from sms import services
from sms.models import OutgoingSms
from sms.tasks import flush_sms_task
from tests.conftest_worker import run_in_worker, wait_until
from tests.sms import fake_provider

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider_worker(request, monkeypatch, settings):
    fake = fake_provider.start()
    env = {
        "SMS_BACKEND": "sms.backends.spryng.SmsBackend",
        "SMS_SPRYNG_URL": fake.url,
        "SMS_SPRYNG_API_KEY": fake_provider.API_KEY,
        # The worker's clock is the real one: no quiet hours, whenever the suite runs.
        "SMS_QUIET_HOURS_START": "00:00",
        "SMS_QUIET_HOURS_END": "00:00",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"
    request.getfixturevalue("celery_worker")
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_worker_sends_after_commit_and_retries_a_5xx_from_the_flush(provider_worker):
    fake = provider_worker
    fake.fail_next = [503]
    with transaction.atomic():
        sms = services.queue_sms(
            to="06 12345678", body="Je afspraak is morgen om 10:00.", kind="reminder"
        )
    wait_until(lambda: OutgoingSms.objects.get(pk=sms.pk).attempts == 1, timeout=60)
    sms.refresh_from_db()
    assert sms.status == OutgoingSms.Status.QUEUED
    assert fake.messages == []
    # The minute of the retry schedule has passed.
    OutgoingSms.objects.filter(pk=sms.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert run_in_worker(flush_sms_task) == 1
    [message] = fake.wait_for(1)
    wait_until(lambda: OutgoingSms.objects.get(pk=sms.pk).status == OutgoingSms.Status.SENT)
    assert message["reference"] == str(sms.reference)
    assert fake.posts == 2
