"""`/healthz` for load balancers: can this server reach its database and its cache right now?

The answer names each part "ok" or "unavailable" and nothing else: no error text, versions or host
names, since anyone may ask. It touches no session and sets no cookie, and is never cached.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# How long the round-trip key may live if deleting it fails: long enough for one check.
PROBE_SECONDS = 10


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # down, refusing, out of connections...: any failure means "unavailable"
        logger.exception("Health check: the database is unavailable.")
        return False


def cache_ok() -> bool:
    """Set, read back and delete a key of its own: a cache that keeps nothing is no use either."""
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=PROBE_SECONDS)
        kept = cache.get(key) == value
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the cache is unavailable.")
        return False
    if not kept:
        logger.error("Health check: the cache did not keep a value it was given.")
    return kept


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache both answer; 503 naming the part that does not."""
    parts = {"database": database_ok(), "cache": cache_ok()}
    healthy = all(parts.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "unavailable" for name, ok in parts.items()})
    return JsonResponse(body, status=200 if healthy else 503)
