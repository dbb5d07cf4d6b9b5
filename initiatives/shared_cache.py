"""Django's Redis cache, answering as an empty cache while Redis cannot be reached.

Everything the site keeps in the cache can be worked out again (pages, option counts, results) or may
be lost for a while (rate-limit counts, the change counter): so a Redis that is down or restarting
makes pages slower, never a 500. Each failure is logged, at most once a minute per process, and
/healthz reports the cache as unavailable (it checks that a value it sets comes back).
"""

import logging
import os
import threading
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one redis.Redis for each connection pool.

    Django makes a new redis.Redis for every call; its constructor fills a table of some 170 reply
    handlers, which took half the time of serving a page from the cache. A redis.Redis is safe to
    share between threads: it takes a connection from its pool for each command.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    """RedisCache whose every call answers as an empty cache when Redis is unreachable."""

    _last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def counter(self, key: str) -> int | None:
        """A counter moved only by `bump_counter`, read from this process's copy: Redis announces
        each change, so the copy is re-read only when one is announced (ChangeFeed). None if Redis
        cannot be reached: then nothing can be known to be current."""
        try:
            return self._feed(key).value()
        except UNREACHABLE as error:
            self.log_unreachable(error)
            return None

    def bump_counter(self, key: str) -> None:
        """Move the counter on and announce it, in one round trip. A counter that is missing (a new
        or emptied Redis) starts from the clock (see first_counter_value)."""
        redis_key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
        pipeline.set(redis_key, first_counter_value(), nx=True)
        pipeline.incr(redis_key)
        pipeline.publish(_channel(redis_key), b"")
        try:
            pipeline.execute()
        except UNREACHABLE as error:
            self.log_unreachable(error)
        self._feed(key).changed_here()

    def _feed(self, key: str) -> "ChangeFeed":
        feeds = self.__dict__.setdefault("_feeds", {})
        if key not in feeds:
            feeds[key] = ChangeFeed(self._cache.get_client(), self.make_and_validate_key(key))
        return feeds[key]

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


def first_counter_value() -> int:
    """Where a counter starts: the clock in nanoseconds, not 1. A Redis that was emptied or restarted
    then never hands out a number it handed out before, which a page kept by a process under that
    number would wrongly match."""
    return time.time_ns()


def _channel(redis_key: str) -> str:
    return f"{redis_key}:changed"


class ChangeFeed:
    """One process's copy of a counter in Redis, and a subscription to the announcements of its
    changes.

    Reading the counter from Redis costs a round trip, as much as the rest of serving a kept page;
    looking for an announcement on the subscription's socket costs a few microseconds. Redis sends
    the announcement in the same turn as its answer to the write, so a change is seen by the next
    request on every server. The copy is re-read once a second anyway, in case a connection dropped
    without a word; a connection that fails is opened again, and the counter re-read, on next use.
    """

    RECHECK_SECONDS = 1.0
    CONFIRMATION_SECONDS = 2.0  # as the site's socket_timeout for Redis

    def __init__(self, client, redis_key: str):
        self._client, self._key = client, redis_key
        self._lock = threading.Lock()  # one subscription per process, for all its threads
        self._subscription = None
        self._process = None
        self._value, self._read_at = None, 0.0
        self._changed_here = False

    def value(self) -> int | None:
        with self._lock:
            try:
                if self._subscription is None or self._process != os.getpid():
                    self._subscribe()
                    self._read()
                elif self._announced() or self._changed_here or self._read_long_ago():
                    self._read()
            except UNREACHABLE:
                self._forget()
                raise
            return self._value

    def _subscribe(self) -> None:
        """Subscribe, and wait until Redis confirms it, before the counter is read: a change made
        after the read is then sure to be announced."""
        self._forget()
        subscription = self._client.pubsub()
        subscription.subscribe(_channel(self._key))
        if subscription.get_message(timeout=self.CONFIRMATION_SECONDS) is None:
            subscription.close()
            raise TimeoutError("Redis did not confirm the subscription to the change announcements.")
        self._subscription, self._process = subscription, os.getpid()

    def changed_here(self) -> None:
        """This process moved the counter on: its next read need not wait for the announcement."""
        self._changed_here = True

    def _announced(self) -> bool:
        """Whether a message came: a change, or the confirmation of a subscription that redis-py
        renewed after a lost connection, during which announcements may have been missed."""
        changed = False
        while self._subscription.get_message(timeout=0) is not None:
            changed = True
        return changed

    def _read_long_ago(self) -> bool:
        return time.monotonic() - self._read_at > self.RECHECK_SECONDS

    def _read(self) -> None:
        value = self._client.get(self._key)
        if value is None:  # a new or emptied Redis: start the counter, so that it has one value
            self._client.set(self._key, first_counter_value(), nx=True)
            value = self._client.get(self._key)
        self._value, self._read_at, self._changed_here = int(value), time.monotonic(), False

    def _forget(self) -> None:
        if self._subscription is not None and self._process == os.getpid():
            self._subscription.close()
        self._subscription = None
