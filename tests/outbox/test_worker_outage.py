"""Mail survives an SMTP outage: a real worker, a mail server that is down and then defers.

The worker runs with a retry schedule of seconds instead of minutes (WORKER_ENV); the test
plays beat, asking for the periodic flush and scan every half second. Every outbox e-mail and
every newsletter must arrive exactly once after the server is back.
"""

import time

import pytest
from django.db import transaction

from nieuwsbrieven.models import Delivery
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from tests.conftest_worker import wait_until
from tests.factories import make_child, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_subscription

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# 1.2 s after the first failure, then every 3 s (production: 1, 2, 5, 10, 30, 60 minutes).
WORKER_ENV = {"MAIL_RETRY_SCHEDULE_MINUTES": "0.02,0.05"}
RECEIPTS = 20
SUBSCRIBERS = 5


def _beat_until(condition, timeout: float = 60) -> None:
    """What beat does every minute in production, every half second here."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        _beat_times(1)
        time.sleep(0.5)


def _beat_times(count: int) -> None:
    from nieuwsbrieven.tasks import send_due_editions_task
    from outbox.tasks import flush_outbox_task

    for _ in range(count):
        flush_outbox_task.delay()
        send_due_editions_task.delay()


def _all_tried(times: int) -> bool:
    return (
        not OutgoingEmail.objects.filter(attempts__lt=times).exists()
        and not Delivery.objects.filter(attempts__lt=times).exists()
        and Delivery.objects.count() == SUBSCRIBERS
    )


def test_mail_survives_an_smtp_outage_none_lost_none_twice(celery_worker, smtp_sink):
    from nieuwsbrieven.tasks import send_due_editions_task

    for n in range(SUBSCRIBERS):
        family = make_family()
        make_subscription(parent=make_parent(family=family, email=f"abonnee{n}@example.org"))
        make_child(family=family, age_months=5)
    make_edition(age=(0, 12), title="Slapen en eten")

    smtp_sink.stop()  # the mail server is down
    with transaction.atomic():
        for n in range(RECEIPTS):
            queue_email(
                to=f"ouder{n}@example.org",
                template="families/invitation",
                context={"inviter": "Sanne", "url": "http://x/", "valid_days": 7},
            )
    send_due_editions_task.delay()
    _beat_until(lambda: _all_tried(2))
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.QUEUED).exists()
    assert "Connection refused" in OutgoingEmail.objects.first().last_error

    smtp_sink.refusing = True  # back up, but deferring every recipient with 451
    smtp_sink.start()
    tried = OutgoingEmail.objects.order_by("pk").values_list("attempts", flat=True).first()
    _beat_until(lambda: _all_tried(tried + 1))
    assert "451" in OutgoingEmail.objects.first().last_error
    assert smtp_sink.messages == []

    smtp_sink.refusing = False
    _beat_until(
        lambda: OutgoingEmail.objects.filter(status="sent").count() == RECEIPTS
        and Delivery.objects.filter(status="sent").count() == SUBSCRIBERS
    )
    # Two more beats, then a last e-mail: the worker takes tasks in order, one at a time, so
    # when that one arrives every task handed out before it has run.
    _beat_times(2)
    with transaction.atomic():
        queue_email(to="laatste@example.org", template="families/invitation", context={})
    wait_until(lambda: any(m["To"] == "laatste@example.org" for m in smtp_sink.messages))
    recipients = sorted(m["To"] for m in smtp_sink.messages if m["To"] != "laatste@example.org")
    expected = sorted(
        [f"ouder{n}@example.org" for n in range(RECEIPTS)]
        + [f"abonnee{n}@example.org" for n in range(SUBSCRIBERS)]
    )
    assert recipients == expected  # 0 lost, 0 duplicated
