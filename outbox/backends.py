"""TLS for SMTP, the same for every e-mail the portal sends (outbox and newsletters).

The server's certificate and host name are verified against the system's CAs, or against
EMAIL_SSL_CAFILE for a relay with a certificate from a private CA; a client certificate is
presented when EMAIL_SSL_CERTFILE is set. Django's own backend builds a context without any
CA when a client certificate is set, which would refuse every server; this one does not.
"""

import ssl

from django.conf import settings
from django.core.mail.backends import smtp
from django.utils.functional import cached_property


def smtp_ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.EMAIL_SSL_CAFILE or None)
    if settings.EMAIL_SSL_CERTFILE:
        context.load_cert_chain(settings.EMAIL_SSL_CERTFILE, settings.EMAIL_SSL_KEYFILE or None)
    return context


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend (STARTTLS or SMTP over TLS on port 465) with the context above."""

    @cached_property
    def ssl_context(self):
        return smtp_ssl_context()
