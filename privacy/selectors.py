from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from privacy.models import AccessLog

SEARCH_PERMISSION = "privacy.search_accesslog"


@dataclass(frozen=True)
class AccessRow:
    """One access-log row as a parent sees it: role, date, action, what; a name per setting."""

    at: datetime
    role_label: str
    action_label: str
    what_label: str
    actor_label: str


def _role_label(role: str) -> str:
    try:
        return str(User.Role(role).label)
    except ValueError:
        return role


def record_type_label(record_type: str) -> str:
    try:
        return str(apps.get_model(record_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return record_type


def _youth_private_question_ids(family_id) -> list[str]:
    """A youth's own questions are hidden from parents, and so is staff access to them."""
    from privacy.youth import youth_private_questions_q
    from vragen.models import Question

    condition = youth_private_questions_q()
    if condition is None:
        return []
    ids = Question.objects.filter(condition, family_id=family_id).values_list("pk", flat=True)
    return [str(pk) for pk in ids]


def list_access_for_family(*, family_id, limit: int = 500) -> list[AccessRow]:
    """Staff access to one family, newest first (the parent's "who looked at our data")."""
    show_names = settings.ACCESS_LOG_SHOW_STAFF_NAMES
    entries = AccessLog.objects.filter(family_id=family_id).exclude(
        record_type="vragen.question", record_id__in=_youth_private_question_ids(family_id)
    )
    entries = entries.select_related("actor").order_by("-at")[:limit]
    return [
        AccessRow(
            at=entry.at,
            role_label=_role_label(entry.actor_role),
            action_label=str(entry.get_action_display()),
            what_label=record_type_label(entry.record_type),
            actor_label=(entry.actor.display_name if show_names and entry.actor else ""),
        )
        for entry in entries
    ]


def can_search_access_log(user) -> bool:
    return user.is_authenticated and user.has_perm(SEARCH_PERMISSION)


def search_access_log(
    *,
    actor: User,
    date_from: date | None = None,
    date_to: date | None = None,
    who: str = "",
    family_id=None,
    child_id=None,
    action: str = "",
    record_type: str = "",
) -> QuerySet[AccessLog]:
    """Filtered access log for privacy officers only (PermissionDenied for anyone else)."""
    if not can_search_access_log(actor):
        raise PermissionDenied
    rows = AccessLog.objects.select_related("actor").order_by("-at", "-pk")
    tz = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        rows = rows.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    if who:
        rows = rows.filter(actor_email__icontains=who)
    if family_id:
        rows = rows.filter(family_id=family_id)
    if child_id:
        rows = rows.filter(child_id=child_id)
    if action:
        rows = rows.filter(action=action)
    if record_type:
        rows = rows.filter(record_type=record_type)
    return rows
