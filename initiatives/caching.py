"""A cache for what is costly to work out from the directory and changes only when it does:
the order of a search's results, its option counts, synonyms, (SQLite) the directory's words, and
whole public pages (page_cache.py).

Every key carries a generation number, kept in the cache itself. Any write to a table whose rows
residents can see moves it on, so the next request recomputes: in every process and on every server
when the cache is shared (REDIS_URL), where Redis announces each change to every process so that
none has to ask for the number at each request; with local memory, only in the writing process, the
others catching up within DIRECTORY_CACHE_SECONDS. The number starts from the clock, not from 1, so
an emptied cache never hands out a number a kept value was stored under.

The writes are seen where every one of them passes: the database connection. A saved form, a
QuerySet.update, a bulk_create, an import, a management command and raw SQL all send an INSERT,
UPDATE or DELETE (or TRUNCATE) through it, so none can be missed the way a model signal misses
the last four. The number moves at each write, and inside a transaction once more at the commit:
a page drawn meanwhile from the rows as they were is kept under a number already passed.
"""

import hashlib
import re
from functools import cache as memoise
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db.backends.signals import connection_created
from django.utils import timezone

from initiatives.shared_cache import ForgivingRedisCache, first_counter_value

GENERATION_KEY = "directory:generation"
# The apps whose records residents see, on pages or through the API.
_SEEN_APPS = {"initiatives", "indicators", "search", "opendata", "public", "demo"}
# Records of those apps that change nothing residents see: the audit log, and the searches that
# found nothing (written while a resident searches, which must not empty the cache).
_UNRELATED = {"initiatives.auditentry", "initiatives.unmatchedsearch"}
# How a statement that writes names its table; Django quotes table names on every database.
_WRITE = re.compile(
    r'\s*(?P<verb>INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE)\s+"?(?P<table>\w+)', re.I
)


def generation() -> int | None:
    """The directory's change counter: part of every cached value's key. None when the cache cannot
    say (Redis unreachable): then nothing is taken from it or kept in it."""
    shared = caches["default"]
    if isinstance(shared, ForgivingRedisCache):
        return shared.counter(GENERATION_KEY)  # this process's copy, current to the last change
    if (value := shared.get(GENERATION_KEY)) is None:  # new or emptied: start from the clock
        shared.add(GENERATION_KEY, first_counter_value(), None)
        value = shared.get(GENERATION_KEY)
    return value


def bump_generation() -> None:
    """Move the change counter on, so that everything cached before is recomputed."""
    shared = caches["default"]
    if isinstance(shared, ForgivingRedisCache):
        shared.bump_counter(GENERATION_KEY)  # and announces it to every process
        return
    try:
        shared.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or the cache was emptied
        shared.add(GENERATION_KEY, first_counter_value(), None)


def cached(name: str, compute):
    """`compute()`, or its value from the last DIRECTORY_CACHE_SECONDS if nothing changed since."""
    seconds = settings.DIRECTORY_CACHE_SECONDS
    if seconds <= 0 or (current := generation()) is None:
        return compute()
    digest = hashlib.sha256(name.encode()).hexdigest()  # any text, within every backend's key rules
    key = f"directory:{current}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def search_key(filterset) -> str | None:
    """What names a search's results and counts in the cache: its parameters other than the page, in
    a fixed order, and the date (ended services drop out at midnight), or, for services open now, the
    minute (weekly hours open and close on the minute, so the answer holds all minute). None when the
    query has an error, so it is worked out afresh.
    """
    form = filterset.form
    if form.errors:
        return None
    pairs = sorted((name, value) for name, values in form.data.lists() if name != "page" for value in values)
    # The minute in UTC: on the night the clocks go back, each minute from 1:00 to 2:00 comes twice.
    when = f"{timezone.now():%Y-%m-%dT%H:%M}" if form.cleaned_data.get("open_now") else timezone.localdate()
    return f"{when}:{urlencode(pairs)}"


@memoise
def watched_tables() -> frozenset[str]:
    """The tables whose rows residents see: those of the apps they read, with their link tables."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label in _SEEN_APPS and label not in _UNRELATED:
            tables.add(model._meta.db_table.lower())
    return frozenset(tables)


class WriteWatcher:
    """A database connection's execute wrapper: moves the change counter on after a write to a
    watched table. One per connection; see the module's docstring for why here and why twice."""

    def __init__(self, tables: frozenset[str]):
        self.tables = tables

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.writes_watched_table(sql):
            self.changed(context["connection"])
        return result

    def writes_watched_table(self, sql: str) -> bool:
        write = _WRITE.match(sql)
        if write is None:
            return False
        # TRUNCATE names several tables at once (flush): any of them may be one of ours.
        return write["verb"].upper() == "TRUNCATE" or write["table"].lower() in self.tables

    def changed(self, connection) -> None:
        bump_generation()
        if connection.in_atomic_block and not any(
            callback is bump_generation for _, callback, _ in connection.run_on_commit
        ):
            connection.on_commit(bump_generation)


def _watch_connection(sender, connection, **kwargs) -> None:
    """connection_created receiver: every new connection (each thread has its own) is watched once."""
    if not any(isinstance(wrapper, WriteWatcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatcher(watched_tables()))


def watch_for_changes() -> None:
    connection_created.connect(_watch_connection, dispatch_uid="directory-watch-writes")
