"""Phone numbers: what parents and staff type, stored as E.164 (+31612345678)."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A plus, a country code that does not start with 0, at most 15 digits in all.
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
SMS_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalise_phone(raw: str) -> str:
    """A phone number as typed (06-12345678, +31 6 1234 5678, 0031…) in E.164 (+31612345678).

    Numbers without a country code are read as Dutch. Raises ValidationError with a Dutch
    message when it is not a valid number.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    try:
        number = phonenumbers.parse(text, settings.SMS_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a phone number we can use. Write it like 06 12345678."),
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def can_receive_sms(e164: str) -> bool:
    """True for mobile numbers (a Dutch 06 number, a foreign mobile)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in SMS_TYPES
