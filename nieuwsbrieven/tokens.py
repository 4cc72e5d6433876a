"""Signed links in newsletter e-mails. A link names the subscription and its current key, so
re-subscribing (new key) retires every older link; tampering breaks the signature."""

import hashlib
import hmac
import json
import time
from functools import lru_cache

from django.conf import settings
from django.core import signing

from nieuwsbrieven.exceptions import InvalidLink
from nieuwsbrieven.models import Subscription

CONFIRM = "nieuwsbrieven.confirm"
MANAGE = "nieuwsbrieven.manage"  # preferences and unsubscribe: must keep working for years


def make_token(subscription: Subscription, purpose: str) -> str:
    return signing.dumps([str(subscription.pk), subscription.key], salt=purpose, compress=False)


def make_token_for(subscription_id, key: str, purpose: str) -> str:
    """The token `signing.dumps([id, key], salt=purpose)` makes, byte for byte, for a newsletter
    sent to a million parents: Django derives the HMAC key from salt and secret on every call,
    here once per process (about half the cost of a token)."""
    payload = json.dumps([str(subscription_id), key], separators=(",", ":")).encode("latin-1")
    value = f"{signing.b64_encode(payload).decode()}:{signing.b62_encode(int(time.time()))}"
    mac = _signer_hmac(purpose, settings.SECRET_KEY).copy()
    mac.update(value.encode())
    return f"{value}:{signing.b64_encode(mac.digest()).decode()}"


@lru_cache(maxsize=8)
def _signer_hmac(salt: str, secret: str):
    # django.core.signing.Signer(salt=salt).signature(): salted_hmac(salt + "signer", value,
    # secret, algorithm="sha256"), whose key is sha256(salt + "signer" + secret).
    return hmac.new(hashlib.sha256(f"{salt}signer{secret}".encode()).digest(), None, "sha256")


def read_token(token: str, purpose: str) -> tuple[str, str]:
    """(subscription id, key) from a token, or InvalidLink. Confirm links expire."""
    max_age = settings.NIEUWSBRIEVEN_CONFIRM_DAYS * 86400 if purpose == CONFIRM else None
    try:
        subscription_id, key = signing.loads(token, salt=purpose, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidLink from exc
    return subscription_id, key
