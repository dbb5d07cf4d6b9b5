"""A cache for what is costly to work out from the directory and changes only when it does:
option counts, synonyms, and (SQLite) the words the directory uses.

Every key carries a generation number. Any write to the directory's records moves it on, so
the next request in this process recomputes. Other processes, each with its own local-memory
cache, catch up within DIRECTORY_CACHE_SECONDS (or at once, if CACHES names a shared cache).
Writes that bypass signals (QuerySet.update, bulk_create, raw SQL) also wait for the timeout.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

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
