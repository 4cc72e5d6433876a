"""The provider's inbound callback: signed, CSRF-exempt, rate-limited; STOP opts out."""

import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.urls import reverse

from sms import services
from sms.models import OutgoingSms, SmsOptOut

SECRET = "inbound-test-secret"


@pytest.fixture
def signed(settings):
    settings.SMS_INBOUND_SECRET = SECRET
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"
    # A provider has no session or CSRF cookie: the check must not get in the way.
    client = Client(enforce_csrf_checks=True)

    def post(data, *, secret=SECRET, json_body=False):
        if json_body:
            body, content_type = json.dumps(data).encode(), "application/json"
        else:
            from urllib.parse import urlencode

            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return client.generic(
            "POST",
            reverse("sms:inbound"),
            body,
            content_type=content_type,
            headers={"X-Signature": signature},
        )

    return post


@pytest.mark.django_db
def test_signed_stop_opts_the_number_out_and_stops_queued_sms(signed, settings):
    settings.SMS_QUIET_HOURS_START, settings.SMS_QUIET_HOURS_END = "00:00", "23:59"
    queued = services.queue_sms(to="0612345678", body="Je afspraak is morgen.", kind="reminder")
    response = signed({"originator": "31612345678", "body": "STOP"})
    assert response.status_code == 200
    assert SmsOptOut.objects.filter(phone="+31612345678").exists()
    queued.refresh_from_db()
    assert queued.status == OutgoingSms.Status.OPTED_OUT


@pytest.mark.django_db
def test_json_callback_with_dutch_stop_word_works(signed):
    response = signed({"sender": "+31612345678", "message": "afmelden"}, json_body=True)
    assert response.status_code == 200
    assert services.is_opted_out("+31612345678")


@pytest.mark.django_db
def test_wrong_signature_is_refused_and_changes_nothing(signed):
    response = signed({"originator": "31612345678", "body": "STOP"}, secret="guessed")
    assert response.status_code == 403
    assert not SmsOptOut.objects.exists()


@pytest.mark.django_db
def test_endpoint_is_off_without_a_secret(signed, settings):
    settings.SMS_INBOUND_SECRET = ""
    assert signed({"originator": "31612345678", "body": "STOP"}).status_code == 404
    assert not SmsOptOut.objects.exists()


@pytest.mark.django_db
def test_get_is_not_allowed(client):
    assert client.get(reverse("sms:inbound")).status_code == 405


@pytest.mark.django_db
def test_callbacks_over_the_limit_get_429(signed, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "sms_inbound": "2/60"}
    assert signed({"originator": "31611111111", "body": "hallo"}).status_code == 200
    assert signed({"originator": "31611111111", "body": "hallo"}).status_code == 200
    assert signed({"originator": "31612345678", "body": "STOP"}).status_code == 429
    assert not SmsOptOut.objects.exists()


@pytest.mark.django_db
def test_other_text_and_unusable_sender_change_nothing(signed):
    assert signed({"originator": "31612345678", "body": "Wanneer is de afspraak?"}).content == (
        b"ignored"
    )
    assert signed({"originator": "onbekend", "body": "STOP"}).content == b"ignored"
    assert not SmsOptOut.objects.exists()
