"""Newsletters through a real worker and Redis, over raw SMTP into a local sink."""

from datetime import timedelta

import pytest
from django.utils import timezone

from families.ages import add_months
from nieuwsbrieven.models import Delivery, Edition
from outbox.models import OutgoingEmail
from tests.conftest_worker import run_in_worker, wait_until
from tests.factories import make_child, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_milestone, make_subscription

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_edition_fans_out_in_chunks_through_the_worker(celery_worker, smtp_sink, settings):
    from nieuwsbrieven.tasks import send_due_editions_task

    settings.NIEUWSBRIEVEN_CHUNK_SIZE = 2  # this process enqueues the chunks: 3 chunks
    for name in ("Noor", "Daan", "Sem", "Mila", "Lotte"):
        family = make_family()
        make_subscription(parent=make_parent(family=family))
        make_child(family=family, age_months=5, first_name=name)
    edition = make_edition(age=(0, 12), title="Slapen en eten")
    send_due_editions_task.delay()
    messages = smtp_sink.wait_for(5)
    wait_until(lambda: Delivery.objects.filter(status="sent").count() == 5)
    assert len(messages) == 5
    message = messages[0]
    assert message["Subject"] == "Slapen en eten"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http")
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert "/nieuwsbrief/voorkeuren/" in text
    names = {m.get_payload()[0].get_payload(decode=True).decode().split(".")[0] for m in messages}
    assert len(names) == 5
    send_due_editions_task.delay()  # the next scan finishes the edition
    wait_until(lambda: Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT)
    assert len(smtp_sink.messages) == 5


def test_milestone_goes_out_through_the_worker(celery_worker, smtp_sink):
    from nieuwsbrieven.tasks import send_milestones_task

    family = make_family()
    subscription = make_subscription(parent=make_parent(family=family))
    make_child(family=family, date_of_birth=add_months(timezone.localdate(), -144))
    make_milestone(age_months=144, title="Je kind is 12")
    send_milestones_task.delay()
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == subscription.email
    assert message["Subject"] == "Je kind is 12"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_reminder_goes_out_through_the_worker(celery_worker, smtp_sink):
    from afspraken.tasks import send_reminders_task
    from tests.nieuwsbrieven.test_reminders import _appointment

    appointment = _appointment(timezone.now() + timedelta(hours=20))
    assert run_in_worker(send_reminders_task) == 1
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == appointment.parent.email
    # A second scan, reported done by the worker, queues nothing new.
    assert run_in_worker(send_reminders_task) == 0
    assert OutgoingEmail.objects.count() == 1
    wait_until(lambda: OutgoingEmail.objects.filter(status="sent").count() == 1)
    assert len(smtp_sink.messages) == 1
