"""The family's waiting list in the download, and a deleted account waits for nothing."""

import pytest

from privacy.registry import ERASERS, EXPORTERS
from tests.wachtlijst.factories import Setup
from wachtlijst import services
from wachtlijst.models import Entry, Offer

pytestmark = pytest.mark.django_db


def _waiting_with_offer():
    setup = Setup()
    waiting = setup.booked(n=12)
    services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk, part="evening")
    services.offer_places(slot_ids=[setup.slot(3).pk])
    return waiting


def test_the_download_lists_the_waiting_list_and_the_offers():
    waiting = _waiting_with_offer()
    sections = {
        s.key: s for s in EXPORTERS["wachtlijst"](user=waiting.parent, family=waiting.family)
    }
    [entry] = sections["waitlist"].rows
    assert entry["part"] == "Avond" and entry["status"] == "Wacht"
    [offer] = sections["waitlist_offers"].rows
    assert offer["status"] == "Open" and waiting.slot.location.name in offer["slot"]


def test_deleting_the_account_ends_the_entry_and_gives_the_offer_up():
    waiting = _waiting_with_offer()
    counts = ERASERS["wachtlijst"](user=waiting.parent, family=waiting.family, family_removed=True)
    assert counts == {"entries_ended": 1, "offers_declined": 1}
    assert Entry.objects.get().status == Entry.Status.ENDED
    assert Offer.objects.get().status == Offer.Status.DECLINED
