"""One cache for every worker and server (REDIS_URL): production insists on it unless told, and the
rate limits and the directory's change counter live in it, so a restart or another process sees
the same counts. The Redis tests use the machine's Redis at 127.0.0.1:6379 (database 15) under
a key prefix of their own, and remove their keys afterwards."""

import os
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from initiatives.caching import cached
from initiatives.ratelimit import rate_limit_hit
from initiatives.shared_cache import ChangeFeed, ForgivingRedisCache
from tests.factories import ServiceFactory
from tests.helpers.services import require_service

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/15"


def _production_caches(**environment) -> subprocess.CompletedProcess:
    """Load the production settings in a new process, as a server starting would, and print its cache."""
    env = {
        **{
            name: value
            for name, value in os.environ.items()
            if name not in {"REDIS_URL", "MK_ALLOW_LOCAL_CACHE"}
        },
        "DJANGO_SETTINGS_MODULE": "mkdirectory.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),
        "DJANGO_ALLOWED_HOSTS": "directory.example",
        **environment,
    }
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_with_a_per_process_cache():
    started = _production_caches()

    assert started.returncode != 0
    assert "Set REDIS_URL" in started.stderr
    assert "MK_ALLOW_LOCAL_CACHE=true" in started.stderr


def test_production_runs_on_local_memory_only_when_told_to():
    started = _production_caches(MK_ALLOW_LOCAL_CACHE="true")

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_the_redis_cache():
    started = _production_caches(REDIS_URL=REDIS_URL)

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "initiatives.shared_cache.ForgivingRedisCache"


@pytest.fixture
def redis_cache(settings):
    """The site's cache on the machine's Redis, as REDIS_URL gives it, under a prefix of this test's."""
    require_service("Redis", "127.0.0.1", 6379)
    prefix = f"mk-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "initiatives.shared_cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def _restart_the_process() -> None:
    """Forget this process's cache connection and everything it held, as a restarted worker has."""
    del caches["default"]


def test_a_restart_does_not_reset_the_enquiry_limit(redis_cache, settings):
    settings.ENQUIRY_RATE_LIMIT = 3
    request = RequestFactory().post("/contact/", REMOTE_ADDR="203.0.113.7")
    over = [rate_limit_hit(request, scope="enquiry") for _ in range(3)]
    _restart_the_process()

    assert over == [False, False, False]
    assert rate_limit_hit(request, scope="enquiry") is True


def test_a_change_reaches_the_cached_answers_of_every_process(redis_cache, db):
    answers = iter(["before the change", "after the change"])
    assert cached("test:answer", lambda: next(answers)) == "before the change"
    _restart_the_process()
    assert cached("test:answer", lambda: next(answers)) == "before the change"  # shared, not recomputed

    ServiceFactory()  # a write in "another process"
    _restart_the_process()

    assert cached("test:answer", lambda: next(answers)) == "after the change"


@pytest.fixture
def unreachable_redis(settings):
    """The site's cache pointed at a port where nothing listens (1), as when Redis is down."""
    settings.CACHES = {
        "default": {
            "BACKEND": "initiatives.shared_cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_pages_and_searches_are_served_while_redis_is_down(unreachable_redis, client, db):
    service = ServiceFactory(name="Digital skills drop-in")

    for address in ["/", "/services/", "/services/?q=digital", service.get_absolute_url(), "/api/services"]:
        assert client.get(address).status_code == 200, address


def test_a_change_is_saved_while_redis_is_down(unreachable_redis, staff_client):
    service = ServiceFactory(name="Old name")

    service.name = "New name"
    service.save()  # moves the change counter on: Redis refuses, the write stands

    assert staff_client.get(service.get_absolute_url()).context["service"].name == "New name"


def test_the_health_check_says_the_cache_is_down(unreachable_redis, client, db):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert "cache" in response.content.decode().lower()


# The change counter, announced to every process ---------------------------------------------------


@pytest.fixture
def announcements_only(monkeypatch):
    """No once-a-second re-read of the counter: a change can be seen only through its announcement."""
    monkeypatch.setattr(ChangeFeed, "RECHECK_SECONDS", 3600)


def _another_process(settings) -> ForgivingRedisCache:
    """The site's cache as another worker or server holds it: a connection and subscription of its own."""
    params = settings.CACHES["default"]
    return ForgivingRedisCache(params["LOCATION"], {"KEY_PREFIX": params["KEY_PREFIX"]})


def _seen_within_a_second(read, expected) -> bool:
    """Whether `read()` gives `expected` within a second: an announcement crosses a socket."""
    deadline = time.monotonic() + 1
    while read() != expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return read() == expected


def test_a_change_in_another_process_is_announced(redis_cache, settings, announcements_only):
    here, there = caches["default"], _another_process(settings)
    before = here.counter("test:counter")

    there.bump_counter("test:counter")

    assert _seen_within_a_second(lambda: here.counter("test:counter"), before + 1)


def test_a_change_in_this_process_is_seen_at_once(redis_cache, announcements_only):
    here = caches["default"]
    before = here.counter("test:counter")

    here.bump_counter("test:counter")

    assert here.counter("test:counter") == before + 1


def test_a_lost_subscription_never_leaves_an_old_counter(redis_cache, settings, announcements_only):
    import redis

    here, there = caches["default"], _another_process(settings)
    before = here.counter("test:counter")
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_type="pubsub")  # as when a connection drops

    there.bump_counter("test:counter")

    # Unknown (pages drawn afresh) while the subscription is opened again, then the new number.
    assert here.counter("test:counter") in {None, before + 1}
    assert _seen_within_a_second(lambda: here.counter("test:counter"), before + 1)


def test_an_emptied_redis_never_hands_out_a_number_used_before(redis_cache, settings):
    import redis

    here = caches["default"]
    here.bump_counter("test:counter")
    used = here.counter("test:counter")
    for key in redis.Redis.from_url(REDIS_URL).scan_iter(
        match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"
    ):
        redis.Redis.from_url(REDIS_URL).delete(key)  # emptied, as a restarted Redis that keeps nothing

    here.bump_counter("test:counter")

    assert here.counter("test:counter") > used


def test_a_change_made_by_another_process_shows_on_the_next_page(redis_cache, announcements_only, client, db):
    ServiceFactory(name="Digital skills drop-in")
    client.get("/services/")
    this_process = caches["default"]

    del caches["default"]  # the write below is made, and announced, by another process's cache
    ServiceFactory(name="Debt advice line")
    caches["default"] = this_process

    assert _seen_within_a_second(
        lambda: "Debt advice line" in client.get("/services/").content.decode(), True
    )


def test_a_kept_page_is_served_without_asking_redis(redis_cache, client, db, monkeypatch):
    ServiceFactory(name="Digital skills drop-in")
    first = client.get("/services/")
    asked = []
    monkeypatch.setattr(ForgivingRedisCache, "get", lambda *args, **kwargs: asked.append(args))

    again = client.get("/services/")

    assert again.content == first.content
    assert asked == []
