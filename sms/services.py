"""Text messages through an outbox: stored first, sent by a task, retried on the e-mail
outbox's schedule in time (outbox/retry.py), never sent twice, never at night.

Other apps call `queue_sms` and `normalise_phone`. A row is handed to a worker after the
transaction that wrote it commits (or, inside quiet hours, by the periodic flush in the
morning). A failed attempt waits for the next step of the retry schedule; before every retry
the provider is asked whether it already holds the message's reference.
"""

import logging
import re
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.broker import publish
from outbox import retry
from sms import quiet
from sms.backends import SmsMessage, get_backend
from sms.exceptions import ProviderRefused, ProviderUnavailable, ProviderUncertain
from sms.models import OutgoingSms, SmsOptOut
from sms.phone import can_receive_sms, normalise_phone

logger = logging.getLogger(__name__)

# Three GSM-7 parts of 153 characters: longer texts belong in the portal, behind a login.
MAX_LENGTH = 459
KIND_PATTERN = re.compile(r"^[a-z0-9_-]{1,60}$")
# A last guard, not the policy: SMS texts come from templates that name no health matter. A
# word stem below in a text means a caller put detail in it that a locked screen would show.
MEDICAL_STEMS = (
    "vaccin",
    "inenting",
    "hielprik",
    "diagnose",
    "medicijn",
    "medicatie",
    "ziekte",
    "gewicht",
    "verwijzing",
    "uitslag",
    "zorgen over",
    "melding",
)
STOP_WORDS = {"STOP", "STOPPEN", "AFMELDEN", "UIT"}
START_WORDS = {"START", "AANMELDEN", "AAN"}


def is_opted_out(e164: str) -> bool:
    return SmsOptOut.objects.filter(phone=e164).exists()


def _check_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValueError("An SMS needs a text.")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"An SMS text is at most {MAX_LENGTH} characters, got {len(text)}.")
    lowered = text.lower()
    found = [stem for stem in MEDICAL_STEMS if stem in lowered]
    if found:
        raise ValueError(f"An SMS must not carry medical detail (found {', '.join(found)}).")
    return text


def quiet_windows(family=None) -> list[quiet.Window]:
    """The organisation's night, plus the family's own quiet hours when it chose them."""
    windows = [quiet.default_window()]
    start = getattr(family, "sms_quiet_from", None)
    end = getattr(family, "sms_quiet_until", None)
    if start is not None and end is not None:
        windows.append((start, end))
    return windows


def queue_sms(*, to: str, body: str, kind: str, family=None) -> OutgoingSms:
    """Store an SMS; it is sent after the surrounding transaction commits, or when the quiet
    hours end. Returns the row.

    Raises ValueError for a number that is not valid or cannot receive SMS, an empty or too
    long text, a text with medical detail, or a kind that is not a short lowercase slug. A
    number that sent STOP gets a row with status `opted_out`, never a message.
    """
    try:
        e164 = normalise_phone(to)
    except ValidationError as exc:
        raise ValueError(f"Not a valid phone number: {to!r}") from exc
    if not can_receive_sms(e164):
        raise ValueError(f"Not a mobile number, it cannot receive SMS: {e164}")
    text = _check_body(body)
    if not KIND_PATTERN.match(kind or ""):
        raise ValueError(f"An SMS kind is a short lowercase slug, got {kind!r}.")
    now = timezone.now()
    due = quiet.next_allowed(now, quiet_windows(family))
    sms = OutgoingSms.objects.create(
        to=e164,
        body=text,
        kind=kind,
        family=family,
        created_at=now,
        next_attempt_at=due,
        status=OutgoingSms.Status.OPTED_OUT if is_opted_out(e164) else OutgoingSms.Status.QUEUED,
    )
    if sms.status == OutgoingSms.Status.QUEUED and due <= now:
        transaction.on_commit(partial(enqueue_send, sms.pk))
    return sms


def withdraw(*, sms_ids, reason: str) -> int:
    """Stop text messages that are still queued (e.g. about a child whose care ended).

    They stay in the admin as failed with `reason`. A worker sending one right now holds its
    row lock; this UPDATE waits and then skips it as sent.
    """
    return OutgoingSms.objects.filter(
        pk__in=list(sms_ids), status=OutgoingSms.Status.QUEUED
    ).update(status=OutgoingSms.Status.FAILED, last_error=reason[:2000])


def recipient_language(to: str, family=None) -> str:
    """The language chosen on the account of the family's parent with this number (else of the
    family's parents, if they agree); the portal's default otherwise."""
    from core.languages import language_of

    if family is None:
        return settings.LANGUAGE_CODE
    parents = list(family.parents.only("phone", "preferred_language", "role", "is_superuser"))
    try:
        number = normalise_phone(to)
    except ValidationError:
        number = None
    for parent in parents:
        if parent.phone and number:
            try:
                if normalise_phone(parent.phone) == number:
                    return language_of(parent)
            except ValidationError:
                continue
    chosen = {language_of(parent) for parent in parents}
    return chosen.pop() if len(chosen) == 1 else settings.LANGUAGE_CODE


def render_sms(*, template: str, context: dict, language: str | None = None) -> str:
    """templates/sms/<template>.txt, in `language` (default: the portal's), on one line."""
    ctx = {
        "organisation": settings.ORGANISATION_NAME,
        "jgz_phone": settings.JGZ_PHONE,
        "site_url": settings.SITE_URL,
        **context,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        return " ".join(render_to_string(f"sms/{template}.txt", ctx).split())


def queue_templated(
    *, to: str, template: str, context: dict, kind: str, family=None, language: str = ""
):
    """Render and queue an SMS; a number or text that cannot be sent is logged, not raised, so
    the e-mail that goes with it in the same transaction still goes. Returns the row or None.
    `language` overrides the recipient's account language (a family without an account)."""
    try:
        language = language or recipient_language(to, family)
        body = render_sms(template=template, context=context, language=language)
        return queue_sms(to=to, body=body, kind=kind, family=family)
    except ValueError as exc:
        logger.warning("SMS %s not queued: %s", kind, exc)
        return None


def enqueue_send(sms_id: int) -> bool:
    """Hand the SMS to Celery. If the broker is down the row stays queued for the flush."""
    from sms.tasks import send_sms_task

    return publish(send_sms_task, sms_id)


def _claim(sms_id: int, now: datetime) -> OutgoingSms | None:
    """Take the row for one attempt. Moves `next_attempt_at` to the next retry step first, so
    a second worker given the same id finds nothing due, and a worker that dies mid-send
    leaves the row for the flush at that time. Returns None when there is nothing to send now.
    """
    with transaction.atomic():
        sms = (
            OutgoingSms.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("family")
            .filter(pk=sms_id, status=OutgoingSms.Status.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if sms is None:
            return None
        if is_opted_out(sms.to):
            sms.status = OutgoingSms.Status.OPTED_OUT
            sms.save(update_fields=["status"])
            return None
        if retry.gave_up(created_at=sms.created_at, now=now):
            sms.status = OutgoingSms.Status.FAILED
            sms.last_error = (sms.last_error + " (gave up: too old)").strip()
            sms.save(update_fields=["status", "last_error"])
            logger.error("SMS %s failed for good after %s attempts", sms.pk, sms.attempts)
            return None
        windows = quiet_windows(sms.family)
        allowed = quiet.next_allowed(now, windows)
        if allowed > now:
            sms.next_attempt_at = allowed
            sms.save(update_fields=["next_attempt_at"])
            return None
        sms.attempts += 1
        sms.next_attempt_at = quiet.next_allowed(
            retry.next_attempt_at(attempts=sms.attempts, now=now), windows
        )
        sms.save(update_fields=["attempts", "next_attempt_at"])
        return sms


def send_sms(*, sms_id: int) -> bool:
    """Send one queued SMS at most once. Returns True when the provider has it now.

    A retry first asks the provider for the reference (an earlier attempt may have been
    accepted without an answer reaching us). A refused message is marked failed; any other
    failure is recorded and the row waits for its `next_attempt_at`. Nothing is raised for
    Celery to retry.
    """
    sms = _claim(sms_id, timezone.now())
    if sms is None:
        return False
    backend = get_backend()
    message = SmsMessage(
        to=sms.to, body=sms.body, sender=settings.SMS_SENDER_ID, reference=str(sms.reference)
    )
    try:
        provider_id = backend.find(message.reference) if sms.attempts > 1 else None
        if provider_id is None:
            provider_id = backend.send(message)
    except ProviderRefused as exc:
        _record_failure(sms, exc, final=True)
        return False
    except (ProviderUnavailable, ProviderUncertain) as exc:
        _record_failure(sms, exc, final=False)
        return False
    OutgoingSms.objects.filter(pk=sms.pk, status=OutgoingSms.Status.QUEUED).update(
        status=OutgoingSms.Status.SENT,
        sent_at=timezone.now(),
        provider_id=provider_id[:100],
        last_error="",
    )
    return True


def _record_failure(sms: OutgoingSms, exc: Exception, *, final: bool) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    update = {"last_error": error}
    if final:
        update["status"] = OutgoingSms.Status.FAILED
        logger.error("SMS %s refused by the provider: %s", sms.pk, error)
    else:
        logger.warning("SMS %s attempt %s failed: %s", sms.pk, sms.attempts, error)
    OutgoingSms.objects.filter(pk=sms.pk, status=OutgoingSms.Status.QUEUED).update(**update)


def flush_sms(*, limit: int = 500) -> int:
    """Hand every queued SMS that is due to the workers (retries, the morning after quiet
    hours, rows whose broker hand-over failed)."""
    ids = list(
        OutgoingSms.objects.filter(
            status=OutgoingSms.Status.QUEUED, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for sms_id in ids:
        if not enqueue_send(sms_id):
            break
    return len(ids)


@transaction.atomic
def opt_out(*, phone: str, source: str = SmsOptOut.Source.STOP) -> SmsOptOut:
    """This number gets no more SMS: queued ones are not sent either."""
    e164 = normalise_phone(phone)
    row, _created = SmsOptOut.objects.get_or_create(phone=e164, defaults={"source": source})
    OutgoingSms.objects.filter(to=e164, status=OutgoingSms.Status.QUEUED).update(
        status=OutgoingSms.Status.OPTED_OUT
    )
    return row


def opt_in(*, phone: str) -> bool:
    return SmsOptOut.objects.filter(phone=normalise_phone(phone)).delete()[0] > 0


def handle_inbound(*, sender: str, text: str) -> str:
    """A text a parent sent to our number. STOP (and its Dutch words) opts the number out,
    START opts it back in. Returns what was done: "stop", "start" or "ignored"."""
    try:
        normalise_phone(sender)
    except ValidationError:
        logger.warning("Inbound SMS from an unusable number ignored")
        return "ignored"
    words = (text or "").strip().upper().split()
    keyword = words[0].strip(".!") if words else ""
    if keyword in STOP_WORDS:
        opt_out(phone=sender)
        return "stop"
    if keyword in START_WORDS:
        opt_in(phone=sender)
        return "start"
    return "ignored"
