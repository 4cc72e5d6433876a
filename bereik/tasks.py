from celery import shared_task

from bereik import services


@shared_task(name="bereik.tasks.import_drop_folder_task")
def import_drop_folder_task() -> int:
    """Nightly: import the DD JGZ export from the drop folder. Safe to run twice: a file seen
    before is skipped and each line that did not change writes nothing."""
    return len(services.import_drop_folder())
