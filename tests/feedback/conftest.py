import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Each test starts with no reports counted against its address."""
    cache.clear()
    yield
    cache.clear()
