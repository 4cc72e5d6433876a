from celery import shared_task

from afspraken import services


@shared_task(name="afspraken.tasks.generate_slots_task")
def generate_slots_task() -> dict:
    """Nightly: extend the rolling horizon. Idempotent, so a redelivery (acks_late) is harmless."""
    result = services.generate_slots()
    return result.__dict__


@shared_task(name="afspraken.tasks.send_reminders_task")
def send_reminders_task() -> int:
    """Every few minutes (beat): due reminders, each once per appointment and kind."""
    from afspraken import reminders

    return reminders.send_due_reminders()
