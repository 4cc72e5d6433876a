from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from families.models import Child, Family, Invitation, hash_token
from privacy.models import AccessLog
from privacy.services import record_access


def get_family_for_parent(*, parent: User) -> Family | None:
    return parent.family


def list_children_for_parent(*, parent: User) -> QuerySet[Child]:
    if not parent.family_id:
        return Child.objects.none()
    return Child.objects.filter(family_id=parent.family_id)


def get_child_for_parent(*, parent: User, child_id) -> Child:
    """The parent's own child, or 404 (another family's child is indistinguishable from none)."""
    child = list_children_for_parent(parent=parent).filter(pk=child_id).first()
    if child is None:
        raise Http404
    return child


def list_parents(*, family: Family) -> QuerySet[User]:
    return family.parents.order_by("date_joined")


def get_invitation(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("family", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_family_for_staff(*, actor: User, family_id, reason: str = "") -> Family:
    """A family with its children and parents, for staff pages. Logs the read (NEN 7513)."""
    family = Family.objects.prefetch_related("children", "parents").filter(pk=family_id).first()
    if family is None:
        raise Http404
    record_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        record_type=Family,
        record_ids=[family.pk],
        child_ids=[child.pk for child in family.children.all()],
        family_ids=[family.pk],
        reason=reason,
    )
    return family


def get_child_first_names(*, child_ids) -> dict[str, str]:
    """First names by child id, for labels on pages that log their own read (the access log)."""
    rows = Child.objects.filter(pk__in=list(child_ids)).values_list("pk", "first_name")
    return {str(pk): first_name for pk, first_name in rows}
