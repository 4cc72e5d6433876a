"""The portal's shared vocabulary, one home for words several apps use.

`Topic` (slapen, voeding, ...) is chosen by parents for questions (vragen) and for what they
want to discuss at an appointment (afspraken); managers keep the list in the admin. Apps point
at it here, so afspraken never imports vragen to reach it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """What a question or a visit is about (slapen, voeding, ...). Managed in the admin."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
