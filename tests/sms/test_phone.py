"""Phone numbers as parents and staff type them, stored as E.164."""

import pytest
from django.core.exceptions import ValidationError

from sms.services import can_receive_sms, normalise_phone


@pytest.mark.parametrize(
    "typed",
    ["06-12345678", "06 1234 5678", "0612345678", "+31 6 12345678", "0031612345678"],
)
def test_dutch_mobile_numbers_as_typed_become_e164(typed):
    assert normalise_phone(typed) == "+31612345678"


def test_landline_is_valid_but_cannot_receive_sms():
    number = normalise_phone("030 630 54 00")
    assert number == "+31306305400"
    assert not can_receive_sms(number)
    assert can_receive_sms(normalise_phone("06 12345678"))


def test_foreign_mobile_keeps_its_country_code():
    assert normalise_phone("+32 470 12 34 56") == "+32470123456"


@pytest.mark.parametrize("typed", ["", "   ", "06-123", "hallo", "+31 6 1234567890123"])
def test_unusable_number_is_refused_in_dutch(typed):
    with pytest.raises(ValidationError) as info:
        normalise_phone(typed)
    assert any(word in info.value.messages[0] for word in ("telefoonnummer", "Vul"))
