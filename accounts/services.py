import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts import roles
from accounts.exceptions import HandoverRefused, RoleChangeRefused
from accounts.exceptions import LoginRefused as Refusal
from accounts.models import RoleChange, RoleMembership, User

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


SUPERUSER = "superuser"


def _log(*, actor, user, action, what, source) -> None:
    RoleChange.objects.create(
        actor=actor,
        actor_email=actor.email if actor is not None else "",
        user=user,
        user_email=user.email,
        action=action,
        what=what[:150],
        source=source,
    )


def _sync_role_groups(user: User, wanted: frozenset[str]) -> None:
    """The user's role groups are exactly those of `wanted`; other (raw) groups stay."""
    role_groups = {g.name: g for g in Group.objects.filter(name__in=roles.GROUP_NAMES.values())}
    wanted_names = {roles.GROUP_NAMES[role] for role in wanted}
    user.groups.remove(*(g for name, g in role_groups.items() if name not in wanted_names))
    user.groups.add(*(role_groups[name] for name in wanted_names if name in role_groups))


def check_role_change(
    *,
    actor: User | None,
    user: User | None,
    role: str,
    extra_roles=(),
    is_superuser: bool | None = None,
    source: str = RoleChange.Source.ADMIN,
) -> None:
    """Raise RoleChangeRefused unless `actor` may give `user` exactly these roles.

    `user` None is a new account. The same check runs in the admin form (for a Dutch
    message) and inside `change_roles` (so no other path can skip it).
    """
    if role not in User.Role.values or any(r not in User.Role.values for r in extra_roles):
        raise RoleChangeRefused("unknown_role")
    wanted = frozenset({role, *extra_roles})
    if role == User.Role.PARENT and len(wanted) > 1:
        raise RoleChangeRefused("parent_extra_roles")
    before = user.roles if user is not None else frozenset({User.Role.PARENT})
    was_superuser = bool(user and user.is_superuser)
    if actor is not None and user is not None and not roles.may_manage(actor=actor, user=user):
        raise RoleChangeRefused("not_yours", what=user.email)
    allowed = roles.grantable_roles(actor=actor, source=source)
    # Being a parent gives nothing on the staff side; leaving a staff role is checked as
    # taking that role away.
    refused = sorted((wanted ^ before) - allowed - {User.Role.PARENT})
    if refused:
        raise RoleChangeRefused("role", what=", ".join(refused))
    if is_superuser is not None and is_superuser != was_superuser:
        may_flag = actor.is_superuser if actor is not None else source == "command"
        if not may_flag:
            raise RoleChangeRefused("superuser")


@transaction.atomic
def change_roles(
    *,
    actor: User | None,
    user: User,
    role: str,
    extra_roles=(),
    is_superuser: bool | None = None,
    source: str = RoleChange.Source.ADMIN,
) -> User:
    """Give `user` a primary role and extra roles (and, for superusers, the superuser flag).

    Every path that changes a role comes here: the admin, the command line, demo data and,
    later, roles that arrive as an identity provider's claims. `actor` is who does it (None
    for a path without a person; `source` then says which, and `roles.SOURCE_GRANTABLE_ROLES`
    what it may give). Refuses with RoleChangeRefused before changing anything; logs one
    `RoleChange` row per role given or taken away. Locks the user row.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    check_role_change(
        actor=actor,
        user=locked,
        role=role,
        extra_roles=extra_roles,
        is_superuser=is_superuser,
        source=source,
    )
    before, was_superuser = locked.roles, locked.is_superuser
    wanted = frozenset({role, *extra_roles})
    superuser = was_superuser if is_superuser is None else is_superuser
    admin_site = bool(roles.capabilities_of(wanted) & roles.ADMIN_SITE_CAPABILITIES)
    for target in (locked, user):
        target.role = role
        target.is_superuser = superuser
        target.is_staff = admin_site or superuser
        target.forget_roles()
    locked.save(update_fields=["role", "is_superuser", "is_staff"])
    extras = wanted - {role}
    RoleMembership.objects.filter(user=locked).exclude(role__in=extras).delete()
    for extra in sorted(extras):
        RoleMembership.objects.get_or_create(user=locked, role=extra)
    _sync_role_groups(locked, wanted)
    # Parent is what every account starts as and gives nothing on the staff side: not logged.
    for what in sorted(wanted - before - {User.Role.PARENT}):
        _log(actor=actor, user=locked, action=RoleChange.Action.GRANT, what=what, source=source)
    for what in sorted(before - wanted - {User.Role.PARENT}):
        _log(actor=actor, user=locked, action=RoleChange.Action.REVOKE, what=what, source=source)
    if superuser != was_superuser:
        action = RoleChange.Action.GRANT if superuser else RoleChange.Action.REVOKE
        _log(actor=actor, user=locked, action=action, what=SUPERUSER, source=source)
    return user


def set_role(*, user: User, role: str) -> User:
    """Give `user` one role and no extra roles, from code run by the server's owner (demo
    data, tests, the command line). Checked and logged like any other change."""
    return change_roles(actor=None, user=user, role=role, source=RoleChange.Source.COMMAND)


@transaction.atomic
def change_raw_permissions(
    *, actor: User, user: User, groups, permissions, source: str = RoleChange.Source.ADMIN
) -> None:
    """Superusers only: set the groups and permissions that are not a role's. Logged."""
    if not (actor.is_active and actor.is_superuser):
        raise RoleChangeRefused("raw_permissions")
    role_groups = set(roles.GROUP_NAMES.values())
    current_groups = {g for g in user.groups.all() if g.name not in role_groups}
    wanted_groups = {g for g in groups if g.name not in role_groups}
    user.groups.remove(*(current_groups - wanted_groups))
    user.groups.add(*(wanted_groups - current_groups))
    current_perms = set(user.user_permissions.all())
    wanted_perms = set(permissions)
    user.user_permissions.remove(*(current_perms - wanted_perms))
    user.user_permissions.add(*(wanted_perms - current_perms))
    labels = {
        **{g: f"group:{g.name}" for g in current_groups | wanted_groups},
        **{
            p: f"permission:{p.content_type.app_label}.{p.codename}"
            for p in current_perms | wanted_perms
        },
    }
    granted = (wanted_groups - current_groups) | (wanted_perms - current_perms)
    revoked = (current_groups - wanted_groups) | (current_perms - wanted_perms)
    for action, items in ((RoleChange.Action.GRANT, granted), (RoleChange.Action.REVOKE, revoked)):
        for what in sorted(labels[item] for item in items):
            _log(actor=actor, user=user, action=action, what=what, source=source)


def record_initial_superuser(*, user: User) -> None:
    """`createsuperuser` made `user`: give it its role's groups and log the grants."""
    _sync_role_groups(user, user.roles)
    for what in sorted(user.roles - {User.Role.PARENT}):
        _log(
            actor=None,
            user=user,
            action=RoleChange.Action.GRANT,
            what=what,
            source=RoleChange.Source.COMMAND,
        )
    _log(
        actor=None,
        user=user,
        action=RoleChange.Action.GRANT,
        what=SUPERUSER,
        source=RoleChange.Source.COMMAND,
    )


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
    if not (actor.has_capability(roles.Capability.ADMIN) or actor.is_superuser):
        raise HandoverRefused("only a manager hands over work")
    if from_user.pk == to_user.pk:
        raise HandoverRefused("hand over to someone else")
    # Questions go to someone who may read them, an agenda to someone who plans: an assistant
    # takes over an assistant's agenda, not a nurse's questions.
    needed = from_user.capabilities & {roles.Capability.CLINICAL, roles.Capability.PLANNING}
    if not (to_user.is_professional and needed <= to_user.capabilities):
        raise HandoverRefused("the colleague must be an active professional with the same work")
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


def set_preferred_language(*, user: User, language: str) -> bool:
    """Store the language a person chose in the switch; False when it is not offered to them."""
    from core.languages import languages_for

    if language not in languages_for(user):
        return False
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return True


# --- Logins through OpenID Connect (DigiD, the organisation's identity provider) --------------

# Which of several professional roles from the provider becomes the primary one.
_IDP_ROLE_ORDER = (User.Role.DOCTOR, User.Role.NURSE, User.Role.ASSISTANT)


@transaction.atomic
def sign_in_staff_from_idp(*, provider: str, uid: str, claims: dict):
    """A staff member logs in with the organisation's account: find the linked account (or
    link the staff account with that e-mail address, or make one), give it the roles the
    provider's claim maps to and take away those it no longer does, under the grant rules
    (`roles.SOURCE_GRANTABLE_ROLES`: professional roles only; roles the provider may not give,
    such as manager, stay as they are). The account has no usable portal password.

    Raises oidc.Refusal before anything is kept: no mapped role, a role the provider may not
    give, an inactive account, or an address that belongs to a parent's account.
    Returns (user, social account)."""
    from allauth.socialaccount.models import SocialAccount

    from accounts.oidc import roles_from_claims

    mapped, unknown = roles_from_claims(claims)
    if not mapped:
        raise Refusal("unknown_role" if unknown else "no_role", detail=",".join(unknown)[:150])
    account = (
        SocialAccount.objects.select_related("user").filter(provider=provider, uid=uid).first()
    )
    if account is not None:
        user = account.user
    else:
        email = str(claims.get("email") or "").strip().lower()
        if not email:
            raise Refusal("no_email")
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and not user.is_jgz_staff:
            raise Refusal("email_is_parent")
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150],
            )
        account = SocialAccount.objects.create(user=user, provider=provider, uid=uid)
    if not user.is_active:
        raise Refusal("inactive")
    idp_roles = roles.SOURCE_GRANTABLE_ROLES[RoleChange.Source.IDENTITY_PROVIDER]
    kept = user.roles - idp_roles - {User.Role.PARENT}
    given = [role for role in _IDP_ROLE_ORDER if role in mapped] + [
        role for role in mapped if role not in _IDP_ROLE_ORDER
    ]
    if kept:
        primary = user.role if user.role in kept else sorted(kept)[0]
    else:
        primary = given[0]
    extras = (kept | set(given)) - {primary}
    if frozenset({primary, *extras}) != user.roles or primary != user.role:
        try:
            change_roles(
                actor=None,
                user=user,
                role=primary,
                extra_roles=sorted(extras),
                source=RoleChange.Source.IDENTITY_PROVIDER,
            )
        except RoleChangeRefused as exc:
            raise Refusal("role_refused", detail=str(exc)) from exc
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _mark_email_verified(user)
    return user, account


@transaction.atomic
def link_digid(*, user: User, provider: str, uid: str):
    """Link a parent's existing account (whose password was just confirmed) to a DigiD
    pseudonym. One DigiD per account and one account per DigiD. Raises oidc.Refusal."""
    from allauth.socialaccount.models import SocialAccount

    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_parent:
        raise Refusal("digid_not_parent")
    if SocialAccount.objects.filter(user=locked, provider=provider).exists():
        raise Refusal("already_linked")
    if SocialAccount.objects.filter(provider=provider, uid=uid).exists():
        raise Refusal("already_linked")
    return SocialAccount.objects.create(user=locked, provider=provider, uid=uid)


@transaction.atomic
def create_parent_with_digid(
    *, email: str, provider: str, uid: str, activation_code: str = "", request=None
) -> User:
    """A parent's first DigiD login without an account: a new parent account (no password;
    DigiD is the way in) with its own family, or, with the activation code from the JGZ's
    letter, linked to the family the JGZ already registered. All or nothing: a wrong code
    leaves no account behind. The address is confirmed by e-mail (for the portal's mails)."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from bereik.services import activate_with_code
    from families.services import create_family_for_parent

    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Refusal("email_taken")
    if SocialAccount.objects.filter(provider=provider, uid=uid).exists():
        raise Refusal("already_linked")
    user = User.objects.create_user(email=email, password=None)
    if activation_code:
        activate_with_code(parent=user, code=activation_code)
    else:
        create_family_for_parent(parent=user)
    SocialAccount.objects.create(user=user, provider=provider, uid=uid)
    address = EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    if request is not None:
        transaction.on_commit(lambda: address.send_confirmation(request, signup=True))
    return user


DIGID_LINK_CODE_MINUTES = 15


def send_digid_link_code(*, email: str) -> tuple[int, str] | None:
    """The e-mail route to link a first DigiD login: mail a six-digit code to the parent's
    account with this address. Returns (user id, the code's hash) for the session, or None when
    no active parent account has the address (the page says the same either way)."""
    import secrets

    from django.utils.crypto import salted_hmac

    from outbox.services import queue_email

    user = User.objects.filter(
        email__iexact=email.strip(), role=User.Role.PARENT, is_active=True
    ).first()
    if user is None:
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    queue_email(
        to=user.email,
        template="accounts/digid_link_code",
        context={"code": code, "minutes": DIGID_LINK_CODE_MINUTES},
        kind="digid_link_code",
        secret=True,
    )
    return user.pk, salted_hmac("accounts.digid-link-code", code).hexdigest()


def digid_link_code_matches(*, code: str, digest: str) -> bool:
    from django.utils.crypto import constant_time_compare, salted_hmac

    typed = "".join(ch for ch in code if ch.isdigit())
    return constant_time_compare(salted_hmac("accounts.digid-link-code", typed).hexdigest(), digest)
