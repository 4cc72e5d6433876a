from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and access log")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from privacy.admin_logging import log_admin_access
        from privacy.signals import connect_security_events

        # Each app's privacy_data module registers its export, erasure, retention and admin
        # family data (privacy/registry.py); after the admin's autodiscovery, so the admin
        # pages they declare are wrapped with logging.
        autodiscover_modules("privacy_data")
        log_admin_access()
        connect_security_events()
