"""The invitation scan through a real Celery worker: two scans at once, one e-mail."""

import time
from email.header import decode_header, make_header

import pytest

from contactmomenten.models import MomentMessage
from tests.conftest_worker import wait_until
from tests.contactmomenten.factories import eight_week_setup

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_two_scans_through_the_worker_send_the_invitation_once(celery_worker, smtp_sink, settings):
    from datetime import time as clock

    from contactmomenten.tasks import send_moment_messages_task

    settings.CONTACTMOMENTEN_SEND_TIME = clock(0, 0)  # due as soon as the window opens
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    send_moment_messages_task.delay()
    send_moment_messages_task.delay()
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == parent.email
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Het is tijd voor het consult 8 weken van Noor — plan je afspraak"
    time.sleep(2)
    wait_until(lambda: MomentMessage.objects.count() == 1)
    assert len(smtp_sink.messages) == 1
