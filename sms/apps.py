from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("Text messages (SMS)")

    def ready(self):
        from sms import privacy_data  # noqa: F401 - registers the export and retention rule
