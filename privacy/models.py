from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.fields import gin_indexes, id_array


class AccessLog(models.Model):
    """NEN 7513: one append-only row per staff page view or action on a family's data.

    A row names the record type and every record, child and family the page showed or the
    action touched (arrays with GIN indexes, so "who looked at this child" is one index
    lookup), rather than one row per record: an agenda of 40 appointments is one row.
    Written only by `privacy.services.record_access`, called from the selectors and services
    that staff views use, so no view can skip it. The database refuses UPDATE and DELETE.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        SEARCH = "search", _("Searched")
        CHANGE = "change", _("Changed")
        CREATE = "create", _("Created")
        EXPORT = "export", _("Exported")
        DELETE = "delete", _("Deleted")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No foreign key: the log outlives staff accounts and the database never updates a row
    # (e-mail and role keep who it was).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254)
    actor_role = models.CharField(_("role"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    record_type = models.CharField(_("record type"), max_length=60)
    record_ids = id_array(models.CharField(max_length=64), verbose_name=_("records"))
    child_ids = id_array(models.UUIDField(), verbose_name=_("children"))
    family_ids = id_array(models.UUIDField(), verbose_name=_("families"))
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        permissions = [("search_accesslog", _("Can search and export the access log"))]
        indexes = [
            *gin_indexes("privacy_log", ["child_ids", "family_ids"]),
            # The officer's search and the admin's search by who: exact address, newest first.
            models.Index(fields=["actor_email", "-at"], name="privacy_log_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.record_type}"


class SecurityEvent(models.Model):
    """NEN 7510: one row per login, logout, failed login and failed second-factor code.

    Written by signal receivers (privacy/signals.py) through `services.record_security_event`;
    read by privacy officers in the admin; removed after RETENTION_SECURITY_EVENTS_DAYS.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")
        LOGIN_FAILED = "login_failed", _("Login failed")
        MFA_FAILED = "mfa_failed", _("Second step failed")
        IDP_REFUSED = "idp_refused", _("Login through DigiD or organisation account refused")
        IDP_SESSION_ENDED = "idp_session_ended", _("Session ended by the identity provider")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The account's address at the time, or what was typed for a failed login.
    email = models.CharField(_("e-mail address"), max_length=254, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    # Why a login through an identity provider was refused ("state", "no_role", ...).
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["email", "-at"], name="privacy_security_email_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.email}"


class RetentionReport(models.Model):
    """One run of the nightly retention task: what is (or would be) removed, per category.

    Written before anything is deleted, so the privacy officer can see what a run did.
    """

    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    cutoffs = models.JSONField(_("cut-off dates"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention report")
        verbose_name_plural = _("retention reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "applied"
        return f"{self.created_at:%Y-%m-%d %H:%M} {kind}"


class AccountDeletion(models.Model):
    """Proof that an account was deleted (AVG accountability), without any personal data."""

    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)
    family_id = models.UUIDField(_("family"), null=True, blank=True)
    family_removed = models.BooleanField(_("family removed"), default=False)
    counts = models.JSONField(_("what was removed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("account deletion")
        verbose_name_plural = _("account deletions")
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"{self.deleted_at:%Y-%m-%d %H:%M}"


class YouthQuestion(models.Model):
    """Marks a question as asked by the youth themselves (WGBO: from 16 it is theirs alone).

    A separate table, so the questions app needs no field for it; parent-facing question
    selectors hide marked questions of a child past YOUTH_PRIVATE_QUESTIONS_FROM_AGE.
    """

    question = models.OneToOneField(
        "vragen.Question",
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="youth_marker",
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("question asked by the youth")
        verbose_name_plural = _("questions asked by the youth")
        ordering = ["-marked_at"]

    def __str__(self) -> str:
        return str(self.question_id)
