from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy import registry
from privacy.fields import contains_id, overlaps_ids
from privacy.models import AccessLog
from privacy.services import record_access

SEARCH_PERMISSION = "privacy.search_accesslog"


@dataclass(frozen=True)
class AccessRow:
    """One access-log row as a parent sees it: when, role, action and what, for which of their
    children; a staff name only when the setting says so."""

    at: datetime
    role_label: str
    action_label: str
    what_label: str
    actor_label: str
    children: tuple[str, ...] = ()


def role_label(role: str) -> str:
    try:
        return str(get_user_model().Role(role).label)
    except ValueError:
        return role


def record_type_label(record_type: str) -> str:
    try:
        return str(apps.get_model(record_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return record_type


def _hidden_from_family(family_id) -> Q:
    """Rows about records the family may not see (a youth's own questions) and who read them."""
    condition = Q(pk__in=[])
    for hide in registry.HIDDEN_FROM_FAMILY.values():
        for record_type, record_ids in hide(family_id=family_id).items():
            if record_ids:
                condition |= Q(record_type=record_type) & overlaps_ids("record_ids", record_ids)
    return condition


def list_access_for_family(
    *, family_id, children: dict | None = None, limit: int = 500
) -> list[AccessRow]:
    """Staff access to one family, newest first (the parent's "who looked at our data").

    `children` maps the family's child ids to first names, to say which child a row was about.
    """
    show_names = settings.ACCESS_LOG_SHOW_STAFF_NAMES
    children = {str(key): name for key, name in (children or {}).items()}
    entries = (
        AccessLog.objects.filter(contains_id("family_ids", family_id))
        .exclude(_hidden_from_family(family_id))
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        AccessRow(
            at=entry.at,
            role_label=role_label(entry.actor_role),
            action_label=str(entry.get_action_display()),
            what_label=record_type_label(entry.record_type),
            actor_label=(entry.actor.display_name if show_names and entry.actor else ""),
            children=tuple(
                children[str(child_id)] for child_id in entry.child_ids if str(child_id) in children
            ),
        )
        for entry in entries
    ]


def can_search_access_log(user) -> bool:
    return user.is_authenticated and user.has_perm(SEARCH_PERMISSION)


def search_access_log(
    *,
    actor,
    date_from: date | None = None,
    date_to: date | None = None,
    who: str = "",
    family_id=None,
    child_id=None,
    action: str = "",
    record_type: str = "",
) -> QuerySet[AccessLog]:
    """Filtered access log for privacy officers only (PermissionDenied for anyone else).

    Per child and per family through the GIN-indexed id arrays, per staff member through the
    (actor_email, at) index, by date through the index on at.
    """
    if not can_search_access_log(actor):
        raise PermissionDenied
    rows = AccessLog.objects.select_related("actor").order_by("-at", "-pk")
    tz = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        rows = rows.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    if who:
        # Exact address (index on actor_email, at): a substring search would read the whole log.
        rows = rows.filter(actor_email__in={who.strip(), who.strip().lower()})
    if family_id:
        rows = rows.filter(contains_id("family_ids", family_id))
    if child_id:
        rows = rows.filter(contains_id("child_ids", child_id))
    if action:
        rows = rows.filter(action=action)
    if record_type:
        rows = rows.filter(record_type=record_type)
    return rows


@dataclass(frozen=True)
class OfficerRow:
    """One access-log row for the privacy officer, in words: which children (first name and a
    short pseudonymous code, so two children with one name stay apart), role and action."""

    entry: AccessLog
    role_label: str
    action_label: str
    what_label: str
    children: tuple[str, ...] = field(default_factory=tuple)
    family_count: int = 0


def child_label(child_id, names: dict) -> str:
    code = str(child_id).replace("-", "")[:8]
    name = names.get(str(child_id))
    if name is None:
        return _("child %(code)s (removed)") % {"code": code}
    return f"{name} · {code}"


def describe_for_officer(*, actor, entries) -> list[OfficerRow]:
    """Readable rows for the officer's page. Showing children's names is itself a staff read
    of family data, so the page view is logged with every child and family it names."""
    from families.selectors import get_child_first_names

    entries = list(entries)
    child_ids = {str(child_id) for entry in entries for child_id in entry.child_ids}
    names = get_child_first_names(child_ids=child_ids)
    if entries:
        record_access(
            actor=actor,
            action=AccessLog.Action.VIEW,
            record_type=AccessLog,
            record_ids=[entry.pk for entry in entries],
            child_ids=[child_id for child_id in child_ids if child_id in names],
            family_ids=[family_id for entry in entries for family_id in entry.family_ids],
            reason="access log",
        )
    return [
        OfficerRow(
            entry=entry,
            role_label=role_label(entry.actor_role),
            action_label=str(entry.get_action_display()),
            what_label=record_type_label(entry.record_type),
            children=tuple(child_label(child_id, names) for child_id in entry.child_ids),
            family_count=len(entry.family_ids),
        )
        for entry in entries
    ]
