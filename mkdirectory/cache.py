"""Django's Redis cache, answering as an empty cache while Redis cannot be reached.

Everything the site keeps in the cache can be worked out again (pages, option counts, results) or may
be lost for a while (rate-limit counts, the change counter): so a Redis that is down or restarting
makes pages slower, never a 500. Each failure is logged, at most once a minute per process, and
/healthz reports the cache as unavailable (it checks that a value it sets comes back).
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (ConnectionError, TimeoutError)
LOG_EVERY_SECONDS = 60


def _missing_entry(*args, **kwargs):
    raise ValueError("The cache is unreachable, so the entry was not found.")


# Each method, and what an empty cache that keeps nothing would answer.
_ANSWERS_WHEN_UNREACHABLE = {
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "set": lambda *args, **kwargs: None,
    "set_many": lambda data, *args, **kwargs: list(data),  # the keys that were not stored
    "add": lambda *args, **kwargs: False,
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "incr": _missing_entry,  # as for a key that is not there: callers already handle it
    "decr": _missing_entry,
    "clear": lambda *args, **kwargs: False,
}


class ForgivingRedisCache(RedisCache):
    """RedisCache whose every call answers as an empty cache when Redis is unreachable."""

    _last_logged = 0.0

    @classmethod
    def log_unreachable(cls, error) -> None:
        now = time.monotonic()
        if now - cls._last_logged >= LOG_EVERY_SECONDS:
            cls._last_logged = now
            logger.error("The cache (Redis) is unreachable, so pages are drawn without it: %s", error)


def _forgiving(name: str, answer):
    method = getattr(RedisCache, name)

    @wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            self.log_unreachable(error)
            return answer(*args, **kwargs)

    return call


for _name, _answer in _ANSWERS_WHEN_UNREACHABLE.items():
    setattr(ForgivingRedisCache, _name, _forgiving(_name, _answer))
