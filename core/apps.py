from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Infrastructure every app shares: rate limits, client address, request middleware."""

    name = "core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.languages import keep_latest_choice

        user_logged_in.connect(keep_latest_choice, dispatch_uid="core_keep_latest_language")
