from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Infrastructure every app shares: rate limits, client address, request middleware."""

    name = "core"
