"""A small rate limit for sensitive parent forms (questions, bookings, exports).

allauth limits login, sign-up and password resets itself (ACCOUNT_RATE_LIMITS); this covers the
portal's own POST views. Fixed window per user (or per address when anonymous) in the cache.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.client import client_ip


def _limit(action: str) -> tuple[int, int]:
    count, seconds = settings.PORTAL_RATE_LIMITS[action].split("/")
    return int(count), int(seconds)


def _key(request, action: str, seconds: int, ident: str | None = None) -> str:
    if ident is None:
        ident = f"u{request.user.pk}" if request.user.is_authenticated else client_ip(request)
    return f"portal-rl:{action}:{ident}:{int(time.time()) // seconds}"


def within_limit(request, action: str) -> bool:
    """True while `action` was counted fewer times than its limit in this window. Counts
    nothing: for views that count only what they stored (call `hit` after storing)."""
    count, seconds = _limit(action)
    return (cache.get(_key(request, action, seconds)) or 0) < count


def wait_minutes(action: str) -> int:
    return max(1, _limit(action)[1] // 60)


def hit(request, action: str, *, ident: str | None = None) -> bool:
    """Count one attempt; True while the caller is within the limit for `action`.

    Counted per user (per client address when anonymous), or per `ident` when given.
    """
    count, seconds = _limit(action)
    key = _key(request, action, seconds, ident)
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        used = 1
    return used <= count


TOO_MANY_MAILS = _(
    "We have already sent several e-mails to this address. Try again tomorrow, or call us."
)


def allow_mail_to(request, address: str) -> bool:
    """For forms that send mail to an address someone types (invitations, newsletter sign-up):
    count per recipient, whoever asks, and per client address, whichever account asks, so
    neither many accounts nor many addresses can turn the portal against someone's mailbox."""
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
    return hit(request, "mail_to_address", ident=f"to:{digest}") and hit(
        request, "mail_from_ip", ident=f"ip:{client_ip(request)}"
    )


def too_many_requests(request, action: str):
    return render(request, "core/429.html", {"minutes": wait_minutes(action)}, status=429)


def rate_limit(action: str):
    """Decorator for views: POSTs over the limit get a Dutch explanation with status 429."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not hit(request, action):
                return too_many_requests(request, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
