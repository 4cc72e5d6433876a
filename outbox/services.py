"""The outbox: every e-mail is a row first, then sent by a task; nothing is silently dropped."""

import base64
import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.broker import publish
from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def render_email(*, template: str, context: dict) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, _body.txt and _body.html (optional)."""
    ctx = {"site_url": settings.SITE_URL, "organisation": settings.ORGANISATION_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
    text = render_to_string(f"emails/{template}_body.txt", ctx).strip()
    try:
        html = render_to_string(f"emails/{template}_body.html", ctx).strip()
    except Exception:  # noqa: BLE001 - the HTML part is optional
        html = ""
    return subject, text, html


def queue_email(
    *,
    to: str,
    template: str,
    context: dict,
    kind: str = "",
    headers: dict | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    language: str | None = None,
) -> OutgoingEmail:
    """Store an e-mail and send it after the surrounding transaction commits."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, text, html = render_email(template=template, context=context)
    return queue_rendered(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        kind=kind or template,
        headers=headers,
        attachments=attachments,
    )


def queue_rendered(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    kind: str = "",
    headers: dict | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutgoingEmail:
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        kind=kind[:60],
        headers=headers or {},
        attachments=[
            {"filename": name, "content": base64.b64encode(data).decode(), "mimetype": mime}
            for name, data, mime in (attachments or [])
        ],
    )
    transaction.on_commit(partial(enqueue_send, email.pk))
    return email


def enqueue_send(email_id: int) -> bool:
    """Hand the e-mail to Celery. If the broker is down the row stays queued for the flush."""
    from outbox.tasks import send_email_task

    return publish(send_email_task, email_id)


def build_message(email: OutgoingEmail, connection=None) -> EmailMessage:
    msg = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=email.headers or None,
        connection=connection,
    )
    if email.body_html:
        msg.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        msg.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return msg


def send_email(*, email_id: int) -> bool:
    """Send one queued e-mail at most once. Returns True when it was sent now.

    Claims the row under a lock, so two workers given the same id send it once. On an SMTP
    error the attempt is counted and the error re-raised for the task's retry; after
    MAX_ATTEMPTS the row is marked failed (visible in the admin), never dropped.
    """
    error: Exception | None = None
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        try:
            build_message(email).send()
        except Exception as exc:  # noqa: BLE001 - recorded on the row, re-raised below
            error = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
                logger.error("E-mail %s failed for good: %s", email.pk, email.last_error)
            email.save(update_fields=["attempts", "last_error", "status"])
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
            return True
    # Outside the transaction, so the attempt is committed before the task retries.
    if email.status == OutgoingEmail.Status.FAILED:
        return False
    raise error


def flush_outbox(*, older_than_seconds: int = 60, limit: int = 500) -> int:
    """Re-enqueue e-mails still queued after a while (broker was down, worker died)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in ids:
        if not enqueue_send(email_id):
            break
    return len(ids)


def send_queued_now(*, limit: int = 500) -> int:
    """Send queued e-mails in this process over one SMTP connection (used by `make run`)."""
    sent = 0
    with get_connection():
        for email_id in OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED
        ).values_list("pk", flat=True)[:limit]:
            try:
                sent += send_email(email_id=email_id)
            except Exception:  # noqa: BLE001, S112 - counted on the row; retried next time
                continue
    return sent
