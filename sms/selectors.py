from dataclasses import dataclass

from sms.models import SmsOptOut
from sms.phone import can_receive_sms


@dataclass(frozen=True)
class Channels:
    email: bool
    sms_to: str  # E.164, or "" for no SMS


def get_channels(*, family, has_email: bool) -> Channels:
    """How to reach a family with an invitation or reminder.

    SMS when the family chose it (or both), or has no e-mail address at all, and has a mobile
    number that did not send STOP. E-mail when chosen, or when SMS is not possible.
    """
    phone = getattr(family, "phone", "") or ""
    if phone and (not can_receive_sms(phone) or SmsOptOut.objects.filter(phone=phone).exists()):
        phone = ""
    choice = getattr(family, "message_channel", "email")
    by_sms = bool(phone) and (choice in ("sms", "both") or not has_email)
    by_email = has_email and (choice in ("email", "both") or not by_sms)
    return Channels(email=by_email, sms_to=phone if by_sms else "")
