from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BereikConfig(AppConfig):
    name = "bereik"
    verbose_name = _("Reach")

    def ready(self):
        from bereik import contributors  # noqa: F401 (registers with privacy.registry)
