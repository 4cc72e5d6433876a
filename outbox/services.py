"""The outbox: every e-mail is a row first, then sent by a task; nothing is silently dropped.

A row is sent by a task right after the transaction that wrote it commits. When that fails
(SMTP down, broker down, worker died) the row stays queued with a `next_attempt_at`, and the
periodic flush hands the rows that are due to the workers again (outbox/retry.py).
"""

import base64
import logging
import smtplib
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.broker import publish
from outbox import retry
from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

# The task enqueued on commit sends a new row at once; the flush takes it only after this,
# and a row the flush handed out is not handed out again within the lease (task still queued).
FIRST_SEND_GRACE = timedelta(minutes=1)
FLUSH_LEASE = timedelta(minutes=5)
EMPTY_BODY = {"body_text": "", "body_html": "", "headers": {}, "attachments": []}


def render_email(*, template: str, context: dict) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, _body.txt and _body.html (optional)."""
    ctx = {"site_url": settings.SITE_URL, "organisation": settings.ORGANISATION_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
    text = render_to_string(f"emails/{template}_body.txt", ctx).strip()
    try:
        html = render_to_string(f"emails/{template}_body.html", ctx).strip()
    except Exception:  # noqa: BLE001 - the HTML part is optional
        html = ""
    if html and "<html" not in html[:200].lower():
        # A fragment: wrap it so mail clients know the language and direction (Arabic: rtl).
        language = translation.get_language() or settings.LANGUAGE_CODE
        direction = "rtl" if translation.get_language_bidi() else "ltr"
        html = f'<div lang="{language}" dir="{direction}">{html}</div>'
    return subject, text, html


def recipient_language(address: str) -> str:
    """The language a person chose on their account (the language switch), found by address;
    the portal's default for an address without an account (an invitee, a newsletter)."""
    from django.contrib.auth import get_user_model

    from core.languages import language_of

    user = (
        get_user_model()
        .objects.filter(email__iexact=address.strip())
        .only("preferred_language", "role", "is_superuser")
        .first()
    )
    return language_of(user) if user is not None else settings.LANGUAGE_CODE


def queue_email(
    *,
    to: str,
    template: str,
    context: dict,
    kind: str = "",
    headers: dict | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    language: str | None = None,
    secret: bool = False,
) -> OutgoingEmail:
    """Store an e-mail and send it after the surrounding transaction commits.

    Rendered in `language`, else in the language the recipient chose on their account.

    `secret=True` for a mail whose link or code gives power (log in, reset a password, join a
    family, cancel an appointment): its body is never shown and is emptied once sent.
    """
    with translation.override(language or recipient_language(to)):
        subject, text, html = render_email(template=template, context=context)
    return queue_rendered(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        kind=kind or template,
        headers=headers,
        attachments=attachments,
        secret=secret,
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
    secret: bool = False,
) -> OutgoingEmail:
    now = timezone.now()
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
        contains_secret=secret,
        created_at=now,
        next_attempt_at=now + FIRST_SEND_GRACE,
    )
    transaction.on_commit(partial(enqueue_send, email.pk))
    return email


def enqueue_send(email_id: int) -> bool:
    """Hand the e-mail to Celery. If the broker is down the row stays queued for the flush."""
    from outbox.tasks import send_email_task

    return publish(send_email_task, email_id)


def stable_message_id(kind: str, pk: int) -> str:
    """The same Message-ID on every attempt to send one row: when a retry follows an attempt
    whose 250 reply was lost, the receiving side (and our counts) can tell it is one mail."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    return f"<{kind}-{pk}@{domain}>"


def build_message(email: OutgoingEmail, connection=None) -> EmailMessage:
    msg = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": stable_message_id("outbox", email.pk), **(email.headers or {})},
        connection=connection,
    )
    if email.body_html:
        msg.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        msg.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return msg


def _is_permanent(exc: Exception) -> bool:
    """A 5xx refusal of the address: trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return False


def send_email(*, email_id: int) -> bool:
    """Send one queued e-mail at most once. Returns True when it was sent now.

    Claims the row under a lock, so two workers given the same id send it once. A failed
    attempt is counted and the row waits for the flush at the next step of the retry schedule;
    a permanent refusal, or a row older than MAIL_GIVE_UP_AFTER_HOURS, is marked failed and
    logged (visible in the admin), never dropped. Nothing is raised for Celery to retry.
    """
    now = timezone.now()
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
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if _is_permanent(exc) or retry.gave_up(created_at=email.created_at, now=now):
                email.status = OutgoingEmail.Status.FAILED
                logger.error("E-mail %s failed for good: %s", email.pk, email.last_error)
            else:
                email.next_attempt_at = retry.next_attempt_at(attempts=email.attempts, now=now)
                logger.warning(
                    "E-mail %s not sent (attempt %s), next try at %s: %s",
                    email.pk,
                    email.attempts,
                    email.next_attempt_at.isoformat(),
                    email.last_error,
                )
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        fields = ["attempts", "status", "sent_at", "last_error"]
        if email.contains_secret:
            # The link or code now lives only in the recipient's mailbox.
            for field, empty in EMPTY_BODY.items():
                setattr(email, field, empty)
            email.body_purged_at = email.sent_at
            fields += [*EMPTY_BODY, "body_purged_at"]
        email.save(update_fields=fields)
        return True


def withdraw(*, email_ids, reason: str) -> int:
    """Stop e-mails that are still queued (e.g. about a child whose care ended).

    They stay visible in the admin as failed with `reason`, never silently dropped. A worker
    sending one right now holds its row lock; this UPDATE waits and then skips it as sent.
    """
    return OutgoingEmail.objects.filter(
        pk__in=list(email_ids), status=OutgoingEmail.Status.QUEUED
    ).update(status=OutgoingEmail.Status.FAILED, last_error=reason[:2000])


def give_up_overdue(*, now: datetime) -> int:
    """Rows still queued past MAIL_GIVE_UP_AFTER_HOURS are failed (logged, in the admin)."""
    failed = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED, created_at__lt=retry.give_up_before(now)
    ).update(
        status=OutgoingEmail.Status.FAILED,
        last_error=f"Gave up: not sent within {settings.MAIL_GIVE_UP_AFTER_HOURS} hours",
    )
    if failed:
        logger.error(
            "%s e-mails not sent within %s hours: failed", failed, settings.MAIL_GIVE_UP_AFTER_HOURS
        )
    return failed


def flush_outbox(*, now: datetime | None = None, limit: int = 500) -> int:
    """The periodic job: hand the queued e-mails that are due to the workers.

    Due rows are leased (next_attempt_at moved ahead) in the same statement that picks them,
    so a row is not handed out again while its task still waits in the queue. If the broker is
    down, the rest is handed back at once and the next run tries again. Returns rows enqueued.
    """
    now = now or timezone.now()
    give_up_overdue(now=now)
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        OutgoingEmail.objects.filter(pk__in=ids).update(next_attempt_at=now + FLUSH_LEASE)
    for position, email_id in enumerate(ids):
        if not enqueue_send(email_id):
            OutgoingEmail.objects.filter(
                pk__in=ids[position:], status=OutgoingEmail.Status.QUEUED
            ).update(next_attempt_at=now)
            return position
    return len(ids)


def purge_old_bodies(*, now: datetime | None = None) -> int:
    """Daily: empty the bodies of e-mails sent or failed more than OUTBOX_BODY_RETENTION_DAYS
    ago. The row (to, subject, status, times) stays as the record of what was sent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_BODY_RETENTION_DAYS)
    return (
        OutgoingEmail.objects.filter(body_purged_at__isnull=True, created_at__lt=cutoff)
        .exclude(status=OutgoingEmail.Status.QUEUED)
        .update(**EMPTY_BODY, body_purged_at=now)
    )
