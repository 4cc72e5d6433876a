"""Raw SMTP sending of newsletter chunks against a local server that supports PIPELINING."""

import threading
from email import message_from_bytes

import pytest

from bench.common import free_port
from nieuwsbrieven import services
from nieuwsbrieven.models import Delivery
from tests.factories import make_child, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_subscription


@pytest.fixture
def pipelining_sink(settings):
    from aiosmtpd.controller import Controller

    received = []
    lock = threading.Lock()

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            return [*responses[:-1], "250-PIPELINING", responses[-1]]

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("weg@"):
                return "550 5.1.1 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            with lock:
                received.append(message_from_bytes(envelope.content))
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield received
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_pipelined_chunk_sends_each_once_and_records_a_refused_address(pipelining_sink):
    for email in ("een@example.org", "weg@example.org", "drie@example.org", "vier@example.org"):
        family = make_family()
        make_subscription(parent=make_parent(family=family), email=email)
        make_child(family=family, age_months=4)
    edition = make_edition(age=(0, 12))
    services.start_edition(edition_id=edition.pk)  # commits: the chunk task runs (eager)
    assert sorted(m["To"] for m in pipelining_sink) == [
        "drie@example.org",
        "een@example.org",
        "vier@example.org",
    ]
    statuses = dict(Delivery.objects.values_list("subscription__email", "status"))
    assert statuses.pop("weg@example.org") == Delivery.Status.FAILED
    assert set(statuses.values()) == {Delivery.Status.SENT}
    assert "550" in Delivery.objects.get(subscription__email="weg@example.org").last_error
    # Run again: nothing left to send.
    ids = list(Delivery.objects.order_by("id").values_list("id", flat=True))
    assert services.send_chunk(edition_id=edition.pk, first_id=ids[0], last_id=ids[-1]) == 0
    assert len(pipelining_sink) == 3
