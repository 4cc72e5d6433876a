"""Raw SMTP for newsletter chunks: one connection per chunk, and a commit point per message.

Each message is marked sent in the database *before* the final "." of its DATA: if the worker
dies before that commit the server discards the half message and the row is sent again later;
once committed, the "." follows at once. So a crash causes no duplicates, at most a window of
one database round trip in which a message could be lost.
"""

import smtplib
import time
from email.charset import BASE64, Charset
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr

from django.conf import settings

from nieuwsbrieven.rendering import Message

_UTF8 = Charset("utf-8")
_UTF8.body_encoding = BASE64
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class EndNotSent(OSError):
    """The row was marked sent but the final "." never left: the server dropped the message."""


class MessageRejected(Exception):
    """The server refused this one message (the connection itself is fine)."""

    def __init__(self, code: int, reply: bytes):
        super().__init__(f"{code} {reply.decode(errors='replace')}")
        self.permanent = code >= 500


def uses_raw_smtp() -> bool:
    return settings.EMAIL_BACKEND == SMTP_BACKEND


def open_connection() -> smtplib.SMTP:
    conn = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT)
    conn.ehlo_or_helo_if_needed()
    if settings.EMAIL_USE_TLS:
        conn.starttls()
        conn.ehlo()
    if settings.EMAIL_HOST_USER:
        conn.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    return conn


def _encode_header(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode()


def _b64_lines(text: str) -> str:
    return _UTF8.body_encode(text).replace("\n", "\r\n").rstrip("\r\n")


def build_bytes(message: Message, *, to: str, message_id: str, from_email: str) -> bytes:
    """A multipart/alternative message (text + HTML) as bytes, CRLF line ends."""
    boundary = f"=_nb_{message_id.strip('<>').split('@')[0]}"
    name, address = parseaddr(from_email)
    headers = [
        f"From: {formataddr((name, address))}" if name.isascii() else f"From: {address}",
        f"To: {to}",
        f"Subject: {_encode_header(message.subject)}",
        f"Date: {formatdate(time.time(), localtime=True)}",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        *(f"{key}: {value}" for key, value in message.headers.items()),
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
    ]
    parts = [
        "\r\n".join(headers),
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64_lines(message.text),
        f"--{boundary}",
        'Content-Type: text/html; charset="utf-8"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64_lines(message.html),
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(parts).encode("ascii")


def send_committing(conn: smtplib.SMTP, *, sender: str, to: str, data: bytes, commit) -> bool:
    """Send one message; `commit()` runs just before the final "." and returns False when the
    row was taken over by another run (then the half message is dropped with the connection).

    Raises MessageRejected for a refusal of this message; OSError/SMTPException otherwise.
    """
    code, reply = conn.mail(sender)
    if code != 250:
        # The sender is refused: the session is at fault, not this recipient.
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = conn.rcpt(to)
    if code not in (250, 251):
        conn.rset()
        raise MessageRejected(code, reply)
    code, reply = conn.docmd("DATA")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    # Base64 bodies and our headers never start a line with ".", so no dot-stuffing needed.
    conn.send(data)
    if not commit():
        conn.close()
        raise ConnectionAbortedError("delivery claimed by another run")
    try:
        conn.send(b".\r\n")
    except OSError as exc:
        raise EndNotSent(str(exc)) from exc
    code, reply = conn.getreply()
    if code != 250:
        raise MessageRejected(code, reply)
    return True
