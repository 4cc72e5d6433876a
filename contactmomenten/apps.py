from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactmomentenConfig(AppConfig):
    name = "contactmomenten"
    verbose_name = _("Contact schedule")

    def ready(self):
        from afspraken.hooks import register_moment_link
        from contactmomenten.services import MomentLink

        register_moment_link(MomentLink())
