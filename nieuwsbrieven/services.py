"""Newsletter services: subscribe (double opt-in), unsubscribe, fan-out and sending."""

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.languages import language_of
from families.models import Child
from nieuwsbrieven import rendering, selectors, smtp
from nieuwsbrieven.exceptions import InvalidLink
from nieuwsbrieven.models import (
    Delivery,
    Edition,
    Milestone,
    MilestoneDelivery,
    Subscription,
    new_key,
)
from nieuwsbrieven.tokens import CONFIRM, MANAGE, make_token
from outbox import retry
from outbox.services import queue_email, queue_rendered, stable_message_id, withdraw

logger = logging.getLogger(__name__)


# --- Subscribing -----------------------------------------------------------------------------


def needs_confirmation(*, subscription: Subscription | None, email: str) -> bool:
    """Will (re)subscribing with this address send a confirmation e-mail?"""
    return not (
        subscription is not None
        and subscription.is_active
        and subscription.email == email.strip().lower()
    )


@transaction.atomic
def request_subscription(
    *, parent: User, email: str, milestones: bool, consent_text: str
) -> Subscription:
    """Store the request with the consent text shown, and e-mail a confirmation link.

    Nothing is sent to the address until its owner clicks the link (double opt-in). A new
    request replaces the key, so older confirmation and unsubscribe links stop working.
    """
    email = email.strip().lower()
    subscription = Subscription.objects.select_for_update().filter(parent=parent).first()
    if not needs_confirmation(subscription=subscription, email=email):
        if subscription.milestones != milestones:
            subscription.milestones = milestones
            subscription.save(update_fields=["milestones"])
        return subscription
    subscription = subscription or Subscription(parent=parent)
    subscription.email = email
    subscription.milestones = milestones
    subscription.status = Subscription.Status.PENDING
    subscription.key = new_key()
    subscription.requested_at = timezone.now()
    subscription.consented_at = None
    subscription.consent_version = settings.NIEUWSBRIEVEN_CONSENT_VERSION
    subscription.consent_text = consent_text
    subscription.unsubscribed_at = None
    subscription.save()
    token = make_token(subscription, CONFIRM)
    queue_email(
        to=email,
        template="nieuwsbrieven/confirm",
        context={
            "url": settings.SITE_URL + reverse("nieuwsbrieven:confirm", kwargs={"token": token}),
            "valid_days": settings.NIEUWSBRIEVEN_CONFIRM_DAYS,
        },
        kind="newsletter-confirm",
        secret=True,
    )
    return subscription


@transaction.atomic
def confirm_subscription(*, token: str) -> tuple[Subscription, bool]:
    """Activate a pending subscription from its link. Returns (subscription, changed now)."""
    subscription = selectors.get_subscription_by_token(token=token, purpose=CONFIRM)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == Subscription.Status.ACTIVE:
        return subscription, False
    if subscription.status != Subscription.Status.PENDING:
        raise InvalidLink
    subscription.status = Subscription.Status.ACTIVE
    subscription.consented_at = timezone.now()
    subscription.save(update_fields=["status", "consented_at"])
    send_current_edition(subscription=subscription)
    return subscription, True


def send_current_edition(*, subscription: Subscription, day: date | None = None) -> bool:
    """Send a new subscriber the edition of their child's phase that already went out, so
    they do not wait months for the next one. Once per edition and subscriber (the unique
    Delivery row); a later re-subscription gets nothing twice.

    The edition row is locked first so `resume_edition` cannot mark it finished while this row
    is added; a sent edition is put back to "sending" and the periodic scan finishes it again
    (and retries this row like any other). Call inside the confirming transaction."""
    found = selectors.get_current_edition_for(
        subscription=subscription, day=day or timezone.localdate()
    )
    if found is None:
        return False
    edition, child = found
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    delivery, created = Delivery.objects.get_or_create(
        edition=edition,
        subscription=subscription,
        defaults={"child": child, "child_name": child.first_name},
    )
    if not created:
        return False
    edition.status = Edition.Status.SENDING
    edition.fanned_out_at = timezone.now()
    edition.save(update_fields=["status", "fanned_out_at"])
    chunk = Chunk(edition.pk, delivery.pk, delivery.pk)
    transaction.on_commit(partial(_enqueue_chunks, [chunk]))
    return True


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[Subscription, bool]:
    """Stop all newsletters for the link's subscription. A second click changes nothing.

    Deliveries not yet sent are skipped by the sender, which checks the status per chunk.
    """
    subscription = selectors.get_subscription_by_token(token=token, purpose=MANAGE)
    changed = (
        Subscription.objects.filter(pk=subscription.pk)
        .exclude(status=Subscription.Status.UNSUBSCRIBED)
        .update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )
    subscription.refresh_from_db()
    return subscription, bool(changed)


@transaction.atomic
def update_preferences(*, token: str, milestones: bool) -> Subscription:
    subscription = selectors.get_subscription_by_token(token=token, purpose=MANAGE)
    subscription.milestones = milestones
    subscription.save(update_fields=["milestones"])
    return subscription


@transaction.atomic
def stop_for_child(*, child_id) -> int:
    """The JGZ's care for this child ended (died, pregnancy ended, moved out): newsletter
    deliveries naming the child and milestone mails about the child that are not yet sent
    never go out. Returns how many were stopped.

    Chunks check again when they claim rows (`send_chunk`), so a chunk already queued skips
    them too; only a message whose sending has started can still leave.
    """
    skipped = Delivery.objects.filter(child_id=child_id, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SKIPPED, claim=""
    )
    email_ids = MilestoneDelivery.objects.filter(
        child_id=child_id, email__isnull=False
    ).values_list("email_id", flat=True)
    withdrawn = withdraw(email_ids=email_ids, reason="Not sent: care for this child ended.")
    return skipped + withdrawn


# --- Fan-out ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    edition_id: int
    first_id: int
    last_id: int


def _chunks(edition_id: int, ids: list[int]) -> list[Chunk]:
    size = settings.NIEUWSBRIEVEN_CHUNK_SIZE
    return [
        Chunk(edition_id, part[0], part[-1])
        for part in (ids[i : i + size] for i in range(0, len(ids), size))
    ]


def _enqueue_chunks(chunks: list[Chunk]) -> None:
    from nieuwsbrieven.tasks import send_chunk_task

    for chunk in chunks:
        try:
            send_chunk_task.delay(chunk.edition_id, chunk.first_id, chunk.last_id)
        except Exception:  # noqa: BLE001 - broker down: the periodic scan re-enqueues later
            logger.warning("Broker unavailable; edition %s resumes later", chunk.edition_id)
            return


def _lease(now: datetime) -> datetime:
    """A row handed to a chunk task is handed out again only after this, if still unsent."""
    return now + timedelta(seconds=settings.NIEUWSBRIEVEN_CLAIM_TIMEOUT)


def start_edition(*, edition_id: int, now: datetime | None = None) -> int:
    """Choose the recipients of a due edition, once, and enqueue its chunks after commit.

    The edition row is claimed with a conditional UPDATE, so two beat runs start it once.
    Targeting uses the children's age on the day of `scheduled_at` (local time).
    `fanned_out_at` is the start: retries give up MAIL_GIVE_UP_AFTER_HOURS after it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Edition.objects.filter(
            pk=edition_id, status=Edition.Status.SCHEDULED, scheduled_at__lte=now
        ).update(status=Edition.Status.SENDING, fanned_out_at=now)
        if not claimed:
            return 0
        edition = Edition.objects.get(pk=edition_id)
        day = timezone.localdate(edition.scheduled_at)
        edition.send_day = day
        edition.save(update_fields=["send_day"])
        batch: list[Delivery] = []
        for subscription_id, child_id, name in selectors.iter_edition_recipients(
            edition=edition, day=day
        ):
            batch.append(
                Delivery(
                    edition_id=edition_id,
                    subscription_id=subscription_id,
                    child_id=child_id,
                    child_name=name,
                    next_attempt_at=_lease(now),
                )
            )
            if len(batch) >= 5000:
                Delivery.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        ids = list(
            Delivery.objects.filter(edition_id=edition_id)
            .order_by("id")
            .values_list("id", flat=True)
        )
        transaction.on_commit(partial(_enqueue_chunks, _chunks(edition_id, ids)))
    return len(ids)


def resume_edition(*, edition_id: int, now: datetime | None = None) -> int:
    """Hand out again what is due: rows whose retry time has come (SMTP refused or was down),
    rows a dead run held past the claim timeout, rows whose chunk task was lost (broker down).
    Past MAIL_GIVE_UP_AFTER_HOURS the rest is failed, logged. Finishes the edition when done.

    Returns the number of rows handed out again.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NIEUWSBRIEVEN_CLAIM_TIMEOUT)
    with transaction.atomic():
        edition = (
            Edition.objects.select_for_update(skip_locked=True)
            .filter(pk=edition_id, status=Edition.Status.SENDING)
            .first()
        )
        if edition is None:
            return 0
        open_rows = Delivery.objects.filter(
            edition_id=edition_id,
            status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING],
        )
        due = open_rows.filter(
            Q(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=stale)
        )
        if edition.fanned_out_at and retry.gave_up(created_at=edition.fanned_out_at, now=now):
            failed = due.update(
                status=Delivery.Status.FAILED,
                claim="",
                last_error=f"Gave up: not sent within {settings.MAIL_GIVE_UP_AFTER_HOURS} hours",
            )
            if failed:
                logger.error("Edition %s: %s deliveries failed for good", edition_id, failed)
        if not open_rows.exists():
            edition.status = Edition.Status.SENT
            edition.finished_at = now
            edition.save(update_fields=["status", "finished_at"])
            return 0
        ids = list(due.order_by("id").values_list("id", flat=True))
        # The lease keeps the next scans from handing them out again while the tasks wait.
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=_lease(now))
        transaction.on_commit(partial(_enqueue_chunks, _chunks(edition_id, ids)))
    return len(ids)


def send_due_editions(*, now: datetime | None = None) -> int:
    """The periodic scan: start editions whose time has come and resume unfinished ones."""
    now = now or timezone.now()
    started = 0
    for edition_id in Edition.objects.filter(
        status=Edition.Status.SCHEDULED, scheduled_at__lte=now
    ).values_list("pk", flat=True):
        started += start_edition(edition_id=edition_id, now=now) > 0
    for edition_id in Edition.objects.filter(status=Edition.Status.SENDING).values_list(
        "pk", flat=True
    ):
        resume_edition(edition_id=edition_id, now=now)
    return started


# --- Sending a chunk -------------------------------------------------------------------------


def _claim(edition_id: int, first_id: int, last_id: int, claim: str, now: datetime) -> None:
    """Take the range's unsent rows for this run; each claim counts as an attempt."""
    stale = now - timedelta(seconds=settings.NIEUWSBRIEVEN_CLAIM_TIMEOUT)
    Delivery.objects.filter(edition_id=edition_id, id__gte=first_id, id__lte=last_id).filter(
        Q(status=Delivery.Status.QUEUED) | Q(status=Delivery.Status.SENDING, claimed_at__lt=stale)
    ).update(
        status=Delivery.Status.SENDING,
        claim=claim,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )


MARK_SENT_SQL = (
    "UPDATE nieuwsbrieven_delivery SET status = 'sent', sent_at = CURRENT_TIMESTAMP, "
    "last_error = '' WHERE id = %s AND claim = %s AND status = 'sending'"
)


def _mark_sent(delivery_id: int, claim: str) -> bool:
    """Conditional UPDATE in its own (autocommit) transaction: committed before the "."."""
    with connection.cursor() as cursor:
        cursor.execute(MARK_SENT_SQL, [delivery_id, claim])
        return cursor.rowcount == 1


# Asynchronous connections kept between chunks (per worker process; fork-safe because a chunk
# runs in one process from start to end and the list is filled only after a chunk).
_IDLE_ASYNC: list = []


def _reusable(aconn, params: dict) -> bool:
    # Only an open connection to the same database (tests switch databases).
    dsn = dict(item.split("=", 1) for item in aconn.dsn.split() if "=" in item)
    if aconn.closed or dsn.get("dbname") != str(params.get("dbname")):
        aconn.close()
        return False
    return True


class _SentMarker:
    """Marks a row sent at the moment its final "." goes out.

    On PostgreSQL the UPDATE goes over a separate, asynchronous connection: the query is
    written and the message's last write follows a few microseconds later, before either reply
    is read. A worker killed at any other moment leaves a consistent pair (row still claimed and
    message incomplete, or row sent and message complete). A few such connections take turns,
    so the database's reply time overlaps with the next messages instead of adding to each.
    Elsewhere (SQLite in `make run`) it commits first.
    """

    CONNECTIONS = 4

    def __init__(self, claim: str):
        self.claim = claim
        self.aconn = None
        self.slots: list = []
        self.turn = 0
        if connection.vendor == "postgresql":
            import psycopg2

            params = connection.get_connection_params()
            for _ in range(self.CONNECTIONS):
                aconn = _IDLE_ASYNC.pop() if _IDLE_ASYNC else None
                if aconn is None or not _reusable(aconn, params):
                    aconn = psycopg2.connect(**params, async_=1)
                    self._wait(aconn)
                self.slots.append([aconn, aconn.cursor(), None])  # conn, cursor, delivery id
            self.aconn = self.slots[0][0]

    @staticmethod
    def _wait(aconn) -> None:
        import select

        from psycopg2.extensions import POLL_OK, POLL_READ

        while (state := aconn.poll()) != POLL_OK:
            fd = [aconn.fileno()]
            if state == POLL_READ:
                select.select(fd, [], [], settings.EMAIL_TIMEOUT)
            else:
                select.select([], fd, [], settings.EMAIL_TIMEOUT)

    def _settle(self, slot) -> None:
        aconn, cursor, delivery_id = slot
        if delivery_id is None:
            return
        self._wait(aconn)
        slot[2] = None
        if cursor.rowcount != 1:
            # Only after the claim timeout can another run take a row over: it sent it too.
            logger.warning("Newsletter delivery %s was taken over while sending", delivery_id)

    def begin(self, delivery_id: int):
        """Start marking; returns a function to call after the message's last write, or False
        at once (synchronous path) when another run had taken the row over."""
        if self.aconn is None:
            ok = _mark_sent(delivery_id, self.claim)
            return (lambda: True) if ok else False
        slot = self.slots[self.turn]
        self.turn = (self.turn + 1) % len(self.slots)
        self._settle(slot)
        slot[1].execute(MARK_SENT_SQL, [delivery_id, self.claim])
        slot[2] = delivery_id
        return lambda: True  # checked when the connection's turn comes again, or at close

    def close(self) -> None:
        """Wait for every mark; keep healthy connections for the next chunk of this process."""
        for slot in self.slots:
            try:
                self._settle(slot)
            except Exception:
                slot[0].close()
                raise
            if len(_IDLE_ASYNC) < self.CONNECTIONS:
                _IDLE_ASYNC.append(slot[0])
            else:
                slot[0].close()


def _gave_up(edition_id: int, now: datetime) -> bool:
    started = Edition.objects.filter(pk=edition_id).values_list("fanned_out_at", flat=True).first()
    return started is not None and retry.gave_up(created_at=started, now=now)


def _mark_error(delivery_id: int, *, error: str, permanent: bool) -> None:
    """Record a failed attempt: tried again at the next step of the retry schedule, or failed
    for good (logged) when the refusal is permanent or the edition is past retrying."""
    now = timezone.now()
    delivery = Delivery.objects.get(pk=delivery_id)
    give_up = permanent or _gave_up(delivery.edition_id, now)
    delivery.status = Delivery.Status.FAILED if give_up else Delivery.Status.QUEUED
    delivery.next_attempt_at = retry.next_attempt_at(attempts=delivery.attempts, now=now)
    delivery.last_error = error[:500]
    delivery.sent_at = None
    delivery.claim = ""
    delivery.save(update_fields=["status", "next_attempt_at", "last_error", "sent_at", "claim"])
    if give_up:
        logger.error("Newsletter delivery %s failed for good: %s", delivery_id, error)


def _release(edition_id: int, claim: str, error: str = "") -> None:
    """Hand back rows this run did not send. After an error they wait for the next step of
    the retry schedule (past retrying: failed, logged); otherwise they are due at once."""
    now = timezone.now()
    rows = Delivery.objects.filter(
        edition_id=edition_id, claim=claim, status=Delivery.Status.SENDING
    )
    if not error:
        rows.update(status=Delivery.Status.QUEUED, claim="", next_attempt_at=now)
        return
    if _gave_up(edition_id, now):
        failed = rows.update(status=Delivery.Status.FAILED, claim="", last_error=error[:500])
        logger.error("%s newsletter deliveries failed for good: %s", failed, error)
        return
    for attempts in set(rows.values_list("attempts", flat=True)):
        rows.filter(attempts=attempts).update(
            status=Delivery.Status.QUEUED,
            claim="",
            last_error=error[:500],
            next_attempt_at=retry.next_attempt_at(attempts=attempts, now=now),
        )


def send_chunk(*, edition_id: int, first_id: int, last_id: int) -> int:
    """Send the unsent deliveries of one id range over one SMTP connection. Idempotent.

    Rows are claimed with a conditional UPDATE (another run's rows are left alone); rows of
    people who unsubscribed meanwhile, or naming a child whose care ended, are skipped. On a
    connection error (server down or
    refusing) the unsent rows are released to the retry schedule and the periodic scan hands
    them out when they are due; nothing is raised for Celery to retry. Returns messages sent
    (0 when the run stopped on a connection error).
    """
    claim = secrets.token_hex(8)
    now = timezone.now()
    _claim(edition_id, first_id, last_id, claim, now)
    Delivery.objects.filter(edition_id=edition_id, claim=claim).filter(
        ~Q(subscription__status=Subscription.Status.ACTIVE)
        | (Q(child__isnull=False) & ~Q(child__care_status=Child.CareStatus.ACTIVE))
    ).update(status=Delivery.Status.SKIPPED, claim="")
    rows = list(
        Delivery.objects.filter(
            edition_id=edition_id, claim=claim, status=Delivery.Status.SENDING
        )
        .order_by("id")
        .values_list("id", "child_name", "subscription_id", "subscription__key",
                     "subscription__email", "subscription__parent__preferred_language")
    )  # fmt: skip
    if not rows:
        return 0
    template = _ContentTemplates(Edition.objects.get(pk=edition_id))
    try:
        if smtp.uses_raw_smtp():
            return _send_raw(template, rows, claim)
        return _send_backend(template, rows, claim)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Edition %s chunk %s-%s stopped: %s", edition_id, first_id, last_id, exc)
        _release(edition_id, claim, f"{type(exc).__name__}: {exc}")
        return 0
    finally:
        _release(edition_id, claim)


class _ContentTemplates:
    """One rendered template per language in a chunk, for an edition or a milestone. A parent
    reads it in the language they chose when the editors translated it (title and text);
    otherwise all of it is Dutch (never Arabic words around a Dutch text) with one short note
    above it, in their language, saying so."""

    def __init__(self, content: Edition | Milestone, *, kind: str = "edition"):
        self.content = content
        self.kind = kind
        self.built: dict[str, rendering.Template] = {}

    def language_for(self, preferred: str | None) -> str:
        default = settings.LANGUAGE_CODE
        if not preferred or preferred == default:
            return default
        title = getattr(self.content, f"title_{preferred}", "")
        body = getattr(self.content, f"body_{preferred}", "")
        return preferred if title and body else default

    def __call__(self, preferred: str | None) -> rendering.Template:
        language = self.language_for(preferred)
        note_language = None
        if language != preferred and preferred in settings.PARENT_LANGUAGES:
            note_language = preferred  # the Dutch text, with the note in the reader's language
        key = note_language or language
        if key not in self.built:
            self.built[key] = rendering.build_template(
                kind=self.kind,
                title=getattr(self.content, f"title_{language}", "") or self.content.title,
                body=getattr(self.content, f"body_{language}", "") or self.content.body,
                language=language,
                note_language=note_language,
            )
        return self.built[key]


def _message_id(delivery_id: int) -> str:
    return stable_message_id("nieuwsbrief", delivery_id)


NEEDS_SMTPUTF8 = "553 5.6.7 Address needs SMTPUTF8, which the mail server does not offer"


def _send_raw(templates: _ContentTemplates, rows, claim: str) -> int:
    sender = settings.DEFAULT_FROM_EMAIL
    sender_address = sender.rsplit("<", 1)[-1].rstrip(">")
    # Connect first: a server that is down or fails TLS verification must not leave the
    # marker's database connections open (they are returned in the `finally` below).
    conn = smtp.open_connection()
    marker = _SentMarker(claim)
    server_takes_utf8 = conn.has_extn("smtputf8")

    def outgoing():
        for delivery_id, child_name, subscription_id, key, email, language in rows:
            address = smtp.envelope_address(email)
            utf8 = not address.isascii()
            if utf8 and not server_takes_utf8:
                # Only this address fails; the rest of the chunk goes on.
                _mark_error(delivery_id, error=NEEDS_SMTPUTF8, permanent=True)
                continue
            message = rendering.personalise(
                templates(language),
                child_name=child_name,
                subscription_id=subscription_id,
                key=key,
            )
            yield smtp.Outgoing(
                delivery_id=delivery_id,
                to=address,
                data=smtp.build_bytes(
                    message,
                    to=address,
                    message_id=_message_id(delivery_id),
                    from_email=sender,
                    utf8=utf8,
                ),
                begin_commit=partial(marker.begin, delivery_id),
                utf8=utf8,
            )

    sent = 0

    def done(item, error) -> None:
        nonlocal sent
        if error is None:
            sent += 1
        else:
            _mark_error(item.delivery_id, error=str(error), permanent=error.permanent)

    try:
        if marker.aconn is not None and conn.has_extn("pipelining"):
            smtp.send_pipelined(conn, sender=sender_address, messages=outgoing(), done=done)
            return sent
        for item in outgoing():
            try:
                smtp.send_committing(
                    conn,
                    sender=sender_address,
                    to=item.to,
                    data=item.data,
                    begin_commit=item.begin_commit,
                    utf8=item.utf8,
                )
                done(item, None)
            except smtp.MessageRejected as exc:
                done(item, exc)
            except ConnectionAbortedError:
                conn = smtp.open_connection()  # another run owns this row; go on
    except smtp.EndNotSent as exc:
        if exc.delivery_id:
            _mark_error(exc.delivery_id, error=str(exc), permanent=False)
        raise
    finally:
        marker.close()
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()
    return sent


def _send_backend(templates: _ContentTemplates, rows, claim: str) -> int:
    """Console/locmem/file backends (make run, tests): one backend connection per chunk."""
    sent = 0
    with get_connection() as backend:
        for delivery_id, child_name, subscription_id, key, email, language in rows:
            message = rendering.personalise(
                templates(language),
                child_name=child_name,
                subscription_id=subscription_id,
                key=key,
            )
            msg = EmailMultiAlternatives(
                subject=message.subject,
                body=message.text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email],
                headers={**message.headers, "Message-ID": _message_id(delivery_id)},
                connection=backend,
            )
            msg.attach_alternative(message.html, "text/html")
            if not _mark_sent(delivery_id, claim):
                continue
            try:
                msg.send()
            except smtplib.SMTPRecipientsRefused as exc:
                _mark_error(delivery_id, error=str(exc), permanent=True)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                _mark_error(delivery_id, error=str(exc), permanent=False)
                raise
            sent += 1
    return sent


# --- Milestones ------------------------------------------------------------------------------


def send_milestones(*, today: date | None = None) -> int:
    """Daily: a milestone message to each subscribed parent of each child who reached it.

    The unique MilestoneDelivery row makes it once per milestone, child and parent, however
    often the task runs; the e-mail goes through the outbox (retries, visible failures).
    """
    today = today or timezone.localdate()
    created = 0
    for milestone in Milestone.objects.filter(is_active=True):
        templates = _ContentTemplates(milestone, kind="milestone")
        for subscription_id, child_id, name in list(
            selectors.list_milestone_children(
                milestone=milestone,
                today=today,
                window_days=settings.NIEUWSBRIEVEN_MILESTONE_WINDOW_DAYS,
            )
        ):
            created += _send_milestone(milestone, templates, subscription_id, child_id, name)
    return created


def _send_milestone(milestone, templates, subscription_id, child_id, name) -> bool:
    try:
        with transaction.atomic():
            record = MilestoneDelivery.objects.create(
                milestone=milestone, child_id=child_id, subscription_id=subscription_id
            )
            subscription = Subscription.objects.select_related("parent").get(pk=subscription_id)
            message = rendering.personalise(
                templates(language_of(subscription.parent)),
                child_name=name,
                subscription_id=subscription.pk,
                key=subscription.key,
            )
            record.email = queue_rendered(
                to=subscription.email,
                subject=message.subject,
                body_text=message.text,
                body_html=message.html,
                kind="newsletter-milestone",
                headers=message.headers,
            )
            record.save(update_fields=["email"])
    except IntegrityError:
        return False
    return True
