from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VragenConfig(AppConfig):
    name = "vragen"
    verbose_name = _("Questions")
