from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """NEN 7513: one append-only row per staff read or change of a family's data.

    Written only by `privacy.services.record_access`, called from the selectors and services
    that staff views use, so no view can skip it.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CHANGE = "change", _("Changed")
        CREATE = "create", _("Created")
        EXPORT = "export", _("Exported")
        DELETE = "delete", _("Deleted")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254)
    actor_role = models.CharField(_("role"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    record_type = models.CharField(_("record type"), max_length=60)
    record_id = models.CharField(_("record"), max_length=64)
    family_id = models.UUIDField(_("family"), null=True, db_index=True)
    child_id = models.UUIDField(_("child"), null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        permissions = [("search_accesslog", _("Can search and export the access log"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.record_type}"
