from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WachtlijstConfig(AppConfig):
    name = "wachtlijst"
    verbose_name = _("Waiting list")

    def ready(self):
        from afspraken.hooks import register_place_listener
        from wachtlijst.services import places_freed

        register_place_listener(places_freed)
        from wachtlijst import privacy_data  # noqa: F401 - registers export, erasure, retention
