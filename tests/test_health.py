"""`/healthz`: a load balancer learns whether this server can answer, and nothing more."""

import json
import runpy
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db

ALL_WELL = {"status": "ok", "database": "ok", "cache": "ok"}


def test_a_healthy_server_answers_200_with_a_short_report(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == ALL_WELL


def test_a_head_request_is_answered_too(client):
    assert client.head("/healthz").status_code == 200


def test_a_database_that_is_down_gives_503_naming_it_and_no_details(client):
    error = OperationalError('connection to server at "db.internal" failed: password authentication')
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert b"db.internal" not in response.content


def test_a_cache_that_is_down_gives_503_naming_it(client):
    with mock.patch.object(caches["default"], "set", side_effect=ConnectionError("Redis refused")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


def test_a_cache_that_keeps_nothing_is_unavailable(client, settings):
    """A cache that loses what it is given would let every rate limit through: not healthy."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "unavailable"


def test_it_leaves_nothing_behind_in_the_cache(client):
    cache = caches["default"]
    with mock.patch.object(cache, "set", wraps=cache.set) as cache_set:
        client.get("/healthz")

    [key] = [call.args[0] for call in cache_set.call_args_list]
    assert cache.get(key) is None


def test_it_sets_no_cookie_and_is_never_stored(client):
    response = client.get("/healthz")

    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_reads(client, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_it_still_checks_the_host_header(client):
    assert client.get("/healthz", HTTP_HOST="not-this-site.example").status_code == 400


@pytest.fixture
def production_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.org")
    monkeypatch.setenv("MK_ALLOW_LOCAL_CACHE", "true")
    monkeypatch.delenv("DJANGO_SECURE_SSL_REDIRECT", raising=False)
    return runpy.run_module("mkdirectory.settings.prod")


def test_a_plain_http_probe_is_not_redirected_to_https_in_production(client, settings, production_settings):
    settings.SECURE_SSL_REDIRECT = production_settings["SECURE_SSL_REDIRECT"]
    settings.SECURE_REDIRECT_EXEMPT = production_settings["SECURE_REDIRECT_EXEMPT"]

    assert client.get("/").status_code == 301, "every other page still goes to HTTPS"
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == ALL_WELL
