"""Roles: what each lets a person do, and who may give it. Data, not code paths.

A user has one primary role (`User.role`) and optional extra roles (`RoleMembership`), e.g. a
manager who also triages as a nurse. Each role is a group with model permissions (kept in sync
by `sync_groups`), a set of capabilities on the staff pages, and an entry in the grant table.
Every change goes through `accounts.services.change_roles`, which applies the grant table.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from accounts.models import User

Role = User.Role


class Capability(StrEnum):
    """What a role opens on the staff pages. Views check these, never role names."""

    # Questions with their texts, internal notes and the family context; triage and answers.
    CLINICAL = "clinical"
    # The agenda, booking on a family's behalf, appointment outcomes and follow-ups. Question
    # texts and notes stay closed: a topic and status are enough to plan.
    PLANNING = "planning"
    # The Django admin: locations, schedules, content, professionals' accounts, figures.
    ADMIN = "admin"
    # Clinical content kept in the admin: the alarm rules (the jeugdarts).
    CLINICAL_CONTENT = "clinical_content"
    # The access log and the role-change log.
    AUDIT = "audit"
    # Information for parents kept in the admin: articles, newsletter editions, standard
    # answers, their translations and readability (the content editor). No family data.
    CONTENT = "content"
    # A partner's own parent group meetings: how many booked, and the first names of parents
    # who agreed to share them. Nothing else.
    COHOST = "cohost"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PARENT: frozenset(),
    Role.NURSE: frozenset({Capability.CLINICAL, Capability.PLANNING}),
    Role.DOCTOR: frozenset({Capability.CLINICAL, Capability.PLANNING, Capability.CLINICAL_CONTENT}),
    Role.ASSISTANT: frozenset({Capability.PLANNING}),
    Role.MANAGER: frozenset({Capability.ADMIN}),
    Role.PRIVACY_OFFICER: frozenset({Capability.AUDIT}),
    Role.EDITOR: frozenset({Capability.CONTENT}),
    Role.COHOST: frozenset({Capability.COHOST}),
}

# Capabilities that need Django's admin (`is_staff`).
ADMIN_SITE_CAPABILITIES = frozenset(
    {Capability.ADMIN, Capability.AUDIT, Capability.CLINICAL_CONTENT, Capability.CONTENT}
)

# Who may give (and take away) which role. A superuser may give every role, the superuser
# flag, raw groups and raw permissions; nobody else may. A role that is missing on the right
# can only be given by a superuser: new roles start there until a line here says otherwise.
# The content editor reads no family data, so a manager may give it; managers also give the
# wijkteam co-host role to a partner's account.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.MANAGER: frozenset(
        {Role.PARENT, Role.NURSE, Role.DOCTOR, Role.ASSISTANT, Role.EDITOR, Role.COHOST}
    ),
}

# Paths without a person behind them. An identity provider's claim may make someone a
# professional, never a manager or privacy officer; the command line is the server's owner.
SOURCE_GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    "identity_provider": frozenset({Role.NURSE, Role.DOCTOR, Role.ASSISTANT}),
    "command": frozenset(Role.values),
}


def capabilities_of(roles) -> frozenset[Capability]:
    found: set[Capability] = set()
    for role in roles:
        found |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(found)


def grantable_roles(*, actor: User | None, source: str) -> frozenset[str]:
    """The roles `actor` (or, without an actor, `source`) may give and take away."""
    if actor is None:
        return SOURCE_GRANTABLE_ROLES.get(source, frozenset())
    if not actor.is_active:
        return frozenset()
    if actor.is_superuser:
        return frozenset(Role.values)
    found: set[str] = set()
    for role in actor.roles:
        found |= GRANTABLE_ROLES.get(role, frozenset())
    return frozenset(found)


def may_manage(*, actor: User, user: User) -> bool:
    """May `actor` change `user`'s account in the admin (name, e-mail, password, roles)?

    Only when every role `user` holds is one `actor` may give: a manager manages professionals
    and parents, not another manager, a privacy officer, a superuser or their own account
    (changing the password of someone with more rights would be a way to get those rights).
    """
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    return bool(user.roles) and user.roles <= grantable_roles(actor=actor, source="admin")


GROUP_NAMES = {
    Role.PARENT: "Ouders",
    Role.NURSE: "Jeugdverpleegkundigen",
    Role.DOCTOR: "Jeugdartsen",
    Role.ASSISTANT: "Doktersassistenten",
    Role.MANAGER: "Managers",
    Role.PRIVACY_OFFICER: "Privacy officers",
    Role.EDITOR: "Redacteuren",
    Role.COHOST: "Medeorganisatoren ouderbijeenkomsten",
}
PRIVACY_OFFICER_GROUP = GROUP_NAMES[Role.PRIVACY_OFFICER]
# Reading the access log is the privacy officer's task, kept apart from managing the portal
# (NEN 7513): managers get every permission except these.
PRIVACY_OFFICER_PERMISSIONS = [
    "privacy.search_accesslog",
    "privacy.view_accesslog",
    "privacy.view_retentionreport",
    "privacy.view_accountdeletion",
    "accounts.view_rolechange",
    "teams.view_outofteamaccess",
]
# Alarm rules are clinical content: only the jeugdarts changes them; managers read them.
ALARM_RULE_EDIT_PERMISSIONS = [
    "vragen.add_alarmrule",
    "vragen.change_alarmrule",
    "vragen.delete_alarmrule",
]
ALARM_RULE_READ_PERMISSIONS = ["vragen.view_alarmrule", "vragen.view_alarmrulechange"]
MANAGER_EXCLUDED_PERMISSIONS = [
    "privacy.search_accesslog",
    "teams.view_outofteamaccess",
    *ALARM_RULE_EDIT_PERMISSIONS,
]

# The content editor: the articles with their votes and checked translations, newsletter
# editions, standard answers and the theme names. No family data.
CONTENT_EDIT_PERMISSIONS = [
    *(
        f"kennisbank.{action}_{model}"
        for model in ("article", "translationreview")
        for action in ("add", "change", "delete", "view")
    ),
    "kennisbank.view_vote",
    "nieuwsbrieven.view_edition",
    "nieuwsbrieven.change_edition",
    "vragen.view_standardanswer",
    "vragen.change_standardanswer",
    "vragen.add_standardanswer",
    "onderwerpen.view_topic",
    "onderwerpen.change_topic",
]

_STAFF_READ = [
    "families.view_family",
    "families.view_child",
]
# Professionals work through the staff pages; what they may see there is checked by the
# selectors (capability + MFA). These model permissions say the same for the admin and audits.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PARENT: [],
    Role.NURSE: _STAFF_READ,
    Role.DOCTOR: [*_STAFF_READ, *ALARM_RULE_EDIT_PERMISSIONS, *ALARM_RULE_READ_PERMISSIONS],
    Role.ASSISTANT: _STAFF_READ,
    # Managers run the portal in the admin: every permission of the portal's own apps (the
    # user admin still limits which accounts and roles they may change, see `may_manage`).
    Role.MANAGER: ["*"],
    Role.PRIVACY_OFFICER: PRIVACY_OFFICER_PERMISSIONS,
    Role.EDITOR: CONTENT_EDIT_PERMISSIONS,
    # Reads through the co-host page only (`afspraken.selectors.list_meetings_for_cohost`).
    Role.COHOST: [],
}
MANAGED_APPS = (
    "accounts",
    "onderwerpen",
    "families",
    "outbox",
    "privacy",
    "vragen",
    "afspraken",
    "nieuwsbrieven",
    "contactmomenten",
    "teams",
    "bereik",
    "cijfers",
    "kennisbank",
    "django_celery_beat",
)

ROLE_HELP = _("Professionals and managers must set up two-step verification before they start.")
