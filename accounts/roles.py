"""Roles as groups with permissions. The group of each role is kept in sync by `sync_groups`."""

from django.utils.translation import gettext_lazy as _

from accounts.models import User

GROUP_NAMES = {
    User.Role.PARENT: "Ouders",
    User.Role.NURSE: "Jeugdverpleegkundigen",
    User.Role.DOCTOR: "Jeugdartsen",
    User.Role.ASSISTANT: "Doktersassistenten",
    User.Role.MANAGER: "Managers",
}
PRIVACY_OFFICER_GROUP = "Privacy officers"
# Reading the access log is the privacy officer's task, kept apart from managing the portal
# (NEN 7513): managers get every permission except this one.
PRIVACY_OFFICER_PERMISSIONS = [
    "privacy.search_accesslog",
    "privacy.view_accesslog",
    "privacy.view_retentionreport",
    "privacy.view_accountdeletion",
]
# Alarm rules are clinical content: only the jeugdarts changes them; managers read them.
ALARM_RULE_EDIT_PERMISSIONS = [
    "vragen.add_alarmrule",
    "vragen.change_alarmrule",
    "vragen.delete_alarmrule",
]
ALARM_RULE_READ_PERMISSIONS = ["vragen.view_alarmrule", "vragen.view_alarmrulechange"]
MANAGER_EXCLUDED_PERMISSIONS = ["privacy.search_accesslog", *ALARM_RULE_EDIT_PERMISSIONS]
# Roles that open the admin (is_staff): managers run the portal, the jeugdarts keeps the alarm
# rules there.
ADMIN_ROLES = (User.Role.MANAGER, User.Role.DOCTOR)

_STAFF_READ = [
    "families.view_family",
    "families.view_child",
]
# Professionals work through the staff pages; what they may see there is checked by the
# selectors (role + MFA). These model permissions say the same for the admin and audits.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    User.Role.PARENT: [],
    User.Role.NURSE: _STAFF_READ,
    User.Role.DOCTOR: [*_STAFF_READ, *ALARM_RULE_EDIT_PERMISSIONS, *ALARM_RULE_READ_PERMISSIONS],
    User.Role.ASSISTANT: _STAFF_READ,
    # Managers run the portal in the admin: every permission of the portal's own apps.
    User.Role.MANAGER: ["*"],
}
MANAGED_APPS = (
    "accounts",
    "families",
    "outbox",
    "privacy",
    "vragen",
    "afspraken",
    "nieuwsbrieven",
    "contactmomenten",
    "django_celery_beat",
)

ROLE_HELP = _("Professionals and managers must set up two-step verification before they start.")
