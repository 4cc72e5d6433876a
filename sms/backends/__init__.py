"""SMS backends, like Django's e-mail backends: `SMS_BACKEND` names the class.

- `sms.backends.console.SmsBackend`: prints each message (`make run`).
- `sms.backends.filebased.SmsBackend`: one file per message in `SMS_FILE_PATH`.
- `sms.backends.locmem.SmsBackend`: keeps messages in `sms.backends.locmem.sent` (tests).
- `sms.backends.spryng.SmsBackend`: the Spryng REST API (production).
"""

from django.conf import settings
from django.utils.module_loading import import_string

from sms.backends.base import BaseSmsBackend, SmsMessage

__all__ = ["BaseSmsBackend", "SmsMessage", "get_backend"]


def get_backend(path: str | None = None) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)()
