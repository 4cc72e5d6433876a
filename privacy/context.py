"""The client address of the current request, for the access log (set by the middleware)."""

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


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
