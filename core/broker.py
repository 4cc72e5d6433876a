"""Publishing tasks without making a parent wait for a broker that is down.

A publish to an unreachable broker waits for its connection timeout (2 s) while holding a web
worker, so with the broker down every request that sends mail would take seconds and a handful
of parents could occupy the whole web tier. After one failure this process stops trying for
`OUTAGE_RETRY_SECONDS`; callers keep their work in the database (the outbox row stays queued)
and a periodic scan hands it to the broker once it is back.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

_down_until = 0.0
_lock = threading.Lock()


def broker_is_marked_down() -> bool:
    return time.monotonic() < _down_until


def publish(task, *args, **kwargs) -> bool:
    """`task.delay(*args, **kwargs)`; False, at once, while the broker is known to be down."""
    global _down_until
    if broker_is_marked_down():
        return False
    try:
        task.delay(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any broker error: the caller's scan retries later
        with _lock:
            first = _down_until == 0.0
            _down_until = time.monotonic() + settings.OUTAGE_RETRY_SECONDS
        if first:
            logger.warning(
                "Broker unreachable (%s): leaving work to the periodic scans; "
                "trying again every %s s",
                exc,
                settings.OUTAGE_RETRY_SECONDS,
            )
        return False
    if _down_until:
        with _lock:
            _down_until = 0.0
        logger.warning("Broker reachable again")
    return True
