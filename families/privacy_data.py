"""What the families app holds for the privacy registry (privacy/registry.py): family, parents,
children and invitations in the download and erased with the last parent, and which admin pages
are family data. Discovered by PrivacyConfig.ready.
"""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Section, eraser, exporter, family_data, labels_of, rows_of

family_data("families.family", family="pk", child="children__id")
family_data("families.child", family="family_id", child="pk")
family_data("families.invitation", family="family_id")


@exporter("families")
def export_family(*, user, family):
    if family is None:
        return []
    parents = [
        {"name": parent.display_name, "is_you": user is not None and parent.pk == user.pk}
        for parent in family.parents.order_by("date_joined")
    ]
    child_fields = ["first_name", "date_of_birth", "due_date", "created_at"]
    invitation_fields = ["email", "created_at", "expires_at", "accepted_at"]
    return [
        Section(
            "family",
            str(_("Family")),
            [{"name": family.name, "created_at": family.created_at}],
            labels=labels_of(type(family), ["name", "created_at"]),
        ),
        Section(
            "parents",
            str(_("Parents and carers")),
            parents,
            labels={"name": _("Name"), "is_you": _("This is you")},
        ),
        Section(
            "children",
            str(_("Children")),
            rows_of(family.children.all(), child_fields),
            labels=labels_of(family.children.model, child_fields),
        ),
        Section(
            "invitations",
            str(_("Invitations")),
            rows_of(family.invitations.all(), invitation_fields),
            labels=labels_of(family.invitations.model, invitation_fields),
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
