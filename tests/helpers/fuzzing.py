"""Hypothesis settings shared by the fuzz tests."""

from hypothesis import HealthCheck, settings


def reproducible(examples: int):
    """`examples` cases per test, the same ones on every run (so a failure can be reproduced), with
    no time limit and no health checks (the cases call the whole app, database included)."""
    return settings(
        max_examples=examples, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )


# Schemathesis's WSGI transport does not undo gzip, as any HTTP client would; the API's kept pages are
# gzipped for clients that ask (tests/test_page_cache.py), so the fuzz tests ask for none.
UNCOMPRESSED = {"Accept-Encoding": "identity"}
