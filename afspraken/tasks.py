from celery import shared_task

from afspraken import services


@shared_task(name="afspraken.tasks.generate_slots_task")
def generate_slots_task() -> dict:
    """Nightly: extend the rolling horizon. Idempotent, so a redelivery (acks_late) is harmless."""
    result = services.generate_slots()
    return result.__dict__
