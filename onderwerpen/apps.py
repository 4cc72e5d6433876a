from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnderwerpenConfig(AppConfig):
    """The portal's shared vocabulary: topics used by questions, appointments and the schedule."""

    name = "onderwerpen"
    verbose_name = _("Topics")
