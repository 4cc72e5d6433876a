"""The offer scan through a real Celery worker and Redis."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from tests.conftest_worker import run_in_worker
from tests.wachtlijst.factories import Setup
from wachtlijst import services
from wachtlijst.models import Offer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_scan_expires_an_offer_and_offers_the_place_to_the_next_family(celery_worker, settings):
    from wachtlijst.tasks import process_offers_task

    settings.WACHTLIJST_OFFERS_PER_PLACE = 1
    setup = Setup()
    first = setup.booked(n=12, at=time(19, 0))
    second = setup.booked(n=12, at=time(19, 30))
    for waiting in (first, second):
        services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk)
    free = setup.slot(3)
    services.offer_places(slot_ids=[free.pk])
    offer = Offer.objects.get(parent=first.parent)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    result = run_in_worker(process_offers_task)
    assert result["expired"] == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    # At night the worker's offer waits for the morning; in daytime it is sent at once.
    assert Offer.objects.get(parent=second.parent).status in Offer.LIVE
    # Idempotent: a second run (acks_late) expires and offers nothing more.
    assert run_in_worker(process_offers_task)["expired"] == 0
    assert Offer.objects.filter(slot=free).count() == 2
