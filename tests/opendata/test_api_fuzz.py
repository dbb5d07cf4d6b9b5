"""The API under fuzzing: schemathesis generates requests from /api/openapi.json, valid and invalid,
and calls the app in-process through WSGI (no network). No response may be a server error, and every
response must match the document: its status codes, content types and schemas.
"""

import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers.fuzzing import UNCOMPRESSED, reproducible

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 60


# Reading the document touches no database, so it can be loaded when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture
def demo_data(keep_connection_open):
    """The demo directory."""
    call_command("load_demo", stdout=io.StringIO())


@schema.parametrize()
@reproducible(EXAMPLES_PER_OPERATION)
def test_api_satisfies_its_own_openapi_document(case, demo_data):
    case.call_and_validate(checks=CHECKS, headers=UNCOMPRESSED)
