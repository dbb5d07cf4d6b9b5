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

A page holds the counter and minute it was drawn at, so a page drawn before the last change or in an
earlier minute is simply drawn again and replaces it: one entry per address, however often things
change. Serving a kept page asks Redis nothing: each process keeps its own copies of the pages it
served last (NearPages) and knows the counter from Redis's announcements (initiatives/shared_cache.py); it
reads the shared copy only for a page it does not hold, or holds from before a change. Kept pages are
compressed once, when kept, for the browsers that ask for gzip.
"""

import hashlib
import re
import threading
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.text import compress_string

from .caching import generation

CACHED_METHODS = ("GET", "HEAD")
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_COMPRESS_FROM = 200  # bytes; as Django's GZipMiddleware: a shorter page gains nothing
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
    """The view, marked as one whose pages are the same for every visitor without a session. A
    wrapper carries the mark, so that a view shared with others (Django's sitemap) is left as it is."""

    @wraps(view)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    page.public_page = True
    return page


def public_pages(included):
    """Mark every view of a URL include (a (patterns, app_name, namespace) tuple) as `public_page`."""
    patterns = included[0]
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            public_pages((pattern.url_patterns,))
        else:
            pattern.callback = public_page(pattern.callback)
    return included


@dataclass(frozen=True)
class StoredPage:
    generation: int
    minute: int
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: str
    compressed: bytes | None = None  # the content gzipped, for the browsers that ask for it
    repeats: tuple[tuple[str, dict], ...] = ()

    def is_current(self, generation: int, minute: int) -> bool:
        return self.generation == generation and self.minute == minute

    def response_for(self, request) -> HttpResponse:
        """The page, or 304 Not Modified if the visitor's copy is this one."""
        for function, arguments in self.repeats:
            import_string(function)(**arguments)
        gzipped = self.compressed is not None and _accepts_gzip(request)
        response = HttpResponse(self.compressed if gzipped else self.content)
        for name, value in self.headers:
            response.headers[name] = value
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = self.last_modified
        return get_conditional_response(
            request,
            etag=self.etag,
            last_modified=parse_http_date_safe(self.last_modified),
            response=response,
        )


class NearPages:
    """This process's own copies of the pages it served last, in front of the shared cache: taking a
    page from Redis costs a round trip and unpickling 30 KB, several times the rest of serving it.
    Each copy is checked against the change counter and the minute like the shared one, so it is
    never served after a change. At most LIMIT pages, the oldest kept forgotten first."""

    LIMIT = 500

    def __init__(self):
        self._pages: dict[str, StoredPage] = {}
        self._lock = threading.Lock()  # threads of one process share the copies

    def get(self, key: str) -> "StoredPage | None":
        return self._pages.get(key)

    def keep(self, key: str, page: "StoredPage") -> None:
        if self._pages.get(key) is page:
            return
        with self._lock:
            self._pages.pop(key, None)  # to the end of the order: kept longest
            self._pages[key] = page
            while len(self._pages) > self.LIMIT:
                del self._pages[next(iter(self._pages))]


near_pages = NearPages()


class PublicPageCacheMiddleware:
    """Serve and keep public pages for visitors without a session. Placed before the session
    middleware, so that it sees every cookie the page would set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_be_served_from_cache(request):
            return self.get_response(request)
        current = generation()
        if current is None:  # the cache cannot say what is current
            return self.get_response(request)
        key, minute = page_key(request), int(time.time() // 60)
        stored = near_pages.get(key)
        if stored is None or not stored.is_current(current, minute):
            stored = cache.get(key)  # drawn by another process or server, perhaps
        if stored is not None and stored.is_current(current, minute):
            near_pages.keep(key, stored)
            return stored.response_for(request)
        response = self.get_response(request)
        if may_be_kept(request, response):
            patch_vary_headers(response, ["Accept-Encoding"])  # kept pages are also served gzipped
            stored = _stored(response, current, minute)
            near_pages.keep(key, stored)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.public_page = getattr(view_func, "public_page", False)


def _accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


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
        # Compressed once, when kept: a list page of 30 KB travels as about 5 KB. Only kept pages,
        # which hold nothing secret, so compression cannot leak a token (BREACH).
        compressed=compress_string(response.content) if len(response.content) >= _COMPRESS_FROM else None,
        repeats=tuple(getattr(response, "repeat_on_hit", ())),
    )
