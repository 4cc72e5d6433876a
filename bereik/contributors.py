"""Reach's part of the family's download and of retention (see privacy/registry.py)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from privacy.registry import Section, exporter, retention_rule


@exporter("bereik")
def export_reach(*, user, family):
    if family is None:
        return []
    from bereik.models import FamilyContact

    sections = []
    contact = FamilyContact.objects.filter(family=family).first()
    if contact is not None:
        sections.append(
            Section(
                "contact",
                str(_("How the JGZ reaches you")),
                [
                    {
                        "origin": str(contact.get_origin_display()),
                        "parent_name": contact.parent_name,
                        "phone": contact.phone,
                        "email": contact.email,
                        "language": contact.language,
                        "channel": str(contact.get_channel_display()),
                    }
                ],
                labels={
                    "origin": _("Where your details come from"),
                    "parent_name": _("Name"),
                    "phone": _("Phone number"),
                    "email": _("E-mail address"),
                    "language": _("Language"),
                    "channel": _("How we contact you"),
                },
            )
        )
    from bereik.models import AttentionFlag

    flags = AttentionFlag.objects.filter(family=family, removed_at__isnull=True).select_related(
        "reason"
    )
    # Parents have a right to see what is kept about them: the neutral wording, never the
    # staff's name for the reason.
    sections.append(
        Section(
            "attention",
            str(_("Extra attention from the JGZ")),
            [{"what": flag.reason.parent_text, "since": flag.set_at} for flag in flags],
            note=str(
                _(
                    "The JGZ keeps in touch with your family a little more often. "
                    "Call us to ask why."
                )
            )
            if flags
            else "",
            labels={"what": _("What"), "since": _("Since")},
        )
    )
    return sections


@retention_rule("bereik_families_without_account")
def families_without_account(*, now):
    """Families the JGZ registered (import, desk) whose parents never made an account, once the
    JGZ's care for all their children ended more than the retention period ago, or all of
    them turned 18."""
    from accounts.models import User
    from families.models import Child, Family

    cutoff = now - timedelta(days=settings.BEREIK_RETENTION_AFTER_CARE_DAYS)
    adult_born_before = (now - timedelta(days=18 * 366)).date()
    still_ours = Child.objects.filter(family_id=OuterRef("pk")).filter(
        Q(care_status=Child.CareStatus.ACTIVE)
        & (Q(date_of_birth__isnull=True) | Q(date_of_birth__gt=adult_born_before))
        | Q(care_ended_at__gte=cutoff)
    )
    return (
        Family.objects.filter(contact__origin__in=["import", "desk"], contact__activated_at=None)
        .exclude(Exists(User.objects.filter(family_id=OuterRef("pk"))))
        .exclude(Exists(still_ours))
    )
