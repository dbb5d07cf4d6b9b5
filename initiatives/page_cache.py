"""Whole public pages, kept in the shared cache for visitors without a session.

A page is the same for every visitor who has no session (no list, not signed in, no message waiting),
so the first such visitor's page serves the next ones. Each is kept under its address (path and query)
with the directory's change counter (caching.py) and the minute it was drawn in: a write to anything
residents see moves the counter on, so the next request draws the page afresh, on every server; and
a page is never older than its minute, because "open now", "closes at 5pm" and the ended services
follow the clock, not the data.

Only views marked with `public_page` (or a whole URL include with `public_pages`) are kept, and only
a 200 answer that sets no cookie, used no CSRF token and is not marked private. Nothing on such a page
may depend on the visitor or on the Host header: the "Save to my list" and "Report a problem" forms
carry no token (same_origin.py says what protects them instead), and absolute links start with
SITE_URL. Visitors with a session get a page drawn for them, with an ETag (ConditionalGetMiddleware).

One round trip to the cache serves a page: the counter and the page are read together, and the page
holds the counter and minute it was drawn at, so a page drawn before the last change or in an earlier
minute is simply drawn again and replaces it. One entry per address, then, however often things change.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string

from .caching import GENERATION_KEY

CACHED_METHODS = ("GET", "HEAD")
# Headers a stored page must not replay: its own validators are kept apart, and a cookie is never kept.
_NOT_REPLAYED = {"set-cookie", "etag", "last-modified", "content-length"}


def site_url(request) -> dict:
    """Template context: `site_url`, the start of every absolute link on a page. Never the request's
    Host header: a page kept for everyone must not carry one visitor's (perhaps forged) host name."""
    return {"site_url": settings.SITE_URL}


def repeat_when_served_from_cache(response, function, **arguments) -> None:
    """Have `function(**arguments)` called again each time this response is served from the cache:
    what the view does besides drawing the page (counting a search that found nothing) still happens
    once a visit. `function` is kept by its dotted path, and the arguments must pickle."""
    response.repeat_on_hit = [*getattr(response, "repeat_on_hit", ()), (_dotted_path(function), arguments)]


def _dotted_path(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def public_page(view):
    """Mark a view whose pages are the same for every visitor without a session."""
    view.public_page = True
    return view


def public_pages(included):
    """Mark every view of a URL include (a (patterns, app_name, namespace) tuple) as `public_page`."""
    patterns = included[0]
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            public_pages((pattern.url_patterns,))
        else:
            public_page(pattern.callback)
    return included


@dataclass(frozen=True)
class StoredPage:
    generation: int
    minute: int
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: str
    repeats: tuple[tuple[str, dict], ...] = ()

    def is_current(self, generation: int, minute: int) -> bool:
        return self.generation == generation and self.minute == minute

    def response_for(self, request) -> HttpResponse:
        """The page, or 304 Not Modified if the visitor's copy is this one."""
        for function, arguments in self.repeats:
            import_string(function)(**arguments)
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = self.last_modified
        return get_conditional_response(
            request,
            etag=self.etag,
            last_modified=parse_http_date_safe(self.last_modified),
            response=response,
        )


class PublicPageCacheMiddleware:
    """Serve and keep public pages for visitors without a session. Placed before the session
    middleware, so that it sees every cookie the page would set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_be_served_from_cache(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])  # one round trip for both
        generation, minute = found.get(GENERATION_KEY, 0), int(time.time() // 60)
        stored = found.get(key)
        if stored is not None and stored.is_current(generation, minute):
            return stored.response_for(request)
        response = self.get_response(request)
        if may_be_kept(request, response):
            cache.set(key, _stored(response, generation, minute), settings.PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.public_page = getattr(view_func, "public_page", False)


def may_be_served_from_cache(request) -> bool:
    """A GET or HEAD from a visitor with no session, no message waiting and no credentials."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in CACHED_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "authorization" not in request.headers
    )


def may_be_kept(request, response) -> bool:
    """A public view's plain 200 answer, with nothing in it for this visitor alone."""
    cache_control = response.headers.get("Cache-Control", "")
    return (
        getattr(request, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a token is on the page
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def page_key(request) -> str:
    address = request.get_full_path().encode()
    return f"page:{hashlib.sha256(address).hexdigest()}"


def _stored(response, generation: int, minute: int) -> StoredPage:
    """The page to keep; its validators are set on the first visitor's copy too."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    response.headers.setdefault("Last-Modified", http_date())
    return StoredPage(
        generation=generation,
        minute=minute,
        content=response.content,
        headers=tuple(
            (name, value) for name, value in response.headers.items() if name.lower() not in _NOT_REPLAYED
        ),
        etag=response.headers["ETag"],
        last_modified=response.headers["Last-Modified"],
        repeats=tuple(getattr(response, "repeat_on_hit", ())),
    )
