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
    # Every attempt at this row carries the same Message-ID: a resend is recognisably one mail.
    assert mail.outbox[0].message()["Message-ID"] == f"<outbox-{email.pk}@ouderportaal.example>"


@pytest.mark.django_db
def test_smtp_error_counts_attempt_and_waits_for_the_next_step(broken_smtp):
    email = _queued()
    before = timezone.now()
    assert services.send_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    assert "gone" in email.last_error
    assert timedelta(seconds=59) < email.next_attempt_at - before < timedelta(seconds=70)


def test_retry_schedule_is_measured_in_time_and_ends_hourly(settings):
    from outbox.retry import next_attempt_at

    now = timezone.now()
    steps = [(next_attempt_at(attempts=n, now=now) - now) for n in range(1, 10)]
    minutes = [step.total_seconds() / 60 for step in steps]
    assert minutes == [1, 2, 5, 10, 30, 60, 60, 60, 60]
    settings.MAIL_RETRY_SCHEDULE_MINUTES = [0.5, 3]
    assert next_attempt_at(attempts=7, now=now) - now == timedelta(minutes=3)


@pytest.mark.django_db
def test_young_email_keeps_retrying_old_one_fails_for_good_and_is_logged(broken_smtp, caplog):
    young = _queued(attempts=20, created_at=timezone.now() - timedelta(hours=70))
    old = _queued(created_at=timezone.now() - timedelta(hours=73))
    with caplog.at_level(logging.ERROR, logger="outbox.services"):
        assert services.send_email(email_id=young.pk) is False
        assert services.send_email(email_id=old.pk) is False
    young.refresh_from_db()
    old.refresh_from_db()
    assert (young.status, young.attempts) == (OutgoingEmail.Status.QUEUED, 21)
    assert old.status == OutgoingEmail.Status.FAILED
    assert f"E-mail {old.pk} failed for good" in caplog.text
    assert services.send_email(email_id=old.pk) is False  # failed rows are left alone


@pytest.mark.django_db
def test_flush_gives_up_on_mail_queued_too_long(caplog):
    stuck = _queued(created_at=timezone.now() - timedelta(days=4))
    with caplog.at_level(logging.ERROR, logger="outbox.services"):
        services.flush_outbox()
    stuck.refresh_from_db()
    assert stuck.status == OutgoingEmail.Status.FAILED
    assert "72 hours" in stuck.last_error and "not sent within 72 hours" in caplog.text
    assert mail.outbox == []


def test_tasks_no_longer_retry_on_their_own():
    from outbox.tasks import send_email_task

    assert not getattr(send_email_task, "autoretry_for", ())


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
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 7)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_flush_sends_due_rows_only():
    due = _queued(to="due@example.org", next_attempt_at=timezone.now() - timedelta(seconds=1))
    later = _queued(to="later@example.org", next_attempt_at=timezone.now() + timedelta(minutes=2))
    fresh = services.queue_rendered(to="fresh@example.org", subject="Nieuw", body_text="x")
    assert services.flush_outbox() == 1
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    later.refresh_from_db()
    fresh.refresh_from_db()
    assert later.status == fresh.status == OutgoingEmail.Status.QUEUED
    due.refresh_from_db()
    assert due.status == OutgoingEmail.Status.SENT


# --- Secrets never rest readable -----------------------------------------------------------------


def _reset_password(client, email, capture):
    with capture(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302
    return OutgoingEmail.objects.get(to=email, kind="password_reset_key")


@pytest.mark.django_db
def test_password_reset_link_is_gone_from_the_outbox_once_sent(
    client, parent, django_capture_on_commit_callbacks
):
    email = _reset_password(client, parent.email, django_capture_on_commit_callbacks)
    assert email.status == OutgoingEmail.Status.SENT
    key_url = next(
        line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line
    )
    assert key_url.strip()
    email.refresh_from_db()
    assert email.contains_secret and email.body_purged_at is not None
    assert "/password/reset/key/" not in email.body_text + email.body_html
    assert not OutgoingEmail.objects.filter(body_text__contains=key_url.strip()).exists()


@pytest.mark.django_db
def test_admin_never_shows_the_body_of_an_account_mail(
    client, parent, manager, broken_smtp, django_capture_on_commit_callbacks
):
    # SMTP down: the mail is still queued, with its body, waiting for the next attempt.
    email = _reset_password(client, parent.email, django_capture_on_commit_callbacks)
    assert email.status == OutgoingEmail.Status.QUEUED and "/password/reset/key/" in email.body_text
    other = _queued(body_text="Je vraag is beantwoord: http://x/vragen/1/")
    client.force_login(manager)
    secret_page = client.get(reverse("admin:outbox_outgoingemail_change", args=[email.pk]))
    assert secret_page.status_code == 200
    assert "/password/reset/key/" not in secret_page.content.decode()
    other_page = client.get(reverse("admin:outbox_outgoingemail_change", args=[other.pk]))
    assert "Je vraag is beantwoord" in other_page.content.decode()


@pytest.mark.django_db
def test_invitation_mail_is_marked_secret_and_emptied_once_sent(
    parent, django_capture_on_commit_callbacks
):
    from families.services import invite_parent

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_parent(family=parent.family, invited_by=parent, email="b@example.org")
    assert invitation.token in mail.outbox[0].body
    email = OutgoingEmail.objects.get(to="b@example.org")
    assert email.contains_secret and invitation.token not in email.body_text


@pytest.mark.django_db
def test_sent_bodies_are_purged_after_the_retention_period(settings):
    settings.OUTBOX_BODY_RETENTION_DAYS = 30
    old = _queued(status=OutgoingEmail.Status.SENT, created_at=timezone.now() - timedelta(days=31))
    recent = _queued(
        status=OutgoingEmail.Status.SENT, created_at=timezone.now() - timedelta(days=29)
    )
    waiting = _queued(created_at=timezone.now() - timedelta(days=31))
    from outbox.tasks import purge_old_bodies_task

    assert purge_old_bodies_task.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    waiting.refresh_from_db()
    assert (old.body_text, old.subject) == ("", "Test") and old.body_purged_at is not None
    assert recent.body_text == waiting.body_text == "Een link"
    assert "outbox-purge-bodies" in settings.CELERY_BEAT_SCHEDULE


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
    OutgoingEmail.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    flush_outbox_task.delay()
    messages = smtp_sink.wait_for(2)
    assert messages[-1]["To"] == "tweede@example.org"
    wait_until(lambda: OutgoingEmail.objects.get(pk=waiting.pk).status == "sent")
