import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from families.exceptions import InvitationError
from families.models import Child, Family, Invitation
from families.postcodes import normalise_postcode
from outbox.services import queue_email


@transaction.atomic
def create_family_for_parent(*, parent: User, name: str = "") -> Family:
    """Give a parent without a family a new one (on sign-up)."""
    if parent.family_id:
        return parent.family
    family = Family.objects.create(name=name or parent.last_name or parent.email.split("@")[0])
    parent.family = family
    parent.save(update_fields=["family"])
    return family


@transaction.atomic
def add_child(
    *,
    family: Family,
    first_name: str,
    date_of_birth: date | None = None,
    due_date: date | None = None,
) -> Child:
    return Child.objects.create(
        family=family,
        first_name=first_name.strip(),
        date_of_birth=date_of_birth,
        due_date=None if date_of_birth else due_date,
    )


@transaction.atomic
def update_child(
    *,
    child: Child,
    first_name: str,
    date_of_birth: date | None = None,
    due_date: date | None = None,
) -> Child:
    """Edit a child; entering a date of birth for an expected child marks it as born."""
    child.first_name = first_name.strip()
    child.date_of_birth = date_of_birth
    child.due_date = None if date_of_birth else due_date
    child.save(update_fields=["first_name", "date_of_birth", "due_date"])
    return child


@transaction.atomic
def set_postcode(*, family: Family, postcode: str) -> Family:
    """Store the family's postcode (already normalised by the form; the database checks it)."""
    family.postcode = normalise_postcode(postcode)
    family.save(update_fields=["postcode"])
    return family


@transaction.atomic
def invite_parent(*, family: Family, invited_by: User, email: str) -> Invitation:
    """Invite a second parent or carer; the e-mail holds only the link."""
    invitation = Invitation.objects.create(
        family=family,
        email=email.strip().lower(),
        invited_by=invited_by,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    queue_email(
        to=invitation.email,
        template="families/invitation",
        context={
            "inviter": invited_by.display_name,
            "url": settings.SITE_URL
            + reverse("families:invitation", kwargs={"token": invitation.token}),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
        kind="invitation",
    )
    return invitation


def check_invitation(invitation: Invitation, *, user: User | None = None) -> None:
    if invitation.is_used:
        raise InvitationError("used")
    if invitation.is_expired:
        raise InvitationError("expired")
    if user is not None and user.family_id == invitation.family_id:
        raise InvitationError("own_family")


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> Family:
    """Join the inviting family. Single use: the row is locked and marked in one transaction."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise InvitationError("unknown")
    check_invitation(invitation, user=user)
    if not user.is_parent:
        raise InvitationError("not_parent")
    old_family = user.family
    user.family = invitation.family
    user.save(update_fields=["family"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # An empty family made at sign-up is removed; one with children stays (never lose data).
    if old_family and not old_family.children.exists() and not old_family.parents.exists():
        old_family.delete()
    return invitation.family
