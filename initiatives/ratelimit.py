"""A per-address limit on enquiries, counted in Django's cache under a keyed hash of the address.

The raw address is never stored: the key is an HMAC with the secret key, so the cache cannot be
read back to find who sent what.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from .client_address import client_address


def _key(request, scope: str) -> str:
    # The same address the login lockout uses: behind MK_PROXY_COUNT proxies, the visitor's own.
    address = client_address(request)
    return f"ratelimit:{scope}:{salted_hmac('initiatives.ratelimit', address).hexdigest()}"


def rate_limit_hit(request, *, scope: str) -> bool:
    """Count one attempt from this address; return whether it is over the limit for the window."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=settings.ENQUIRY_RATE_WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:  # the entry expired between add and incr: this is the first attempt again
        cache.add(key, 1, timeout=settings.ENQUIRY_RATE_WINDOW_SECONDS)
        attempts = 1
    return attempts > settings.ENQUIRY_RATE_LIMIT
