"""Raw SMTP for newsletter chunks: one connection per chunk, and a commit point per message.

Each message is marked sent in the database together with the final "." of its DATA (see
services._SentMarker): a worker that dies before leaves a half message, which the server
discards, and a row that is sent again later; after, both are done. So a crash neither
duplicates nor loses a message, short of landing in the microseconds between two writes.
"""

import logging
import smtplib
import socket
import time
from email.charset import BASE64, Charset
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr

from django.conf import settings

from nieuwsbrieven.rendering import Message

logger = logging.getLogger(__name__)

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
    # The final "." is a small write right after the body: without TCP_NODELAY, Nagle's
    # algorithm waits for the server's delayed ACK (~40 ms a message).
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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


def send_committing(conn: smtplib.SMTP, *, sender: str, to: str, data: bytes, begin_commit) -> bool:
    """Send one message, marking it sent in the database together with the final ".".

    `begin_commit()` starts the UPDATE and returns a function that waits for it, or False when
    the row was taken over by another run (the half message is then dropped with the
    connection, which the server discards).

    Raises MessageRejected for a refusal of this message; OSError/SMTPException otherwise.
    """
    if conn.has_extn("pipelining"):
        # RFC 2920: MAIL, RCPT and DATA in one write, then the three replies.
        conn.send(f"MAIL FROM:<{sender}>\r\nRCPT TO:<{to}>\r\nDATA\r\n".encode())
        replies = [conn.getreply() for _ in range(3)]
    else:
        replies = [conn.mail(sender), conn.rcpt(to)]
        replies.append(conn.docmd("DATA") if replies[1][0] in (250, 251) else (503, b""))
    (mail_code, mail_reply), (rcpt_code, rcpt_reply), (data_code, data_reply) = replies
    if data_code == 354 and (mail_code != 250 or rcpt_code not in (250, 251)):
        conn.send(b".\r\n")  # end the empty message the server opened anyway
        conn.getreply()
    if mail_code != 250:
        # The sender is refused: the session is at fault, not this recipient.
        raise smtplib.SMTPSenderRefused(mail_code, mail_reply, sender)
    if rcpt_code not in (250, 251):
        conn.rset()
        raise MessageRejected(rcpt_code, rcpt_reply)
    if data_code != 354:
        raise smtplib.SMTPDataError(data_code, data_reply)
    # Base64 bodies and our headers never start a line with ".", so no dot-stuffing needed.
    conn.send(data)
    finish = begin_commit()
    if finish is False:
        conn.close()
        raise ConnectionAbortedError("delivery claimed by another run")
    try:
        conn.send(b".\r\n")
    except OSError as exc:
        finish()
        raise EndNotSent(str(exc)) from exc
    if not finish():
        # Only after the claim timeout can another run take a row over: it has sent it too.
        logger.warning("Newsletter to %s was taken over by another run while sending", to)
    code, reply = conn.getreply()
    if code != 250:
        raise MessageRejected(code, reply)
    return True
