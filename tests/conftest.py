import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

from initiatives.caching import bump_generation
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_in_memory(settings):
    """Uploaded files never touch the developer's disk during tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@receiver(setting_changed)
def _pages_follow_the_settings(**kwargs):
    """A setting a test changes shows on the next page, as it would on a server restarted with it:
    kept pages and counts are drawn afresh."""
    bump_generation()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no option counts or rate-limit counts from another test."""
    cache.clear()


@pytest.fixture
def pages_drawn_afresh(settings):
    """No whole page kept for visitors without a session: for tests that read a view's context
    (`response.context`), which only a page drawn for the request has."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def staff_user(db):
    """A member of staff with every permission (a superuser), not signed in."""
    return UserFactory(staff=True, username="staff-member")


@pytest.fixture
def staff_client(client, staff_user):
    """The test client, signed in as `staff_user`."""
    client.force_login(staff_user)
    return client


@pytest.fixture
def freeze_today(time_machine):
    """Call with a date to stop the clock at noon that day in Milton Keynes, far from either midnight."""

    def freeze_today(day: datetime.date) -> None:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))
        time_machine.move_to(noon, tick=False)

    return freeze_today
