from dataclasses import dataclass


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164
    body: str
    sender: str
    reference: str  # ours, unique per message; the provider keeps it with the message


class BaseSmsBackend:
    """Hands one message to a provider.

    `send` returns the provider's id for the message, or raises one of `sms.exceptions`.
    `find` answers whether the provider already holds a message with this reference (its id),
    so a retry after an unanswered request never sends the message twice.
    """

    def send(self, message: SmsMessage) -> str:
        raise NotImplementedError

    def find(self, reference: str) -> str | None:
        return None
