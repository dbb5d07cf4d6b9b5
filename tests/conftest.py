import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_in_memory(settings):
    """Uploaded files never touch the developer's disk during tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no option counts or rate-limit counts from another test."""
    cache.clear()
