import pytest


@pytest.fixture(autouse=True)
def _media_in_memory(settings):
    """Uploaded files never touch the developer's disk during tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
