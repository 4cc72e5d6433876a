"""The Spryng backend against a local fake provider: retries on 5xx, no duplicate after a
timeout the provider had already accepted, refusals, giving up by age."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sms import services
from sms.models import OutgoingSms

AMS = ZoneInfo("Europe/Amsterdam")
TEN = datetime(2026, 12, 1, 10, 0, tzinfo=AMS)
TEXT = "Je hebt morgen om 10:00 een afspraak bij de JGZ. Bel 030 630 54 00 als het niet past."


def _queue(**overrides) -> OutgoingSms:
    return services.queue_sms(
        **{"to": "06 12345678", "body": TEXT, "kind": "appointment-reminder", **overrides}
    )


def _send(sms: OutgoingSms, at: datetime) -> OutgoingSms:
    with time_machine.travel(at, tick=False):
        services.flush_sms()
    sms.refresh_from_db()
    return sms


@pytest.mark.django_db
def test_provider_receives_sender_number_text_and_our_reference(spryng):
    with time_machine.travel(TEN, tick=False):
        sms = _queue()
    sms = _send(sms, TEN)
    assert sms.status == OutgoingSms.Status.SENT
    [message] = spryng.messages
    assert message["originator"] == "JGZ Utrecht"
    assert message["recipients"] == ["31612345678"]
    assert message["body"] == TEXT
    assert message["reference"] == str(sms.reference)
    assert sms.provider_id == message["id"]


@pytest.mark.django_db
def test_5xx_is_retried_after_a_minute_and_sent_once(spryng):
    spryng.fail_next = [503, 502]
    with time_machine.travel(TEN, tick=False):
        sms = _queue()
    sms = _send(sms, TEN)
    assert (sms.status, sms.attempts) == (OutgoingSms.Status.QUEUED, 1)
    assert "503" in sms.last_error
    assert sms.next_attempt_at == TEN + timedelta(minutes=1)
    # Not due yet: the flush leaves it alone.
    sms = _send(sms, TEN + timedelta(seconds=59))
    assert sms.attempts == 1
    sms = _send(sms, TEN + timedelta(minutes=1))
    assert (sms.status, sms.attempts) == (OutgoingSms.Status.QUEUED, 2)
    assert sms.next_attempt_at == TEN + timedelta(minutes=3)
    sms = _send(sms, TEN + timedelta(minutes=3))
    assert (sms.status, sms.attempts, sms.last_error) == (OutgoingSms.Status.SENT, 3, "")
    assert len(spryng.messages) == 1
    assert spryng.posts == 3


@pytest.mark.django_db
def test_timeout_after_the_provider_accepted_does_not_send_twice(spryng):
    spryng.stall_after_accept = 2.5  # the client gives up after SMS_TIMEOUT = 1 s
    with time_machine.travel(TEN, tick=False):
        sms = _queue()
    sms = _send(sms, TEN)
    assert (sms.status, sms.attempts) == (OutgoingSms.Status.QUEUED, 1)
    assert "ProviderUncertain" in sms.last_error
    assert len(spryng.messages) == 1  # the provider has it, we do not know yet
    sms = _send(sms, TEN + timedelta(minutes=1))
    assert sms.status == OutgoingSms.Status.SENT
    assert sms.provider_id == spryng.messages[0]["id"]
    assert (spryng.posts, spryng.lookups, len(spryng.messages)) == (1, 1, 1)


@pytest.mark.django_db
def test_refusal_fails_at_once_and_is_not_retried(spryng):
    spryng.fail_next = [400]
    with time_machine.travel(TEN, tick=False):
        sms = _queue()
    sms = _send(sms, TEN)
    assert sms.status == OutgoingSms.Status.FAILED
    assert "400" in sms.last_error
    sms = _send(sms, TEN + timedelta(hours=1))
    assert (sms.attempts, spryng.posts) == (1, 1)


@pytest.mark.django_db
def test_unreachable_provider_is_retried_and_given_up_after_three_days(spryng, settings):
    spryng.server.shutdown()
    spryng.server.server_close()  # connection refused from now on
    with time_machine.travel(TEN, tick=False):
        sms = _queue()
    sms = _send(sms, TEN)
    assert sms.status == OutgoingSms.Status.QUEUED
    assert "ProviderUnavailable" in sms.last_error
    sms = _send(sms, TEN + timedelta(hours=72, minutes=1))
    assert sms.status == OutgoingSms.Status.FAILED
    assert "gave up" in sms.last_error


@pytest.mark.django_db
def test_retry_never_falls_in_the_night(spryng):
    spryng.fail_next = [503]
    late = TEN.replace(hour=20, minute=59, second=30)
    with time_machine.travel(late, tick=False):
        sms = _queue()
    sms = _send(sms, late)
    assert sms.next_attempt_at == datetime(2026, 12, 2, 8, 0, tzinfo=AMS)
    sms = _send(sms, datetime(2026, 12, 2, 8, 0, tzinfo=AMS))
    assert sms.status == OutgoingSms.Status.SENT
