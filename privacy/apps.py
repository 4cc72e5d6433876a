from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and access log")

    def ready(self):
        from privacy import contributors  # noqa: F401 - registers exporters and erasers
        from privacy.admin_logging import log_admin_access

        log_admin_access()
