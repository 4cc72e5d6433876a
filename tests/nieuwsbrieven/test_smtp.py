"""Raw SMTP sending of newsletter chunks: pipelining, TLS with verified certificates (STARTTLS
and SMTP over TLS), and addresses and names beyond ASCII."""

import ipaddress
import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest

from bench.common import free_port
from nieuwsbrieven import services
from nieuwsbrieven.models import Delivery
from outbox.models import OutgoingEmail
from tests.factories import make_child, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_subscription


class Sink(list):
    """Messages received, with whether each came over TLS."""

    over_tls: list


def _start_sink(settings, *, pipelining=False, **controller_options):
    from aiosmtpd.controller import Controller

    received = Sink()
    received.over_tls = []
    lock = threading.Lock()

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            if pipelining:
                return [*responses[:-1], "250-PIPELINING", responses[-1]]
            return responses

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("weg@"):
                return "550 5.1.1 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            with lock:
                message = message_from_bytes(envelope.original_content, policy=policy.default)
                received.append(message)
                tls = server.transport.get_extra_info("ssl_object") or session.ssl
                received.over_tls.append(tls is not None)
            return "250 OK"

    port = free_port()
    controller_options.setdefault("enable_SMTPUTF8", False)  # aiosmtpd's Controller offers it
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **controller_options)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    return controller, received


@pytest.fixture
def pipelining_sink(settings):
    controller, received = _start_sink(settings, pipelining=True)
    yield received
    controller.stop()


def _subscribers(*emails):
    for email in emails:
        family = make_family()
        make_subscription(parent=make_parent(family=family), email=email)
        make_child(family=family, age_months=4)


def _send_edition():
    edition = make_edition(age=(0, 12))
    services.start_edition(edition_id=edition.pk)  # commits: the chunk task runs (eager)
    return edition


def _statuses():
    return dict(Delivery.objects.values_list("subscription__email", "status"))


@pytest.mark.django_db(transaction=True)
def test_pipelined_chunk_sends_each_once_and_records_a_refused_address(pipelining_sink):
    _subscribers("een@example.org", "weg@example.org", "drie@example.org", "vier@example.org")
    edition = _send_edition()
    assert sorted(m["To"] for m in pipelining_sink) == [
        "drie@example.org",
        "een@example.org",
        "vier@example.org",
    ]
    statuses = _statuses()
    assert statuses.pop("weg@example.org") == Delivery.Status.FAILED
    assert set(statuses.values()) == {Delivery.Status.SENT}
    assert "550" in Delivery.objects.get(subscription__email="weg@example.org").last_error
    # Run again: nothing left to send.
    ids = list(Delivery.objects.order_by("id").values_list("id", flat=True))
    assert services.send_chunk(edition_id=edition.pk, first_id=ids[0], last_id=ids[-1]) == 0
    assert len(pipelining_sink) == 3


# --- Addresses and names beyond ASCII ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pipelining", [True, False])
def test_non_ascii_address_fails_alone_when_the_server_has_no_smtputf8(settings, pipelining):
    controller, received = _start_sink(settings, pipelining=pipelining)
    settings.DEFAULT_FROM_EMAIL = "JGZ Zoë Één <noreply@example.org>"
    try:
        _subscribers("een@example.org", "jöran@example.org", "ouder@bücher.example")
        _send_edition()
    finally:
        controller.stop()
    assert sorted(m["To"] for m in received) == [
        "een@example.org",
        "ouder@xn--bcher-kva.example",
    ]
    assert str(received[0]["From"]) == "JGZ Zoë Één <noreply@example.org>"
    assert received[0].defects == []
    refused = Delivery.objects.get(subscription__email="jöran@example.org")
    assert refused.status == Delivery.Status.FAILED and "SMTPUTF8" in refused.last_error


@pytest.mark.django_db(transaction=True)
def test_non_ascii_address_goes_out_in_utf8_when_the_server_offers_smtputf8(settings):
    controller, received = _start_sink(settings, pipelining=True, enable_SMTPUTF8=True)
    try:
        _subscribers("jöran@example.org", "een@example.org")
        _send_edition()
    finally:
        controller.stop()
    assert sorted(m["To"] for m in received) == ["een@example.org", "jöran@example.org"]
    assert set(_statuses().values()) == {Delivery.Status.SENT}


# --- TLS: certificates are verified ----------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and localhost: (certificate file, key file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test mail server")])
    now = datetime.now(UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


@pytest.fixture(params=["starttls", "smtps"])
def tls_sink(request, settings, certificate):
    """A mail server with the self-signed certificate: STARTTLS on a plain port (TLS
    required), or SMTP over TLS from the first byte (as on port 465)."""
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    if request.param == "starttls":
        options = {"tls_context": context, "require_starttls": True}
        settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = True, False
    else:
        options = {"ssl_context": context}
        settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = False, True
    controller, received = _start_sink(settings, **options)
    settings.EMAIL_SSL_CAFILE = ""
    yield received
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_newsletter_goes_over_tls_to_a_server_the_ca_file_trusts(tls_sink, settings, certificate):
    settings.EMAIL_SSL_CAFILE = certificate[0]
    _subscribers("een@example.org", "twee@example.org")
    _send_edition()
    assert sorted(m["To"] for m in tls_sink) == ["een@example.org", "twee@example.org"]
    assert tls_sink.over_tls == [True, True]


@pytest.mark.django_db(transaction=True)
def test_newsletter_is_not_sent_to_a_server_whose_certificate_does_not_verify(tls_sink):
    _subscribers("een@example.org")
    _send_edition()
    assert list(tls_sink) == []
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.QUEUED  # waits for the next attempt
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error


@pytest.mark.django_db(transaction=True)
def test_outbox_verifies_the_certificate_with_the_same_ca_file(tls_sink, settings, certificate):
    from outbox.services import queue_rendered

    settings.EMAIL_BACKEND = "outbox.backends.SMTPBackend"
    queue_rendered(to="een@example.org", subject="Test", body_text="Een link")
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert "CERTIFICATE_VERIFY_FAILED" in email.last_error
    settings.EMAIL_SSL_CAFILE = certificate[0]
    queue_rendered(to="twee@example.org", subject="Test", body_text="Een link")
    assert [m["To"] for m in tls_sink] == ["twee@example.org"]
    assert tls_sink.over_tls == [True]
