"""What the privacy app holds for its own registry (privacy/registry.py): the access log in the
download (kept by law, removed only after its retention period) and youth-question marks in the
admin. Discovered by PrivacyConfig.ready, like every app's privacy_data module.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.models import AccessLog, SecurityEvent
from privacy.registry import Section, exporter, family_data, retention_rule
from privacy.selectors import list_access_for_family
from privacy.services import access_log_cutoff

family_data("privacy.youthquestion", family="question__family_id", child="question__child_id")


def _unnest(field: str):
    def ids(queryset):
        return {value for values in queryset.values_list(field, flat=True) for value in values}

    return ids


def _families_of_accounts(queryset):
    # Failed logins have no account, only the address typed.
    accounts = Q(pk__in=queryset.values("user_id")) | Q(email__in=queryset.values("email"))
    users = get_user_model().objects.filter(accounts, family__isnull=False)
    return users.values_list("family_id", flat=True)


# Log rows name children and hold what staff searched for: reading them is a read too.
family_data("privacy.accesslog", family=_unnest("family_ids"), child=_unnest("child_ids"))
family_data("privacy.securityevent", family=_families_of_accounts)


@exporter("privacy")
def export_access_log(*, user, family):
    if family is None:
        return []
    rows = [
        {
            "at": entry.at,
            "role": entry.role_label,
            "action": entry.action_label,
            "what": entry.what_label,
            "children": ", ".join(entry.children),
            "by": entry.actor_label,
        }
        for entry in list_access_for_family(
            family_id=family.pk,
            children=dict(family.children.values_list("pk", "first_name")),
        )
    ]
    labels = {
        "at": _("When"),
        "role": _("Role"),
        "action": _("Action"),
        "what": _("What"),
        "children": _("Children"),
        "by": _("Who"),
    }
    return [Section("access_log", str(_("Who looked at our data")), rows, labels=labels)]


@retention_rule("access_log")
def old_access_log(*, now):
    return AccessLog.objects.filter(at__lt=access_log_cutoff(now))


@retention_rule("security_events")
def old_security_events(*, now):
    cutoff = now - timedelta(days=settings.RETENTION_SECURITY_EVENTS_DAYS)
    return SecurityEvent.objects.filter(at__lt=cutoff)
