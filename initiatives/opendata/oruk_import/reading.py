"""Read a whole Open Referral UK feed into memory, from saved JSON files or a live API, before anything
is written: a feed that cannot be read to the end imports nothing.
"""

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

from .mapping import identifier, organisation_id

PER_PAGE = 50  # the common default; some APIs refuse larger pages
MAX_PAGES = 10_000  # a feed that never says "last page" must not keep us reading for ever
MAX_BYTES = 20_000_000  # per answer: far above any real page, well below what would strain memory
USER_AGENT = "MK Directory Open Referral UK importer"


class FeedError(Exception):
    """The feed could not be read to the end: the whole import stops before writing anything."""


def read_files(paths: Iterable[Path]) -> list[dict]:
    """Every service in the given files (or folders of *.json files), in file-name order."""
    return _with_organisations(list(_file_services(paths)))


def read_api(base_url: str, *, timeout: float) -> list[dict]:
    """Every service of a live Open Referral UK API, each as its full record from /services/{id}.

    The list pages may give services without their places, hours or contacts, so each is fetched
    on its own; an id listed twice is fetched once but kept twice, for the import to report. Each
    organisation is fetched from /organizations/{id} too, where the API offers it (it is optional):
    only that record carries its phone numbers, and it may be the only one the feed has.
    """
    base = base_url.rstrip("/")
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise FeedError(f"{base_url} is not a web address (it must start with http:// or https://)")
    get = _Reader(base, timeout)
    listed = list(_listed_services(get))
    full = {}
    for item in listed:
        service_id = identifier(item)
        if service_id and service_id not in full:
            full[service_id] = _one_record(get, f"services/{_quoted(service_id)}", "service")
    services = [full.get(identifier(item), item) for item in listed]
    organisations = {}
    for owner in dict.fromkeys(filter(None, map(organisation_id, services))):
        path = f"organizations/{_quoted(owner)}"
        if (record := _one_record(get, path, "organization", optional=True)) is not None:
            organisations[owner] = record
    return _with_organisations(services, organisations)


def _file_services(paths: Iterable[Path]) -> Iterator[dict]:
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise FeedError(f"{file}: not a readable JSON file ({error})") from error
            if isinstance(data, dict) and isinstance(data.get("contents"), list):
                items = data["contents"]  # a page of /services
            elif isinstance(data, list):
                items = data
            elif isinstance(data, dict) and "id" in data:
                items = [data]  # one fully nested service
            else:
                raise FeedError(f"{file}: expected a page with 'contents', a list, or one service")
            yield from _objects_only(items, str(file))


def _objects_only(items: list, where: str) -> list[dict]:
    if not all(isinstance(item, dict) for item in items):
        raise FeedError(f"{where}: every service must be a JSON object")
    return items


def _with_organisations(services: list[dict], fetched: dict[str, dict] | None = None) -> list[dict]:
    """Give each service its organisation's fullest record: the one fetched from the API if any,
    else one nested in a service of the feed, for services that give only `organization_id` too.
    A service still without one is matched to a record we have, or given a placeholder, on import.
    """
    known = {}
    for service in services:
        nested = service.get("organization")
        if isinstance(nested, dict) and identifier(nested):
            known.setdefault(identifier(nested), nested)
    known.update(fetched or {})
    completed = []
    for service in services:
        owner = organisation_id(service)
        completed.append({**service, "organization": known[owner]} if owner in known else service)
    return completed


def _listed_services(get: "_Reader") -> Iterator[dict]:
    for number in range(1, MAX_PAGES + 1):
        path = f"services?page={number}&per_page={PER_PAGE}"
        page = get(path)
        if not isinstance(page, dict) or not isinstance(page.get("contents"), list):
            raise FeedError(f"{get.url(path)} is not an Open Referral UK page (it has no 'contents' list)")
        yield from _objects_only(page["contents"], get.url(path))
        if not page["contents"] or not _more_pages(page, number):
            return
    raise FeedError(f"{get.url('services')} goes on for more than {MAX_PAGES} pages")


def _more_pages(page: dict, number: int) -> bool:
    """Whether pages follow this one, by `last_page` if the feed gives it, else by `total_pages`."""
    last_page, total_pages = page.get("last_page"), page.get("total_pages")
    if isinstance(last_page, bool):
        return not last_page
    return isinstance(total_pages, int) and not isinstance(total_pages, bool) and number < total_pages


def _one_record(get: "_Reader", path: str, kind: str, *, optional: bool = False) -> dict | None:
    """The record at this path; with `optional`, None when the API answers that it has no such page."""
    record = get(path, optional=optional)
    if record is None and optional:
        return None
    if not isinstance(record, dict) or not identifier(record):
        raise FeedError(f"{get.url(path)} is not an Open Referral UK {kind} (no object with an id)")
    return record


def _quoted(record_id: str) -> str:
    return urllib.parse.quote(record_id, safe="")


class _Reader:
    """GET a path under the API's base address and parse the JSON answer, or raise FeedError."""

    def __init__(self, base: str, timeout: float):
        self.base, self.timeout = base, timeout

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def __call__(self, path: str, *, optional: bool = False):
        url = self.url(path)
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if response.status != 200:
                    raise FeedError(f"{url} answered {response.status} {response.reason}, not 200 OK")
                body = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            if optional and error.code == 404:
                return None
            raise FeedError(f"{url} answered {error.code} {error.reason}, not 200 OK") from error
        except (OSError, http.client.HTTPException) as error:  # URLError and timeouts are OSErrors
            raise FeedError(self._failure(url, error)) from error
        if len(body) > MAX_BYTES:
            raise FeedError(f"{url} answered with more than {MAX_BYTES // 1_000_000} MB")
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise FeedError(f"{url} did not answer with JSON ({error})") from error

    def _failure(self, url: str, error: Exception) -> str:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        if isinstance(reason, TimeoutError):
            return f"{url} did not answer within {self.timeout:g} seconds"
        return f"could not reach {url} ({str(reason) or type(reason).__name__})"
