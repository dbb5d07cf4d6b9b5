"""import_oruk --url reads a live Open Referral UK API: here a small web server on this machine, in a
thread, serving pages built from the validator's own mocks."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError

from initiatives.models import Location, Organisation, Service
from tests.opendata.oruk_spec import mock
from tests.opendata.test_import_oruk import import_feed

pytestmark = pytest.mark.django_db
FULL_ID = "ac148810-d857-441c-9679-408f346de14b"  # the id of the validator's fully nested service
ORGANISATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"  # the organisation it nests


class FeedServer(ThreadingHTTPServer):
    """Answers each path (query string included, per_page aside) with what `answers` says."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers: dict[str, tuple[int, bytes, float]] = {}  # path: status, body, seconds to wait
        self.asked: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api"

    def answer(self, path, body, *, status=200, delay=0.0):
        self.answers["/api/" + path] = (
            status,
            body if isinstance(body, bytes) else json.dumps(body).encode(),
            delay,
        )

    def handle_error(self, request, client_address):
        """A client that gave up waiting is what the timeout test wants; nothing to print."""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        query = [(key, value) for key, value in urllib.parse.parse_qsl(parts.query) if key != "per_page"]
        path = parts.path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        self.server.asked.append(path)
        status, body, delay = self.server.answers.get(path, (404, b'{"message": "Not found"}', 0.0))
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    feed = FeedServer()
    thread = threading.Thread(target=feed.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield feed
    feed.shutdown()
    feed.server_close()


def _page(contents, number, total):
    return {
        "total_items": 3,
        "total_pages": total,
        "page_number": number,
        "size": len(contents),
        "contents": contents,
    }


@pytest.fixture
def api(server):
    """Three services on two pages: the list gives each shallow, /services/{id} gives it whole.

    The second service names its organisation by id only, and nothing else in the feed nests that
    one; the API serves that organisation at /organizations/{id}, and not the other one.
    """
    shallow = mock("service_list.json")["contents"][0]
    second = {**shallow, "id": "second", "name": "Second service", "organization_id": "org-2"}
    del second["organization"]
    third = {**shallow, "id": "third", "name": "Third service"}
    fetched_organisation = {**mock("organization_full.json"), "id": "org-2", "name": "Fetched Organisation"}
    server.answer("services?page=1", _page([shallow, second], 1, 2))
    server.answer("services?page=2", _page([third], 2, 2))
    server.answer(f"services/{FULL_ID}", mock("service_full.json"))
    server.answer("services/second", second)
    server.answer("services/third", third)
    server.answer("organizations/org-2", fetched_organisation)
    return server


def test_a_live_api_is_read_page_by_page_with_each_service_whole(api):
    output, errors = import_feed(url=api.base, source="live")

    assert "Services: 3 created, 0 updated, 0 unchanged, 0 kept." in output and not errors
    assert "/api/services?page=2" in api.asked
    full = Service.objects.get(external_id=FULL_ID)
    assert full.locations.get().name == "MyCity Civic Center"  # only in the full record
    assert full.schedules.count() == 2 and full.contacts.count() == 1
    second = Service.objects.get(external_id="second")
    assert second.organisation.name == "Fetched Organisation"
    assert second.organisation.company_number == "1234567"
    output, _ = import_feed(url=api.base, source="live")
    assert "Services: 0 created, 0 updated, 3 unchanged, 0 kept." in output


def test_an_organisation_the_api_serves_whole_brings_what_only_that_record_has(api):
    whole = {**mock("organization_full.json"), "phones": [{"id": "p1", "number": "01632 960003"}]}
    api.answer(f"organizations/{ORGANISATION_ID}", whole)

    import_feed(url=api.base, source="live")

    assert Organisation.objects.get(external_id=ORGANISATION_ID).phone == "01632 960003"


def test_without_the_optional_organisations_endpoint_an_organisation_given_by_id_is_a_placeholder(api):
    del api.answers["/api/organizations/org-2"]

    output, errors = import_feed(url=api.base, source="live")

    assert "Services: 3 created" in output and not errors
    placeholder = Service.objects.get(external_id="second").organisation
    assert "org-2" in placeholder.name and "before publishing" in placeholder.description


def test_pages_are_followed_by_last_page_when_total_pages_is_not_given(api):
    first, last = (json.loads(api.answers[f"/api/services?page={n}"][1]) for n in (1, 2))
    for page, is_last in ((first, False), (last, True)):
        del page["total_pages"]
        page["last_page"] = is_last
    api.answer("services?page=1", first)
    api.answer("services?page=2", last)

    output, _ = import_feed(url=api.base, source="live")

    assert "Services: 3 created" in output


@pytest.mark.parametrize(
    "path, answer, message",
    [
        ("services?page=1", {"status": 500, "body": b"Internal error"}, "answered 500 Internal Server Error"),
        ("services?page=2", {"body": b"<html>Sorry</html>"}, "did not answer with JSON"),
        ("services?page=2", {"body": {"results": []}}, "is not an Open Referral UK page"),
        ("services/third", {"body": [], "status": 200}, "is not an Open Referral UK service"),
        ("services/third", {"status": 404, "body": {"message": "Gone"}}, "answered 404 Not Found"),
        ("services/third", {"body": {}, "delay": 1.0}, "did not answer within 0.3 seconds"),
        ("organizations/org-2", {"status": 503, "body": b""}, "answered 503"),
    ],
    ids=[
        "server-error",
        "not-json",
        "not-a-page",
        "not-a-service",
        "missing-service",
        "timeout",
        "organisation",
    ],
)
def test_a_feed_that_fails_part_way_imports_nothing_and_says_why(api, path, answer, message):
    api.answer(path, answer["body"], status=answer.get("status", 200), delay=answer.get("delay", 0.0))

    with pytest.raises(CommandError, match="Nothing was imported") as raised:
        import_feed(url=api.base, source="live", timeout=0.3)

    assert message in str(raised.value) and f"{api.base}/{path}" in str(raised.value)
    assert (
        not Service.objects.exists() and not Organisation.objects.exists() and not Location.objects.exists()
    )


def test_an_api_that_cannot_be_reached_is_a_clear_error(server):
    base = server.base
    server.shutdown()
    server.server_close()  # nothing listens on its port any more

    with pytest.raises(CommandError, match=r"Nothing was imported\. could not reach .*/api/services\?page=1"):
        import_feed(url=base)


@pytest.mark.parametrize(
    "arguments, options, message",
    [
        ((), {}, "Give either JSON files and folders or --url"),
        (("feed.json",), {"url": "https://example.org/api"}, "Give either JSON files and folders or --url"),
        ((), {"url": "file:///etc/passwd"}, "is not a web address"),
        ((), {"url": "https://example.org/api", "timeout": 0}, "--timeout must be a positive number"),
    ],
    ids=["neither", "both", "not-web", "no-timeout"],
)
def test_the_command_asks_for_one_readable_feed(arguments, options, message):
    with pytest.raises(CommandError, match=message):
        import_feed(*arguments, **options)
