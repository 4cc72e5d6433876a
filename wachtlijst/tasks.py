from celery import shared_task

from wachtlijst import services


@shared_task(name="wachtlijst.tasks.offer_places_task")
def offer_places_task(slot_ids: list[str]) -> int:
    """After a cancel, a move or a new schedule. Running twice is harmless: an entry is
    offered a slot once (constraint), and a parent holds one open offer (constraint)."""
    return services.offer_places(slot_ids=slot_ids)


@shared_task(name="wachtlijst.tasks.offer_for_entry_task")
def offer_for_entry_task(entry_id: str) -> int:
    return services.offer_for_entry(entry_id=entry_id)


@shared_task(name="wachtlijst.tasks.process_offers_task")
def process_offers_task() -> dict:
    """Beat: expire offers, send the morning's offers, look for places for waiting families."""
    return services.process_offers().__dict__
