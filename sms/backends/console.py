import sys
import threading

from sms.backends.base import BaseSmsBackend, SmsMessage


class SmsBackend(BaseSmsBackend):
    """Writes each SMS to stdout, for `make run`."""

    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> str:
        with self._lock:
            self.stream.write(
                f"SMS from {message.sender} to {message.to} (ref {message.reference}):\n"
                f"{message.body}\n{'-' * 60}\n"
            )
            self.stream.flush()
        return f"console-{message.reference}"
