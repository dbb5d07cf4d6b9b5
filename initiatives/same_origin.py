"""Cross-site request forgery protection for the forms on cached public pages, without a token.

A page kept for every visitor (page_cache.py) cannot carry one visitor's CSRF token, so its two forms,
"Save to my list" and "Report a problem", carry none. Instead the browser tells us where a POST came
from, and a POST that another site's page made is refused:

- `Sec-Fetch-Site` (sent by every current browser) must be "same-origin";
- without it, `Origin` must be this site (SITE_URL, the request's own host, or CSRF_TRUSTED_ORIGINS);
- without either, `Referer` must be a page of this site (our Referrer-Policy sends it to ourselves);
- with none of the three we cannot tell, and refuse, saying why.

This is what Django's own check does first (it compares Origin before the token); the token adds
protection only for browsers that send none of these headers, and those are refused here. Every
other form of the site keeps Django's token.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
REASON_OTHER_SITE = "Your browser says this form was sent from another website (Sec-Fetch-Site: %s)."
REASON_BAD_ORIGIN = "This form was sent from another website (%s)."
REASON_BAD_REFERER = "This form was sent from a page of another website (%s)."
REASON_UNKNOWN_SOURCE = (
    "Your browser did not say which site this form came from (no Sec-Fetch-Site, Origin or Referer "
    "header), so it was not accepted."
)


def same_origin_post(view):
    """Accept a POST to `view` only from this site's own pages; see the module's docstring."""

    @csrf_exempt
    @wraps(view)
    def checked(request, *args, **kwargs):
        reason = None if request.method in SAFE_METHODS else cross_site_reason(request)
        if reason and not getattr(request, "_dont_enforce_csrf_checks", False):  # the test client's switch
            return render(request, "403_other_site.html", {"reason": reason}, status=403)
        return view(request, *args, **kwargs)

    return checked


def cross_site_reason(request) -> str | None:
    """Why this request may have come from another site's page; None if it came from ours."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return None if fetch_site == "same-origin" else REASON_OTHER_SITE % fetch_site
    origin = request.headers.get("Origin")
    if origin is not None:
        return None if origin in our_origins(request) else REASON_BAD_ORIGIN % origin
    referer = request.headers.get("Referer")
    if referer is not None:
        parts = urlsplit(referer)
        return (
            None
            if f"{parts.scheme}://{parts.netloc}" in our_origins(request)
            else REASON_BAD_REFERER % referer
        )
    return REASON_UNKNOWN_SOURCE


def our_origins(request) -> set[str]:
    """The origins this site's pages are served from."""
    return {
        urlsplit(settings.SITE_URL)._replace(path="").geturl(),
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }
