from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CijfersConfig(AppConfig):
    name = "cijfers"
    verbose_name = _("Figures")
    default_auto_field = "django.db.models.BigAutoField"
