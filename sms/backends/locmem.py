from sms.backends.base import BaseSmsBackend, SmsMessage

# Every message "sent" in this process, oldest first; tests clear it (like mail.outbox).
sent: list[SmsMessage] = []


class SmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> str:
        sent.append(message)
        return f"locmem-{message.reference}"

    def find(self, reference: str) -> str | None:
        return next((f"locmem-{m.reference}" for m in sent if m.reference == reference), None)
