"""Response headers the whole site shares, and the refusal of characters no page can use."""

import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.views.defaults import bad_request

# The open data API answers in JSON (initiatives/opendata/api.py); named here, as the project
# package imports no app.
API_PREFIX = "/api/"
# C0 control characters and DEL: no address of ours has one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SecurityHeadersMiddleware:
    """Send the site's Content Security Policy and Permissions Policy unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class InvalidCharactersMiddleware:
    """Answer 400 to a request with a NUL in it, or a control character in its path.

    PostgreSQL refuses NUL in text, so a NUL reaching a lookup or a filter would be a 500; no page
    needs one. Checked here, once, rather than in every form and view: the path, each query
    parameter's name and value, and each field of a posted form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = invalid_part(request)
        if part is not None:
            return refusal(request, part)
        return self.get_response(request)


def invalid_part(request) -> str | None:
    """Where the request has a character no page accepts: "path", a parameter's or field's name; else None."""
    if CONTROL_CHARACTERS.search(request.path_info):
        return "path"
    # The raw query string first: a NUL can only arrive written as %00, and most requests have none.
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or NUL in query:
        return _first_with_nul(request.GET) or "query"
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        # Field names and values only: Django already drops control characters from file names,
        # and a file's contents (an image) may hold any byte.
        return _first_with_nul(request.POST)
    return None


def _first_with_nul(data) -> str | None:
    """The name of the first field whose name or value has a NUL (the NUL written as \\x00), or None."""
    for name, values in data.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\x00")
    return None


def refusal(request, part: str):
    """The site's plain 400 page; under /api/, a JSON error in the shape of the API's others."""
    message = "contains a NUL or another control character, which no address or form accepts"
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            {"message": f"{part}: {message}", "errors": [{"parameter": part, "message": message}]},
            status=400,
            content_type="application/json; charset=utf-8",
        )
    return bad_request(request, SuspiciousOperation(f"{part}: {message}"))
