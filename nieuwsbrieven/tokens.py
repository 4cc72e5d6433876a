"""Signed links in newsletter e-mails. A link names the subscription and its current key, so
re-subscribing (new key) retires every older link; tampering breaks the signature."""

from django.conf import settings
from django.core import signing

from nieuwsbrieven.exceptions import InvalidLink
from nieuwsbrieven.models import Subscription

CONFIRM = "nieuwsbrieven.confirm"
MANAGE = "nieuwsbrieven.manage"  # preferences and unsubscribe: must keep working for years


def make_token(subscription: Subscription, purpose: str) -> str:
    return signing.dumps([str(subscription.pk), subscription.key], salt=purpose, compress=False)


def make_token_for(subscription_id, key: str, purpose: str) -> str:
    return signing.dumps([str(subscription_id), key], salt=purpose, compress=False)


def read_token(token: str, purpose: str) -> tuple[str, str]:
    """(subscription id, key) from a token, or InvalidLink. Confirm links expire."""
    max_age = settings.NIEUWSBRIEVEN_CONFIRM_DAYS * 86400 if purpose == CONFIRM else None
    try:
        subscription_id, key = signing.loads(token, salt=purpose, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidLink from exc
    return subscription_id, key
