"""The API fuzzed from the OFFICIAL Open Referral UK OpenAPI document (vendored, not our own): every
path and query parameter the standard defines, with values valid and invalid, in-process through
WSGI. No answer may be a server error, and every 200 must satisfy the official schema for it.
"""

import copy

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.checks import not_a_server_error

from tests.factories import build_full_directory
from tests.helpers.fuzzing import UNCOMPRESSED, reproducible
from tests.opendata.oruk_spec import official_openapi, page_problems, problems, response_problems

EXAMPLES_PER_OPERATION = 80


def _served_under_api() -> dict:
    document = copy.deepcopy(official_openapi())
    document["servers"] = [{"url": "/api"}]  # where this site serves the standard's paths
    return document


schema = schemathesis.openapi.from_dict(_served_under_api())
schema.app = WSGIHandler()


@schemathesis.check
def official_schema_conformance(ctx, response, case):
    """A 200 answer satisfies the schema the official document gives for it."""
    if response.status_code != 200 or (case.query or {}).get("format") == "ndjson":
        return None  # NDJSON has no page to check; tests/opendata/test_api.py reads it line by line
    body = response.json()
    if case.operation.path == "/organizations":
        # The document's schema there describes one organisation, not a page (see
        # test_oruk_conformance): check the envelope and each organisation instead.
        found = page_problems(body) + [
            p for item in body["contents"] for p in problems(item, "organization.json")
        ]
    else:
        found = response_problems(body, case.operation.path)
    assert found == [], found
    return None


@pytest.fixture
def full_directory(db, keep_connection_open):
    build_full_directory()


@schema.parametrize()
@reproducible(EXAMPLES_PER_OPERATION)
def test_api_survives_the_official_openapi_document(case, full_directory):
    case.call_and_validate(checks=[not_a_server_error, official_schema_conformance], headers=UNCOMPRESSED)
