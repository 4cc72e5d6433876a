import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts import roles
from accounts.exceptions import HandoverRefused
from accounts.models import User

logger = logging.getLogger(__name__)


def sync_groups() -> None:
    """Create one group per role with its permissions. Idempotent; runs after every migrate."""
    for role, name in roles.GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = roles.ROLE_PERMISSIONS[role]
        if wanted == ["*"]:
            perms = Permission.objects.filter(content_type__app_label__in=roles.MANAGED_APPS)
            for app, codename in (p.split(".", 1) for p in roles.MANAGER_EXCLUDED_PERMISSIONS):
                perms = perms.exclude(content_type__app_label=app, codename=codename)
        else:
            # filter, not get: post_migrate runs once per app, before later apps' permissions.
            perms = [
                perm
                for app, codename in (p.split(".", 1) for p in wanted)
                for perm in Permission.objects.filter(
                    content_type__app_label=app, codename=codename
                )
            ]
        group.permissions.set(perms)
    officers, _ = Group.objects.get_or_create(name=roles.PRIVACY_OFFICER_GROUP)
    officers.permissions.set(
        Permission.objects.filter(
            content_type__app_label="privacy",
            codename__in=[p.split(".", 1)[1] for p in roles.PRIVACY_OFFICER_PERMISSIONS],
        )
    )


@transaction.atomic
def set_role(*, user: User, role: str) -> User:
    """Give `user` one role: its group, and admin access (is_staff) for the admin roles."""
    user.role = role
    user.is_staff = role in roles.ADMIN_ROLES or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    role_groups = Group.objects.filter(name__in=roles.GROUP_NAMES.values())
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[role]))
    return user


@transaction.atomic
def create_staff_user(
    *, email: str, password: str, role: str, first_name: str = "", last_name: str = ""
) -> User:
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    set_role(user=user, role=role)
    _mark_email_verified(user)
    return user


def _mark_email_verified(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def activate_totp(*, user: User, secret: str) -> None:
    """Give a user TOTP plus recovery codes (demo data and tests; real users use allauth)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)


@dataclass
class HandoverResult:
    questions: int = 0
    call_backs: int = 0
    slots: int = 0
    appointments: int = 0
    conflicts: list = field(default_factory=list)  # slots the colleague could not take


@transaction.atomic
def hand_over_work(*, actor: User, from_user: User, to_user: User) -> HandoverResult:
    """A professional who is ill or leaves: their open questions (call backs included) and
    their future agenda go to a colleague, in one transaction. Every question gets a timeline
    entry, every moved appointment an access-log row; families see the colleague's name.
    Managers only."""
    if not (actor.is_manager or actor.is_superuser):
        raise HandoverRefused("only a manager hands over work")
    if from_user.pk == to_user.pk:
        raise HandoverRefused("hand over to someone else")
    if not (to_user.is_professional and to_user.is_active):
        raise HandoverRefused("the colleague must be an active professional")
    from afspraken.services import hand_over_agenda
    from vragen.services import hand_over_questions

    questions = hand_over_questions(actor=actor, from_user=from_user, to_user=to_user)
    agenda = hand_over_agenda(actor=actor, from_user=from_user, to_user=to_user)
    result = HandoverResult(
        questions=questions["questions"],
        call_backs=questions["call_backs"],
        slots=agenda.moved_slots,
        appointments=agenda.moved_appointments,
        conflicts=agenda.conflicts,
    )
    logger.info("Handover by %s from %s to %s: %s", actor.pk, from_user.pk, to_user.pk, result)
    return result
