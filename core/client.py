"""The client address of a request, as allauth's rate limits and the access log see it."""

from contextvars import ContextVar

from django.core.exceptions import ImproperlyConfigured

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request) -> str | None:
    """The client's address, as allauth's rate limits see it.

    Behind the TLS proxy (ALLAUTH_TRUSTED_PROXY_COUNT) that is the X-Forwarded-For entry our
    proxy added; entries before it are typed by the client and never trusted.
    """
    from allauth.core.internal.httpkit import get_client_ip

    try:
        return get_client_ip(request)
    except ImproperlyConfigured:  # fewer X-Forwarded-For entries than proxies: not via proxy
        return request.META.get("REMOTE_ADDR")
