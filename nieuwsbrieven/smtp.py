"""Raw SMTP for newsletter chunks: one connection per chunk, and a commit point per message.

Each message is marked sent in the database together with the final "." of its DATA (see
services._SentMarker): a worker that dies before leaves a half message, which the server
discards, and a row that is sent again later; after, both are done. So a crash neither
duplicates nor loses a message, short of landing in the microseconds between two writes.

TLS: STARTTLS (EMAIL_USE_TLS) or SMTP over TLS (EMAIL_USE_SSL, port 465), with the server's
certificate verified (outbox/backends.py). Headers: display names and subjects as RFC 2047
encoded words, domains as IDNA; an address with a non-ASCII local part goes out as UTF-8
(RFC 6531/6532) when the server offers SMTPUTF8, and is refused on its own otherwise.
"""

import binascii
import logging
import smtplib
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.utils import DNS_NAME

from nieuwsbrieven.rendering import Message
from outbox.backends import smtp_ssl_context

logger = logging.getLogger(__name__)

SMTP_BACKENDS = {"django.core.mail.backends.smtp.EmailBackend", "outbox.backends.SMTPBackend"}


class EndNotSent(OSError):
    """The row was marked sent but the final "." never left: the server dropped the message."""

    def __init__(self, message: str, delivery_id: int | None = None):
        super().__init__(message)
        self.delivery_id = delivery_id


class MessageRejected(Exception):
    """The server refused this one message (the connection itself is fine)."""

    def __init__(self, code: int, reply: bytes):
        super().__init__(f"{code} {reply.decode(errors='replace')}")
        self.permanent = code >= 500


def uses_raw_smtp() -> bool:
    return settings.EMAIL_BACKEND in SMTP_BACKENDS


def open_connection() -> smtplib.SMTP:
    """Connect, secure and log in. A server without STARTTLS, or whose certificate does not
    verify, raises (SMTPNotSupportedError, ssl.SSLError): never a fallback to plain text."""
    if settings.EMAIL_USE_SSL and settings.EMAIL_USE_TLS:
        raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
    context = smtp_ssl_context() if settings.EMAIL_USE_SSL or settings.EMAIL_USE_TLS else None
    # DNS_NAME is looked up once per process; smtplib would call getfqdn() (slow) per connection.
    options = {"local_hostname": str(DNS_NAME), "timeout": settings.EMAIL_TIMEOUT}
    if settings.EMAIL_USE_SSL:
        conn = smtplib.SMTP_SSL(
            settings.EMAIL_HOST, settings.EMAIL_PORT, context=context, **options
        )
    else:
        conn = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, **options)
    # The final "." is a small write right after the body: without TCP_NODELAY, Nagle's
    # algorithm waits for the server's delayed ACK (~40 ms a message).
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn.ehlo_or_helo_if_needed()
    if settings.EMAIL_USE_TLS:
        conn.starttls(context=context)
        conn.ehlo()
    if settings.EMAIL_HOST_USER:
        conn.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    return conn


def _encode_header(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode(linesep="\r\n")


def envelope_address(address: str) -> str:
    """The address as sent: the domain in IDNA form (bücher.nl -> xn--bcher-kva.nl), which any
    server accepts; a non-ASCII local part stays, and needs SMTPUTF8."""
    local, _at, domain = address.rpartition("@")
    if domain.isascii():
        return address  # nothing for IDNA to change (checked first: most addresses are ASCII)
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a valid IDN: the server refuses this one address
    return f"{local}@{domain}"


def _b64_lines(text: str) -> str:
    """Base64 in lines of 76 characters, CRLF between them (one C call and slices: about half
    the time of base64.encodebytes with its 57-byte loop and newline replacing)."""
    encoded = binascii.b2a_base64(text.encode(), newline=False).decode("ascii")
    return "\r\n".join([encoded[i : i + 76] for i in range(0, len(encoded), 76)])


_date_cache: list = [None, ""]  # [second, "Date: ..." header]


def _date_header() -> str:
    """The Date header, formatted once per second (formatdate costs as much as the rest of
    the headers together)."""
    now = time.time()
    second = int(now)
    if _date_cache[0] != second:
        _date_cache[:] = [second, f"Date: {formatdate(now, localtime=True)}"]
    return _date_cache[1]


@lru_cache(maxsize=8)
def _from_header(from_email: str) -> str:
    name, address = parseaddr(from_email)
    return f"From: {formataddr((name, envelope_address(address)), charset='utf-8')}"


def build_bytes(
    message: Message, *, to: str, message_id: str, from_email: str, utf8: bool = False
) -> bytes:
    """A multipart/alternative message (text + HTML) as bytes, CRLF line ends.

    `to` as returned by envelope_address; `utf8` for a recipient that needs SMTPUTF8 (the
    To header then carries the address in UTF-8, RFC 6532). Everything else is ASCII."""
    boundary = f"=_nb_{message_id.strip('<>').split('@')[0]}"
    headers = [
        _from_header(from_email),
        f"To: {to}",
        f"Subject: {_encode_header(message.subject)}",
        _date_header(),
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
    return "\r\n".join(parts).encode("utf-8" if utf8 else "ascii")


def send_committing(
    conn: smtplib.SMTP, *, sender: str, to: str, data: bytes, begin_commit, utf8: bool = False
) -> bool:
    """Send one message, marking it sent in the database together with the final ".".

    `begin_commit()` starts the UPDATE and returns a function that waits for it, or False when
    the row was taken over by another run (the half message is then dropped with the
    connection, which the server discards).

    Raises MessageRejected for a refusal of this message; OSError/SMTPException otherwise.
    """
    if conn.has_extn("pipelining"):
        # RFC 2920: MAIL, RCPT and DATA in one write, then the three replies.
        conn.send(_envelope(sender, to, utf8))
        replies = [conn.getreply() for _ in range(3)]
    else:
        replies = [conn.mail(sender, ["SMTPUTF8"] if utf8 else []), conn.rcpt(to)]
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
    code, reply = conn.getreply()  # meanwhile the database applies the UPDATE
    if not finish():
        # Only after the claim timeout can another run take a row over: it has sent it too.
        logger.warning("Newsletter to %s was taken over by another run while sending", to)
    if code != 250:
        raise MessageRejected(code, reply)
    return True


@dataclass
class Outgoing:
    delivery_id: int
    to: str
    data: bytes
    begin_commit: Callable  # returns a function that waits for the UPDATE (see _SentMarker)
    utf8: bool = False  # the address needs SMTPUTF8


def _envelope(sender: str, to: str, utf8: bool) -> bytes:
    option = " SMTPUTF8" if utf8 else ""
    return f"MAIL FROM:<{sender}>{option}\r\nRCPT TO:<{to}>\r\nDATA\r\n".encode()


def send_pipelined(conn: smtplib.SMTP, *, sender: str, messages: Iterable[Outgoing], done) -> None:
    """Like send_committing for many messages, one round trip each (RFC 2920 PIPELINING).

    The final "." of one message travels in the same write as the envelope (MAIL, RCPT, DATA)
    of the next, so the replies of both are read together. `done(outgoing, error)` is called
    for each message once its fate is known (error None, or a MessageRejected).
    Needs the asynchronous marker: begin_commit() must never refuse.
    """

    def envelope(item: Outgoing | None) -> bytes:
        return b"" if item is None else _envelope(sender, item.to, item.utf8)

    items = iter(messages)
    current = next(items, None)
    if current is None:
        return
    conn.send(envelope(current))
    ending: tuple[Outgoing, Callable] | None = None  # "." sent, reply not read yet
    try:
        while current is not None:
            if ending is not None:
                code, reply = conn.getreply()
                item, finish = ending
                ending = None
                if not finish():
                    logger.warning("Newsletter %s was taken over by another run", item.to)
                done(item, None if code == 250 else MessageRejected(code, reply))
            (mail_code, mail_reply), (rcpt_code, rcpt_reply), (data_code, data_reply) = [
                conn.getreply() for _ in range(3)
            ]
            if mail_code != 250:
                raise smtplib.SMTPSenderRefused(mail_code, mail_reply, sender)
            if rcpt_code not in (250, 251) or data_code != 354:
                if data_code == 354:
                    conn.send(b".\r\n")  # end the empty message the server opened anyway
                    conn.getreply()
                conn.rset()
                done(
                    current,
                    MessageRejected(
                        rcpt_code if rcpt_code >= 400 else data_code,
                        rcpt_reply if rcpt_code >= 400 else data_reply,
                    ),
                )
                current = next(items, None)
                conn.send(envelope(current))
                continue
            following = next(items, None)
            # The UPDATE is written first, then body, "." and the next envelope in one write:
            # only a crash between these two writes could part row and message.
            finish = current.begin_commit()
            try:
                conn.send(current.data + b".\r\n" + envelope(following))
            except OSError as exc:
                finish()
                raise EndNotSent(str(exc), current.delivery_id) from exc
            ending = (current, finish)
            current = following
        if ending is not None:
            code, reply = conn.getreply()
            item, finish = ending
            ending = None
            finish()
            done(item, None if code == 250 else MessageRejected(code, reply))
    finally:
        if ending is not None:
            ending[1]()  # its "." went out: keep it sent, but let the UPDATE finish
