from pathlib import Path

from django.conf import settings

from sms.backends.base import BaseSmsBackend, SmsMessage


class SmsBackend(BaseSmsBackend):
    """One text file per SMS in SMS_FILE_PATH, named by reference (development)."""

    def __init__(self, path: str | None = None):
        self.path = Path(path or settings.SMS_FILE_PATH)
        self.path.mkdir(parents=True, exist_ok=True)

    def _file(self, reference: str) -> Path:
        return self.path / f"{reference}.txt"

    def send(self, message: SmsMessage) -> str:
        self._file(message.reference).write_text(
            f"From: {message.sender}\nTo: {message.to}\nReference: {message.reference}\n\n"
            f"{message.body}\n",
            encoding="utf-8",
        )
        return f"file-{message.reference}"

    def find(self, reference: str) -> str | None:
        return f"file-{reference}" if self._file(reference).exists() else None
