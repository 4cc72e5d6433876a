"""Dutch postcodes: 4 digits (not starting with 0) and 2 letters, stored as "1234 AB"."""

import re

_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")
# The stored form; the database checks the same pattern (families_family_postcode_format).
STORED_PATTERN = r"^[1-9][0-9]{3} [A-Z]{2}$"


def normalise_postcode(raw: str) -> str:
    """'1234ab', ' 1234 AB ' -> '1234 AB'; '' -> ''. ValueError for anything else."""
    text = " ".join((raw or "").upper().split())
    if not text:
        return ""
    found = _POSTCODE.fullmatch(text)
    if found is None:
        raise ValueError(raw)
    return f"{found.group(1)} {found.group(2)}"


def postcode_digits(postcode: str) -> str:
    return postcode[:4]
