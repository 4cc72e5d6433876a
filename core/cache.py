"""The Redis cache, with the database standing in while Redis is unreachable.

Rate limits (ours and allauth's), allauth's used-TOTP-code markers and the queue counts live in
the cache. When Redis is down they must keep working: a throttle that raises answers 500, one
that lets everything through invites password guessing and code replay. So a call that cannot
reach Redis goes to a small database table instead (`core.CacheEntry`, Django's database cache),
and for `OUTAGE_RETRY_SECONDS` this process does not try Redis again, so requests do not each
wait for a refused connection. The first call that reaches Redis again empties the table: Redis
is the authority again, and the table keeps no client addresses from the outage.

Counts in the table are not atomic across processes (`incr` reads and writes), which is good
enough for an outage: a limit may let a few extra attempts through, never all of them.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

FALLBACK_TABLE = "core_cache_fallback"
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Per process, shared by every thread's cache instance: LOCATION -> when to try Redis again.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class RedisWithDatabaseFallbackCache(BaseCache):
    """Django's RedisCache; while Redis is unreachable, Django's DatabaseCache.

    OPTIONS: `RETRY_SECONDS` (how long to skip Redis after a failure), `FALLBACK_MAX_ENTRIES`;
    the rest goes to redis-py (e.g. `socket_connect_timeout`, `socket_timeout`).
    """

    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        self._retry_seconds = float(options.pop("RETRY_SECONDS", 15))
        max_entries = int(options.pop("FALLBACK_MAX_ENTRIES", 20000))
        self._location = server if isinstance(server, str) else ",".join(server)
        self._redis = RedisCache(server, {**params, "OPTIONS": options})
        # Django's incr() re-sets the key with the default timeout: a day, so a rate-limit count
        # lives as long as its window (keys name their window), not 5 minutes.
        self._db = DatabaseCache(
            FALLBACK_TABLE,
            {**params, "TIMEOUT": 24 * 60 * 60, "OPTIONS": {"MAX_ENTRIES": max_entries}},
        )

    def redis_is_marked_down(self) -> bool:
        return time.monotonic() < _down_until.get(self._location, 0)

    def _call(self, method: str, *args, **kwargs):
        if not self.redis_is_marked_down():
            try:
                result = getattr(self._redis, method)(*args, **kwargs)
            except _UNREACHABLE as exc:
                with _lock:
                    first = self._location not in _down_until
                    _down_until[self._location] = time.monotonic() + self._retry_seconds
                if first:
                    logger.warning(
                        "Redis cache unreachable (%s): counting in the database; "
                        "trying Redis again every %.0f s",
                        exc,
                        self._retry_seconds,
                    )
            else:
                if self._location in _down_until:
                    self._recovered()
                return result
        return getattr(self._db, method)(*args, **kwargs)

    def _recovered(self) -> None:
        with _lock:
            if _down_until.pop(self._location, None) is None:
                return  # another thread got here first
        logger.warning("Redis cache reachable again: emptying the database stand-in")
        self._db.clear()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")

    def close(self, **kwargs):
        self._redis.close(**kwargs)
        self._db.close(**kwargs)
