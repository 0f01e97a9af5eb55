"""Redis when it answers, the database cache while it does not (SECURITY.md faults: Redis down → the platform
falls back or says so, no 500s).

The cache holds only counters and short-lived values (rate limits, login failures), so falling back loses at
most a few minutes of counting; the database cache is shared by every worker like Redis, so the limits still
hold across workers. A fall-back is logged at most once a minute; each call tries Redis again first (with a
short connect timeout), so the platform returns to Redis by itself once it is back."""

import logging
import time

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("zhaoshang.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
METHODS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "decr", "set_many", "delete_many",
    "clear", "get_or_set",
)  # fmt: skip


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self.fallback = DatabaseCache(
            params.get("FALLBACK_TABLE", "zhaoshang_cache"), {"OPTIONS": {"MAX_ENTRIES": 100000}}
        )
        self._warned_at = 0.0

    def _falling_back(self, name: str, exc: Exception):
        now = time.monotonic()
        if now - self._warned_at > 60:
            self._warned_at = now
            logger.warning("Redis unreachable (%s: %s): the database cache answers %s", type(exc).__name__, exc, name)
        return getattr(self.fallback, name)


def _wrap(name: str):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except UNREACHABLE as exc:
            return self._falling_back(name, exc)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in METHODS:
    setattr(FallbackRedisCache, _name, _wrap(_name))
