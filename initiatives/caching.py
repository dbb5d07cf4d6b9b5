"""A cache for what is costly to work out from the directory and changes only when it does:
the order of a search's results, its option counts, synonyms, and (SQLite) the directory's words.

Every key carries a generation number, kept in the cache itself. Any write to the directory's
records moves it on, so the next request recomputes: in every process and on every server when
the cache is shared (REDIS_URL); with local memory, only in the writing process, the others
catching up within DIRECTORY_CACHE_SECONDS. Writes that bypass signals (QuerySet.update,
bulk_create, raw SQL) also wait for the timeout.
"""

import hashlib
from collections.abc import Sequence
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

GENERATION_KEY = "directory:generation"
# Records that do not change what residents find: writing them must not empty the cache.
_UNRELATED = {"initiatives.auditentry", "initiatives.unmatchedsearch"}


def cached(name: str, compute):
    """`compute()`, or its value from the last DIRECTORY_CACHE_SECONDS if nothing changed since."""
    seconds = settings.DIRECTORY_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(name.encode()).hexdigest()  # any text, within every backend's key rules
    key = f"directory:{cache.get(GENERATION_KEY, 0)}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def search_key(filterset) -> str | None:
    """What names a search's results and counts in the cache: its parameters other than the page, in
    a fixed order, and the date (ended services drop out at midnight). None when they must be worked
    out afresh: the query has an error, or asks for services open now, which changes by the minute.
    """
    form = filterset.form
    if form.errors or form.cleaned_data.get("open_now"):
        return None
    pairs = sorted((name, value) for name, values in form.data.lists() if name != "page" for value in values)
    return f"{timezone.localdate()}:{urlencode(pairs)}"


class CachedResults(Sequence):
    """A search's results in order, for the paginator: the ids of all of them worked out once (and
    cached under `key`), the rows a page at a time.

    A page's rows are fetched through the same queryset, so a service hidden since the ids were
    cached drops out at once rather than showing for a minute.
    """

    def __init__(self, queryset, *, key: str | None):
        self.queryset = queryset
        self.key = key

    @cached_property
    def ids(self) -> list[int]:
        def ordered_ids():
            return list(self.queryset.prefetch_related(None).values_list("pk", flat=True))

        return cached(f"results:{self.key}", ordered_ids) if self.key else ordered_ids()

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = self.ids[index]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=wanted)}
        return [rows[pk] for pk in wanted if pk in rows]


def directory_changed(sender, **kwargs) -> None:
    """Signal receiver: a record residents search by was saved, deleted or relinked."""
    if sender._meta.app_label != "initiatives" or sender._meta.label_lower in _UNRELATED:
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or expired from the cache
        cache.set(GENERATION_KEY, 1, None)


def watch_for_changes() -> None:
    post_save.connect(directory_changed, dispatch_uid="directory-changed-saved")
    post_delete.connect(directory_changed, dispatch_uid="directory-changed-deleted")
    m2m_changed.connect(directory_changed, dispatch_uid="directory-changed-relinked")
