import io
import json
import logging
import time
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.roles import Capability
from core.client import client_ip, current_ip
from privacy import registry
from privacy.dbfunctions import PARTITION_MONTHS_AHEAD
from privacy.exceptions import InvalidDeletionLink
from privacy.models import (
    AccessLog,
    AccountDeletion,
    RetentionReport,
    SecurityEvent,
    YouthQuestion,
)

logger = logging.getLogger(__name__)

_DELETE_SALT = "privacy.delete-account"


def _distinct(values: Iterable) -> list[str]:
    return list(dict.fromkeys(str(value) for value in values if value not in (None, "")))


def record_access(
    *,
    actor,
    action: str,
    record_type,
    record_ids: Iterable = (),
    child_ids: Iterable = (),
    family_ids: Iterable = (),
    reason: str = "",
) -> AccessLog | None:
    """Write the access-log row of one staff page view or action on family data.

    The one writer of the log. `record_type` is a model (class or instance) or an
    "app_label.model" label; `record_ids` the records shown or changed (none for a page that
    is not about particular records); `child_ids` and `family_ids` every child and family whose
    data the page showed, so the row answers "who looked at this child". `reason` is what the
    staff member stated (break the glass) or where the read happened. Parents looking at their
    own family are not logged: the log is about staff access.
    """
    # Staff, and the external accounts that must use MFA because they see family data (a
    # co-host sees first names parents shared).
    if actor is None or not getattr(actor, "must_use_mfa", False):
        return None
    if not isinstance(record_type, str):
        record_type = record_type._meta.label_lower
    return AccessLog.objects.create(
        actor=actor,
        actor_email=actor.email,
        actor_role=actor.role,
        action=action,
        record_type=record_type[:60],
        record_ids=[value[:64] for value in _distinct(record_ids)],
        child_ids=_distinct(child_ids),
        family_ids=_distinct(family_ids),
        ip_address=current_ip.get(),
        reason=reason[:255],
    )


def record_list_access(
    *, actor, records: list, reason: str, action: str = AccessLog.Action.VIEW
) -> None:
    """A staff list page of records that each have `family_id` and `child_id` (the first line
    of each question, the day's appointments): one row for the page, through record_access."""
    if not records:
        return
    record_access(
        actor=actor,
        action=action,
        record_type=records[0],
        record_ids=[record.pk for record in records],
        child_ids=[record.child_id for record in records],
        family_ids=[record.family_id for record in records],
        reason=reason,
    )


def record_security_event(
    *, kind: str, user=None, email: str = "", request=None, detail: str = ""
) -> SecurityEvent:
    """Write one security event (login, logout, failed login or second factor)."""
    authenticated = user is not None and getattr(user, "pk", None) is not None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if authenticated else None,
        email=(user.email if authenticated else email)[:254],
        role=user.role if authenticated else "",
        ip_address=client_ip(request) if request is not None else current_ip.get(),
        detail=detail[:200],
    )


# --- Retention ------------------------------------------------------------------------------------
def access_log_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS)


def purge_access_log(*, before: datetime, deadline: float | None = None) -> tuple[int, bool]:
    """The one way to delete access-log rows: those older than `before` and past retention.

    On PostgreSQL through `privacy_purge_access_log()`, a SECURITY DEFINER function of the
    owner role (migration privacy/0006): the app role has no DELETE privilege on the log, and
    the function never deletes a row younger than the retention period the owner set.
    First the whole months before `before` (their partitions are dropped), then a day at a
    time from the oldest row left, each day its own transaction, until `deadline`
    (`time.monotonic()`). Returns (rows deleted, finished).
    """
    deleted = 0
    if connection.vendor == "postgresql":
        # Whole months first: the function drops their partitions (no row-by-row DELETE).
        month_start = before.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0)
        month_start = month_start.replace(microsecond=0)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT privacy_purge_access_log(%s)", [month_start])
            deleted += cursor.fetchone()[0]
    oldest = AccessLog.objects.order_by("at").values_list("at", flat=True).first()
    while oldest is not None and oldest < before:
        if deadline is not None and time.monotonic() >= deadline:
            return deleted, False
        oldest = min(oldest + timedelta(days=1), before)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT privacy_purge_access_log(%s)", [oldest])
                    deleted += cursor.fetchone()[0]
            else:
                deleted += AccessLog.objects.filter(at__lt=oldest).delete()[0]
    return deleted, True


def create_access_log_partitions() -> int:
    """Keep the access log's monthly partitions PARTITION_MONTHS_AHEAD months ahead (nightly,
    through the owner's SECURITY DEFINER function; setup_db_roles does it at deploy too)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT privacy_accesslog_create_partitions(%s)", [PARTITION_MONTHS_AHEAD])
        return cursor.fetchone()[0]


RETENTION_BATCH_SIZE = 5000


def delete_in_batches(queryset, *, deadline: float | None = None) -> tuple[int, bool]:
    """Delete the rows of `queryset` (and what cascades), `RETENTION_BATCH_SIZE` at a time,
    each batch its own short transaction, until done or `deadline` (`time.monotonic()`).
    Resumable: the queryset selects what is still past retention. Returns (deleted, finished)."""
    model, deleted = queryset.model, 0
    while deadline is None or time.monotonic() < deadline:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:RETENTION_BATCH_SIZE])
        if not ids:
            return deleted, True
        with transaction.atomic():
            deleted += model.objects.filter(pk__in=ids).delete()[0]
    return deleted, False


def _retention_candidates(now: datetime) -> dict:
    found = {}
    for key, rule in registry.RETENTION_RULES.items():
        queryset = rule(now=now)
        if queryset is not None:
            found[key] = queryset
    return found


def write_retention_report(*, now: datetime | None = None) -> RetentionReport:
    """Count what retention would remove now, without removing anything."""
    now = now or timezone.now()
    candidates = _retention_candidates(now)
    return RetentionReport.objects.create(
        created_at=now,
        dry_run=True,
        counts={key: queryset.count() for key, queryset in candidates.items()},
        cutoffs={
            "closed_questions_days": settings.RETENTION_CLOSED_QUESTIONS_DAYS,
            "past_appointments_days": settings.RETENTION_PAST_APPOINTMENTS_DAYS,
            "access_log_days": settings.RETENTION_ACCESS_LOG_DAYS,
            "security_events_days": settings.RETENTION_SECURITY_EVENTS_DAYS,
        },
    )


def apply_retention(*, now: datetime | None = None, dry_run: bool | None = None) -> RetentionReport:
    """Nightly retention: first a dry-run report (committed on its own), then the deletion.

    Deletes in batches, each its own transaction, for at most RETENTION_TIME_LIMIT_SECONDS;
    what is left (the report's "unfinished") goes in the next run, which starts from the same
    queries. Idempotent: a second run the same night finds nothing left to delete.
    """
    now = now or timezone.now()
    dry_run = settings.RETENTION_DRY_RUN_ONLY if dry_run is None else dry_run
    report = write_retention_report(now=now)
    if dry_run:
        return report
    deadline = time.monotonic() + settings.RETENTION_TIME_LIMIT_SECONDS
    create_access_log_partitions()
    deleted, unfinished = {}, []
    for key, queryset in _retention_candidates(now).items():
        if queryset.model is AccessLog:
            deleted[key], finished = purge_access_log(
                before=access_log_cutoff(now), deadline=deadline
            )
        else:
            deleted[key], finished = delete_in_batches(queryset, deadline=deadline)
        if not finished:
            unfinished.append(key)
    report.dry_run = False
    report.applied_at = timezone.now()
    report.counts = {**report.counts, **{f"{k}_deleted": v for k, v in deleted.items()}}
    if unfinished:
        report.counts["unfinished"] = unfinished
    report.save(update_fields=["dry_run", "applied_at", "counts"])
    logger.info("Retention applied: %s (unfinished: %s)", deleted, unfinished)
    return report


# --- Export (AVG art. 15 and 20) ------------------------------------------------------------------
def collect_family_data(*, user=None, family=None) -> list[registry.Section]:
    """Every app's part of the download: of a parent's account and family, or (`user` None)
    of a family without an account that staff export on request."""
    family = user.family if user is not None else family
    sections: list[registry.Section] = []
    for func in registry.EXPORTERS.values():
        sections.extend(func(user=user, family=family))
    return sections


def _json_value(value):
    """data.json: dates as ISO 8601, times in local time with their offset."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _readable(value) -> str:
    """index.html: what a parent reads; local dates and times, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return str(value)


def readable_sections(sections: list[registry.Section]) -> list[dict]:
    return [
        {
            "title": section.title,
            "note": section.note,
            "headings": [str(section.labels.get(name, name)) for name in (section.rows or [{}])[0]],
            "rows": [[_readable(value) for value in row.values()] for row in section.rows],
        }
        for section in sections
    ]


def build_data_export(*, user=None, family=None) -> bytes:
    """A zip with data.json (machine-readable) and index.html (readable, escaped, no scripts)."""
    sections = collect_family_data(user=user, family=family)
    created = timezone.localtime()
    payload = {
        "created_at": created.isoformat(),
        "organisation": settings.ORGANISATION_NAME,
        "sections": {s.key: {"title": s.title, "rows": s.rows} for s in sections},
    }
    html = render_to_string(
        "privacy/export.html",
        {
            "sections": readable_sections(sections),
            "created_at": created,
            "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        data = json.dumps(payload, ensure_ascii=False, indent=2, default=_json_value)
        archive.writestr("data.json", data)
        archive.writestr("index.html", html)
    return buffer.getvalue()


# --- Account deletion (AVG art. 17) ---------------------------------------------------------------
def _password_fingerprint(user) -> str:
    # Changing the password (or deleting the account) makes every earlier link invalid.
    return salted_hmac(_DELETE_SALT, user.password).hexdigest()[:16]


def make_deletion_token(*, user) -> str:
    return signing.dumps({"u": str(user.pk), "p": _password_fingerprint(user)}, salt=_DELETE_SALT)


def check_deletion_token(*, user, token: str) -> None:
    """Raise InvalidDeletionLink unless `token` was made for `user`, unchanged and in time."""
    try:
        data = signing.loads(
            token, salt=_DELETE_SALT, max_age=settings.ACCOUNT_DELETE_LINK_HOURS * 3600
        )
    except signing.SignatureExpired as exc:
        raise InvalidDeletionLink("expired") from exc
    except signing.BadSignature as exc:
        raise InvalidDeletionLink("invalid") from exc
    if data.get("u") != str(user.pk) or data.get("p") != _password_fingerprint(user):
        raise InvalidDeletionLink("invalid")


def request_account_deletion(*, user) -> None:
    """Mail a confirmation link; nothing is deleted until the parent opens it and confirms."""
    from outbox.services import queue_email

    token = make_deletion_token(user=user)
    queue_email(
        to=user.email,
        template="privacy/delete_account",
        context={
            "url": settings.SITE_URL
            + reverse("privacy:delete_account_confirm", kwargs={"token": token}),
            "hours": settings.ACCOUNT_DELETE_LINK_HOURS,
        },
        kind="delete_account",
        secret=True,
    )


def _run_erasers(*, user, family, family_removed: bool) -> dict[str, int]:
    """Every app's eraser; returns their counts as "app.what"."""
    counts: dict[str, int] = {}
    # Outbox after the others (it also removes the mails they just queued, such as the
    # cancellation of an appointment); families last, the others still need its children.
    last = ["outbox", "families"]
    order = [key for key in registry.ERASERS if key not in last] + last
    for key in order:
        result = registry.ERASERS[key](user=user, family=family, family_removed=family_removed)
        counts.update({f"{key}.{name}": value for name, value in (result or {}).items()})
    return counts


@transaction.atomic
def delete_account(*, user) -> AccountDeletion:
    """Remove a parent's personal data; keep only what the law requires (listed on the page).

    Every registered eraser runs first (appointments cancelled, newsletters stopped, questions
    removed when the family goes); the family goes when no other parent remains. The user row
    stays, anonymised and inactive, so foreign keys and the access log stay consistent.
    """
    user_model = get_user_model()
    # Whoever leaves a family locks its row first (as accepting an invitation does): two
    # parents leaving at once would otherwise each see the other stay, and leave the family
    # and its children's data to nobody.
    family_id = user_model.objects.values_list("family_id", flat=True).get(pk=user.pk)
    family_model = user_model._meta.get_field("family").related_model
    family = family_model.objects.select_for_update().filter(pk=family_id).first()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    family_removed = family is not None and not family.parents.exclude(pk=user.pk).exists()
    family_id = family.pk if family else None
    counts = _run_erasers(user=user, family=family, family_removed=family_removed)

    user.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.family = None
    user.is_active = False
    user.set_unusable_password()  # also ends every other session (session auth hash changes)
    user.save()
    return AccountDeletion.objects.create(
        family_id=family_id, family_removed=family_removed, counts=counts
    )


@transaction.atomic
def erase_family_without_account(*, family) -> AccountDeletion:
    """Art. 17 for a family the JGZ registered (import, desk) that has no account: every
    eraser runs as when the last parent leaves (future appointments cancelled, waiting
    ended), then the family and its children go. The caller checks that no account belongs
    to it and writes the access log."""
    family = type(family).objects.select_for_update().get(pk=family.pk)
    family_id = family.pk
    counts = _run_erasers(user=None, family=family, family_removed=True)
    return AccountDeletion.objects.create(family_id=family_id, family_removed=True, counts=counts)


# --- Rectification (AVG art. 16) ----------------------------------------------------------------
@transaction.atomic
def update_own_details(*, user, first_name: str, last_name: str, phone: str):
    """A parent corrects their own name and phone number (e-mail: allauth's own page)."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone.strip()
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


# --- Youth rights ---------------------------------------------------------------------------------
@transaction.atomic
def set_asked_by_youth(*, actor, question, asked_by_youth: bool) -> bool:
    """Mark (or unmark) a question as the youth's own; from 16 its parents no longer see it.

    Staff only (the caller read `question` through the staff selector); logged as a change.
    Returns whether anything changed.
    """
    if not actor.has_capability(Capability.CLINICAL):
        raise PermissionDenied
    if asked_by_youth:
        _marker, changed = YouthQuestion.objects.get_or_create(
            question=question, defaults={"marked_by": actor}
        )
    else:
        changed = YouthQuestion.objects.filter(question=question).delete()[0] > 0
    if changed:
        record_access(
            actor=actor,
            action=AccessLog.Action.CHANGE,
            record_type=question,
            record_ids=[question.pk],
            child_ids=[question.child_id],
            family_ids=[question.family_id],
            reason="asked by youth" if asked_by_youth else "not asked by youth",
        )
    return changed
