from celery import shared_task

from contactmomenten import services


@shared_task(name="contactmomenten.tasks.send_moment_messages_task")
def send_moment_messages_task() -> int:
    """Beat scan: invitations when a window opens, one reminder before it closes (each once).

    Safe to run twice or at once (acks_late): every message is claimed under a row lock."""
    return services.send_due_messages()
