import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def keep_connection_open(db):
    """Keep the test's database connection open across requests made outside the test client
    (schemathesis calls the app through WSGI).

    The test client detaches close_old_connections for the same reason: closing the connection at
    the end of a request would end the test's transaction (PostgreSQL).
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
