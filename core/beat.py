"""Celery beat that keeps a due run when the broker is down.

Beat marks a job as run (`last_run_at`) before it publishes it, and when publishing fails it
logs "Couldn't apply scheduled task" and moves on: the run is lost until the next one is due,
a day later for the daily jobs. This scheduler gives the run back instead, waits
`OUTAGE_RETRY_SECONDS` and tries again, so every job that fell due during an outage is sent
once the broker is back. The jobs are scans (they look for what is due), so sending one late
does the work the missed run would have done.
"""

import logging
import time

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)


class CatchUpScheduler(DatabaseScheduler):
    _paused_until = 0.0

    def tick(self, *args, **kwargs):
        wait = self._paused_until - time.monotonic()
        if wait > 0:
            return min(wait, self.max_interval)
        return super().tick(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        logger.info("Scheduler: Sending due task %s (%s)", entry.name, entry.task)
        try:
            self.apply_async(entry, producer=producer, advance=False)
        except Exception as exc:  # noqa: BLE001 - any publish error: keep the run, retry later
            self._give_back(entry)
            self._paused_until = time.monotonic() + settings.OUTAGE_RETRY_SECONDS
            logger.warning(
                "Could not send periodic task %s (%s); it stays due, trying again in %s s",
                entry.name,
                exc,
                settings.OUTAGE_RETRY_SECONDS,
            )

    def _give_back(self, entry) -> None:
        """Undo tick()'s reservation: the run stays due, in the database too."""
        # The entry still holds the values from before the reservation; its model was advanced.
        entry.model.last_run_at = entry.last_run_at
        entry.model.total_run_count = entry.total_run_count
        self._dirty.add(entry.name)
        self.sync()
        # The heap holds the advanced entry: rebuild it from the database on the next tick.
        self._schedule = self.all_as_schedule()
        self._heap_invalidated = True
