"""The portal's own contributors to the privacy registries (see privacy/registry.py).

Apps that were added later (questions, appointments, newsletters) are read through
`apps.get_model`, so this module works whether or not their models exist yet.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.registry import Section, eraser, exporter, retention_rule


def _value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def rows_of(queryset, fields: list[str]) -> list[dict]:
    return [{name: _value(row[name]) for name in fields} for row in queryset.values(*fields)]


# --- accounts -------------------------------------------------------------------------------------
@exporter("accounts")
def export_account(*, user, family):
    from allauth.mfa.models import Authenticator

    account = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "date_joined": _value(user.date_joined),
        "last_login": _value(user.last_login),
        "two_step_verification": Authenticator.objects.filter(user=user).exists(),
    }
    return [Section("account", str(_("Your account")), [account])]


# --- families ------------------------------------------------------------------------------------
@exporter("families")
def export_family(*, user, family):
    if family is None:
        return []
    parents = [
        {"name": parent.display_name, "is_you": parent.pk == user.pk}
        for parent in family.parents.order_by("date_joined")
    ]
    return [
        Section(
            "family",
            str(_("Family")),
            [{"name": family.name, "created_at": _value(family.created_at)}],
        ),
        Section("parents", str(_("Parents and carers")), parents),
        Section(
            "children",
            str(_("Children")),
            rows_of(
                family.children.all(), ["first_name", "date_of_birth", "due_date", "created_at"]
            ),
        ),
        Section(
            "invitations",
            str(_("Invitations")),
            rows_of(family.invitations.all(), ["email", "created_at", "expires_at", "accepted_at"]),
        ),
    ]


@eraser("families")
def erase_family(*, user, family, family_removed):
    if family is None:
        return {}
    counts = {"invitations": family.invitations.filter(invited_by=user).count()}
    if family_removed:
        counts["children"] = family.children.count()
        family.delete()  # children and invitations cascade
    else:
        family.invitations.filter(invited_by=user).delete()
    return counts


# --- outbox --------------------------------------------------------------------------------------
@exporter("outbox")
def export_emails(*, user, family):
    from outbox.models import OutgoingEmail

    emails = OutgoingEmail.objects.filter(to__iexact=user.email).order_by("created_at")
    return [
        Section(
            "emails",
            str(_("E-mails we sent you")),
            rows_of(emails, ["created_at", "subject", "status", "sent_at"]),
        )
    ]


@eraser("outbox")
def erase_emails(*, user, family, family_removed):
    from outbox.models import OutgoingEmail

    deleted, _details = OutgoingEmail.objects.filter(to__iexact=user.email).delete()
    return {"emails": deleted}


# --- privacy -------------------------------------------------------------------------------------
@exporter("privacy")
def export_access_log(*, user, family):
    if family is None:
        return []
    from privacy.selectors import list_access_for_family

    rows = [
        {
            "at": _value(entry.at),
            "role": entry.role_label,
            "action": entry.action_label,
            "what": entry.what_label,
            "by": entry.actor_label,
        }
        for entry in list_access_for_family(family_id=family.pk)
    ]
    return [Section("access_log", str(_("Who looked at our data")), rows)]


@retention_rule("access_log")
def old_access_log(*, now):
    from privacy.models import AccessLog

    return AccessLog.objects.filter(at__lt=now - timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS))
