"""The API's lists: queries that do not grow with the page or the data, and rows written without
pydantic's validation exactly as pydantic writes them."""

import pytest

from initiatives.opendata import rendering, schemas
from tests.factories import add_services, build_full_directory

pytestmark = pytest.mark.django_db

SIZES = [pytest.param(3, id="3"), pytest.param(40, id="40")]
# The ids of every matching row in order (kept in the cache until the directory changes), then the
# page's rows by id; a list of fully nested services adds its seven kinds of related rows.
LISTS = [
    pytest.param("/api/services", 2, id="services"),
    pytest.param("/api/services?minimal=true", 2, id="services-minimal"),
    pytest.param("/api/services?full=true", 9, id="services-full"),
    pytest.param("/api/organizations", 2, id="organizations"),
    pytest.param("/api/organizations?full=true", 3, id="organizations-full"),
    pytest.param("/api/service_at_locations", 2, id="service-at-locations"),
]
EVERY_SHAPE = [
    "/api/services?per_page=100",
    "/api/services?full=true&per_page=100",
    "/api/services?minimal=true&per_page=100",
    "/api/services?format=ndjson",
    "/api/organizations?full=true&per_page=100",
    "/api/organizations?full_service=true&per_page=100",
    "/api/service_at_locations?per_page=100",
    "/api/taxonomy_terms?per_page=100",
    "/api/taxonomies",
    "/api/indicators",
    "/api/",
]


@pytest.fixture(autouse=True)
def _pages_drawn_afresh(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("path", "ceiling"), LISTS)
def test_lists_run_fixed_queries_and_one_once_counted(
    client, django_assert_max_num_queries, n, path, ceiling
):
    add_services(build_full_directory(), n)
    page = f"{path}{'&' if '?' in path else '?'}per_page=100"

    with django_assert_max_num_queries(ceiling):
        first = client.get(page)
    with django_assert_max_num_queries(ceiling - 1):
        again = client.get(page)

    assert first.status_code == 200
    assert again.content == first.content
    assert first.json()["total_items"] >= n


@pytest.mark.parametrize("n", SIZES)
def test_one_service_runs_fixed_queries(client, django_assert_max_num_queries, n):
    directory = build_full_directory()
    add_services(directory, n)

    # the service with its organisation and parent, and its seven kinds of related rows
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/services/{directory['full'].uuid}")

    assert response.json()["name"] == "Full service"


def test_a_hidden_service_leaves_the_list_at_once(client):
    directory = build_full_directory()
    client.get("/api/services")
    hidden = directory["services"]["plain"]

    hidden.publication_state = "draft"
    hidden.save()

    names = [service["name"] for service in client.get("/api/services").json()["contents"]]
    assert hidden.name not in names
    assert "Full service" in names


@pytest.mark.parametrize("path", EVERY_SHAPE)
def test_rows_written_directly_are_what_pydantic_writes(client, monkeypatch, path):
    build_full_directory()
    direct = client.get(path)

    monkeypatch.setattr(rendering, "plain_fields", lambda schema: None)  # pydantic for every row
    validated = client.get(path)

    body = b"".join(direct.streaming_content) if direct.streaming else direct.content
    expected = b"".join(validated.streaming_content) if validated.streaming else validated.content
    assert body == expected


def test_the_lists_shapes_are_written_directly():
    """The shapes of the plain lists skip validation; one with a price (a float) cannot."""
    assert rendering.plain_fields(schemas.ServiceListOut) is not None
    assert rendering.plain_fields(schemas.OrganizationWithServicesOut) is not None
    assert rendering.plain_fields(schemas.ServiceOut) is None
