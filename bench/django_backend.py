"""Django's SMTP backend under another name, so the bench can send newsletter chunks through it
(nieuwsbrieven.smtp.uses_raw_smtp() only recognises the production names)."""

from django.core.mail.backends.smtp import EmailBackend as DjangoEmailBackend


class EmailBackend(DjangoEmailBackend):
    pass
