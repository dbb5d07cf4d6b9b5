"""Property-based fuzzing of query strings: whatever a link, a bot or a typo sends to the public
service list or to the API, the answer is a page or a clear 4xx, never a server error.
"""

import io
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers.fuzzing import reproducible

SERVICE_LIST_KEYS = [
    "q",
    "need",
    "audience",
    "mode",
    "free",
    "access",
    "kind",
    "include_ended",
    "sort",
    "page",
    "postcode",
    "distance",
    "day",
    "open_now",
    "age",
    "cost",
]
API_KEYS = [
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
    "postcode",
    "proximity",
    "modified_after",
]
API_PATHS = [
    "/api/services",
    "/api/service_at_locations",
    "/api/organizations",
    "/api/taxonomies",
    "/api/taxonomy_terms",
    "/api/indicators",
]
# Values a real query string could carry: demo slugs and codes, numbers, dates, and any text at all
# (control characters, NUL, emoji, very long strings) the strategies below come up with.
PLAUSIBLE = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1",
        "2",
        "999999999999999999999",
        "1e9",
        "NaN",
        "on",
        "true",
        "off",
        "MO",
        "monday",
        "find-work",
        "digital-skills",
        "care-workers",
        "in_person",
        "online",
        "self_referral",
        "event",
        "relevance",
        "name",
        "checked",
        "MK9 3EP",
        "mk9",
        "SW1A 1AA",
        "12:00",
        "25:61",
        "2025-01-01",
        "2025-13-45T99:00",
        "00000000-0000-0000-0000-000000000000",
        "' OR 1=1 --",
        "<script>",
        "%00",
    ]
)
VALUES = st.one_of(PLAUSIBLE, st.text(max_size=60), st.text(min_size=300, max_size=600))
EXAMPLES = 150


def _query(keys):
    pairs = st.lists(st.tuples(st.one_of(st.sampled_from(keys), st.text(max_size=12)), VALUES), max_size=8)
    return pairs.map(urlencode)


@pytest.fixture(scope="module")
def demo_directory(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module (requests here only read)."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", stdout=io.StringIO())


@pytest.fixture
def fuzz_client(demo_directory, client, db):
    return client


fuzz_settings = reproducible(EXAMPLES)


@fuzz_settings
@given(query=_query(SERVICE_LIST_KEYS))
def test_service_list_never_fails_with_a_server_error(fuzz_client, query):
    response = fuzz_client.get(f"/services/?{query}")
    assert response.status_code in (200, 400), (query, response.status_code)


@fuzz_settings
@given(path=st.sampled_from(API_PATHS), query=_query(API_KEYS))
def test_api_lists_never_fail_with_a_server_error(fuzz_client, path, query):
    response = fuzz_client.get(f"{path}?{query}")
    assert response.status_code in (200, 400), (path, query, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    if response.status_code == 400:
        assert response.json()["message"]
