import secrets
from datetime import date, time, timedelta

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from families.exceptions import InvitationError
from families.models import Child, Family, Invitation, hash_token
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
def set_message_channel(
    *,
    family: Family,
    channel: str,
    phone: str,
    quiet_from: time | None = None,
    quiet_until: time | None = None,
) -> Family:
    """How the family gets invitations and reminders. `phone` is E.164 or "" (see
    `sms.services.normalise_phone`); quiet hours are both set or both None."""
    family.message_channel = channel
    family.phone = phone
    family.sms_quiet_from, family.sms_quiet_until = quiet_from, quiet_until
    family.save(update_fields=["message_channel", "phone", "sms_quiet_from", "sms_quiet_until"])
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
    """Invite a second parent or carer; the e-mail holds only the link.

    Only the token's hash is stored; the returned invitation carries the plain token in
    `invitation.token` (in memory, for the caller) and in the e-mail, which the outbox
    redacts once it is sent.
    """
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        family=family,
        email=email.strip().lower(),
        invited_by=invited_by,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.token = token
    queue_email(
        to=invitation.email,
        template="families/invitation",
        context={
            "inviter": invited_by.display_name,
            "url": settings.SITE_URL + reverse("families:invitation", kwargs={"token": token}),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
        kind="invitation",
        secret=True,
    )
    return invitation


def has_invited_address(invitation: Invitation, user: User) -> bool:
    """Is the invited address one of the user's verified addresses?"""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


def check_invitation(invitation: Invitation, *, user: User | None = None) -> None:
    """Raise InvitationError when this user cannot accept (anonymous users: only link state)."""
    if invitation.is_used:
        raise InvitationError("used")
    if invitation.is_expired:
        raise InvitationError("expired")
    if user is None:
        return
    if user.family_id == invitation.family_id:
        raise InvitationError("own_family")
    if not has_invited_address(invitation, user):
        raise InvitationError("wrong_address")
    if not user.is_parent:
        raise InvitationError("not_parent")


def _holds_data(family: Family) -> bool:
    """Does anything besides invitations belong to the family (children, questions, ...)?

    Asks every model that points at Family, so a new app's data counts without a change here.
    """
    for relation in Family._meta.related_objects:
        model = relation.related_model
        if model is Invitation or relation.on_delete is not models.CASCADE:
            continue
        if model._base_manager.filter(**{relation.field.name: family}).exists():
            return True
    return False


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> Family:
    """Join the inviting family. Single use: the row is locked and marked in one transaction.

    Only for the invited address (verified on the user's account). A parent who is the only
    parent of a family that holds data cannot leave it: that family would be left without
    anyone who can see or change it. An empty family made at sign-up is removed.
    """
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationError("unknown")
    check_invitation(invitation, user=user)
    old_family = (
        Family.objects.select_for_update().filter(pk=user.family_id).first()
        if user.family_id
        else None
    )
    if old_family is not None:
        alone = not old_family.parents.exclude(pk=user.pk).exists()
        if alone and _holds_data(old_family):
            raise InvitationError("last_parent")
    user.family = invitation.family
    user.save(update_fields=["family"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if old_family is not None and not old_family.parents.exists():
        old_family.delete()
    return invitation.family
