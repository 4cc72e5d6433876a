"""Redis down must not take the portal down: cache, throttles, broker and readiness.

These run the real views in this process against a Redis address where nothing listens (or a
Redis of the test's own that it stops), and a real PostgreSQL for the database stand-in.
`test_outage_stack.py` does the same through gunicorn, a worker and beat.
"""

import logging
import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_slot, slot_type
from tests.afspraken.factories import topic as afspraken_topic
from tests.factories import PASSWORD, make_child, make_parent, make_staff, totp_code
from tests.vragen.factories import topic
from vragen.models import Question

pytestmark = pytest.mark.django_db


def _dead_redis_url() -> str:
    from bench.common import free_port

    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def _use_cache(settings, url: str, *, retry_seconds: int = 15) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisWithDatabaseFallbackCache",
            "LOCATION": url,
            "KEY_PREFIX": uuid.uuid4().hex,
            "OPTIONS": {"RETRY_SECONDS": retry_seconds, "socket_connect_timeout": 1},
        }
    }


@pytest.fixture
def redis_down(settings):
    url = _dead_redis_url()
    _use_cache(settings, url)
    settings.REDIS_URL = url
    return url


def _ask(client, text="Mijn zoon slaapt slecht sinds we verhuisd zijn."):
    return client.post(
        reverse("vragen:ask"),
        {"about": "parent", "topic": topic().pk, "text": text, "channel": "online"},
    )


# --- Cache: rate limits, allauth's throttles and used codes count in the database ----------------


def test_question_is_asked_while_redis_is_down(redis_down, parent_client, parent):
    response = _ask(parent_client)
    assert response.status_code == 302
    assert Question.objects.filter(asked_by=parent).count() == 1


def test_question_limit_still_counts_while_redis_is_down(redis_down, parent_client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "question": "2/3600"}
    assert [_ask(parent_client).status_code for _ in range(2)] == [302, 302]
    response = _ask(parent_client)
    assert response.status_code == 429 and "Te veel vragen in korte tijd" in response.text


def test_booking_while_redis_is_down(redis_down, parent_client, parent):
    child = make_child(family=parent.family)
    slot = make_slot()
    response = parent_client.post(
        reverse("afspraken:confirm", args=[slot.pk]),
        {"child": child.pk, "type": slot_type(slot).pk, "topics": [afspraken_topic().pk]},
    )
    assert response.status_code == 302
    assert child.appointments.count() == 1


def test_login_throttle_still_counts_while_redis_is_down(redis_down, client):
    parent = make_parent()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": parent.email, "password": "x"})
        assert response.status_code == 200  # the form again, with an error
    client.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_staff_log_in_with_a_code_and_open_the_queue_while_redis_is_down(redis_down, client):
    nurse = make_staff()
    response = client.post(reverse("account_login"), {"login": nurse.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(nurse.pk)
    assert client.get(reverse("vragen:queue")).status_code == 200


def test_a_used_code_is_refused_again_while_redis_is_down(redis_down, client):
    nurse = make_staff()
    code = totp_code()
    for attempt in range(2):
        client.logout()
        client.post(reverse("account_login"), {"login": nurse.email, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": code})
        logged_in = client.session.get("_auth_user_id") == str(nurse.pk)
        assert logged_in is (attempt == 0)


def test_counts_keep_their_window_in_the_database(redis_down, time_machine):
    cache.add("attempts", 0, timeout=3600)
    cache.incr("attempts")
    time_machine.move_to(timezone.now() + timedelta(minutes=30))
    assert cache.get("attempts") == 1


def test_redis_outage_is_logged_once_then_redis_is_skipped(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for n in range(5):
            cache.set(f"k{n}", n)
        assert [cache.get(f"k{n}") for n in range(5)] == [0, 1, 2, 3, 4]  # in the database
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()


def test_stand_in_is_emptied_when_redis_is_back(own_redis, settings, caplog):
    from core.models import CacheEntry

    _use_cache(settings, own_redis.url, retry_seconds=0)
    cache.set("before", 1)
    own_redis.stop()
    cache.set("during", 2)
    assert CacheEntry.objects.count() == 1 and cache.get("during") == 2
    own_redis.start()
    assert cache.get("before") is None  # Redis was restarted empty
    assert CacheEntry.objects.count() == 0


# --- Broker: remember it is down instead of waiting on every request ---------------------------


@pytest.fixture
def broker_down(settings):
    """This process's Celery app publishes to an address where nothing listens."""
    from ouderportaal.celery import app
    from tests.conftest_worker import reset_producer_pool

    old_url = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = _dead_redis_url()
    reset_producer_pool(app)
    yield
    app.conf.broker_url = old_url
    app.conf.task_always_eager = True
    reset_producer_pool(app)


def test_with_the_broker_down_only_the_first_request_waits(
    broker_down, parent_client, django_capture_on_commit_callbacks, caplog
):
    seconds = []
    for _ in range(4):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            assert _ask(parent_client).status_code == 302
        seconds.append(time.monotonic() - started)
    print("question POST with the broker down (s):", [round(s, 3) for s in seconds])
    assert max(seconds[1:]) < 0.5, seconds
    # The mail is not lost: it stays in the outbox for the flush.
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).count() == 4
    assert sum("Broker unreachable" in r.getMessage() for r in caplog.records) == 1


# --- Readiness and liveness ----------------------------------------------------------------------


def test_ready_answers_200_when_database_and_redis_answer(client, settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    response = client.get(reverse("ready"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_ready_names_redis_when_it_is_down(redis_down, client):
    response = client.get(reverse("ready"))
    assert response.status_code == 503
    assert response.json()["redis"] == "down" and response.json()["database"] == "ok"


def test_ready_names_a_separate_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = _dead_redis_url()
    response = client.get(reverse("ready"))
    assert response.status_code == 503 and response.json()["broker"] == "down"


def test_health_stays_cheap_and_up_while_redis_is_down(
    redis_down, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("health"))
    assert response.status_code == 200
