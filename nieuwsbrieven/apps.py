from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NieuwsbrievenConfig(AppConfig):
    name = "nieuwsbrieven"
    verbose_name = _("Newsletters")
