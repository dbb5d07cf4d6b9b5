from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_directory(django_db_setup, django_db_blocker):
    """The demo data, loaded once for a module by the project's loader and rolled back after it.

    Each test still runs in its own savepoint (the `db` fixture), so what a test writes is undone
    before the next one, and no other module ever sees the demo rows.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
