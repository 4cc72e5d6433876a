"""The outbox: retries with a final failure on record, the broker-down path, a real worker."""

import logging
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox import services
from outbox.models import OutgoingEmail
from tests.conftest_worker import reset_producer_pool, wait_until
from tests.factories import make_parent


def _queued(**overrides) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        **{"to": "ouder@example.org", "subject": "Test", "body_text": "Een link", **overrides}
    )


@pytest.fixture
def broken_smtp(monkeypatch):
    def fail(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", fail)


@pytest.mark.django_db
def test_send_marks_row_sent_once():
    email = _queued()
    assert services.send_email(email_id=email.pk) is True
    assert services.send_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_smtp_error_counts_attempt_and_reraises_for_retry(broken_smtp):
    email = _queued()
    with pytest.raises(smtplib.SMTPException):
        services.send_email(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    assert "gone" in email.last_error


@pytest.mark.django_db
def test_final_failure_is_recorded_and_logged(broken_smtp, caplog):
    email = _queued(attempts=services.MAX_ATTEMPTS - 1)
    with caplog.at_level(logging.ERROR, logger="outbox.services"):
        assert services.send_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "failed for good" in caplog.text


def test_task_retries_transient_errors_with_backoff():
    from outbox.tasks import send_email_task

    assert set(send_email_task.autoretry_for) == {smtplib.SMTPException, OSError}
    assert send_email_task.retry_backoff and send_email_task.retry_jitter
    assert send_email_task.max_retries >= services.MAX_ATTEMPTS - 1


@pytest.mark.django_db
def test_every_retry_counts_until_failed_for_good(broken_smtp):
    email = _queued()
    for _ in range(services.MAX_ATTEMPTS - 1):
        with pytest.raises(smtplib.SMTPException):
            services.send_email(email_id=email.pk)
    assert services.send_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, services.MAX_ATTEMPTS)
    assert services.send_email(email_id=email.pk) is False  # failed rows are left alone


@pytest.mark.django_db
def test_failed_email_shows_in_admin_and_can_be_sent_again(client, manager):
    email = _queued(status=OutgoingEmail.Status.FAILED, attempts=6, last_error="SMTP: gone")
    client.force_login(manager)
    url = reverse("admin:outbox_outgoingemail_changelist")
    response = client.get(url + "?status=failed")
    assert response.status_code == 200
    assert b"SMTP: gone" in response.content
    client.post(url, {"action": "retry", "_selected_action": [email.pk]})
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_flush_requeues_old_queued_rows_only(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "enqueue_send", lambda email_id: sent.append(email_id) or True)
    old = _queued(created_at=timezone.now() - timedelta(minutes=5))
    _queued()  # just created: its own on_commit enqueue is still on the way
    _queued(status=OutgoingEmail.Status.SENT, created_at=timezone.now() - timedelta(hours=1))
    assert services.flush_outbox() == 1
    assert sent == [old.pk]


@pytest.fixture
def broker_down():
    """Point this process's Celery app at a closed port, as if Redis were stopped."""
    from ouderportaal.celery import app

    original = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    reset_producer_pool(app)
    yield
    app.conf.broker_url = original
    reset_producer_pool(app)


@pytest.mark.django_db(transaction=True)
def test_parent_can_act_while_broker_is_down_and_mail_goes_out_later(broker_down, caplog):
    from families.services import invite_parent

    parent = make_parent()
    with caplog.at_level(logging.WARNING, logger="core.broker"):
        invite_parent(family=parent.family, invited_by=parent, email="tweede@example.org")
    email = OutgoingEmail.objects.get(to="tweede@example.org")
    assert email.status == OutgoingEmail.Status.QUEUED
    assert "Broker unreachable" in caplog.text
    assert mail.outbox == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_outbox_mail_and_flush_catches_up_after_outage(celery_worker, smtp_sink):
    from ouderportaal.celery import app
    from outbox.tasks import flush_outbox_task

    parent = make_parent()
    with transaction.atomic():
        services.queue_email(
            to="eerste@example.org",
            template="families/invitation",
            context={"inviter": "Sanne", "url": "http://x/", "valid_days": 7},
        )
    smtp_sink.wait_for(1)
    wait_until(lambda: OutgoingEmail.objects.filter(status="sent").count() == 1)

    # The broker goes down: the parent's action still succeeds, the mail waits in the outbox.
    working_url = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    reset_producer_pool(app)
    from families.services import invite_parent

    invite_parent(family=parent.family, invited_by=parent, email="tweede@example.org")
    waiting = OutgoingEmail.objects.get(to="tweede@example.org")
    assert waiting.status == OutgoingEmail.Status.QUEUED
    # The broker is back; beat's flush hands the waiting mail to the worker.
    app.conf.broker_url = working_url
    reset_producer_pool(app)
    OutgoingEmail.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    flush_outbox_task.delay()
    messages = smtp_sink.wait_for(2)
    assert messages[-1]["To"] == "tweede@example.org"
    wait_until(lambda: OutgoingEmail.objects.get(pk=waiting.pk).status == "sent")
