"""`manage.py create_demo_accounts`: two local logins, refused wherever demo accounts are not allowed."""

import importlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from initiatives.models import MembershipRole
from tests.factories import OrganisationFactory


@pytest.fixture
def works_for_us(db):
    return OrganisationFactory(name="Works for Us", slug="works-for-us")


def test_it_creates_a_staff_login_and_a_works_for_us_manager_and_prints_them(works_for_us):
    out = io.StringIO()

    call_command("create_demo_accounts", stdout=out)
    call_command("create_demo_accounts", stdout=io.StringIO())  # again: nothing doubles

    users = get_user_model().objects
    staff, editor = users.get(username="demo-staff"), users.get(username="demo-editor")
    assert staff.is_staff and staff.check_password("mk-demo-password")
    assert not editor.is_staff and not editor.is_superuser and editor.check_password("mk-demo-password")
    assert list(editor.memberships.values_list("organisation__slug", "role")) == [
        ("works-for-us", MembershipRole.MANAGER)
    ]
    assert "demo-staff / mk-demo-password" in out.getvalue()
    assert "demo-editor / mk-demo-password" in out.getvalue()


def test_it_refuses_where_demo_accounts_are_not_allowed(works_for_us, settings):
    settings.ALLOW_DEMO_ACCOUNTS = False

    with pytest.raises(CommandError, match="local use only"):
        call_command("create_demo_accounts", stdout=io.StringIO())

    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_production_settings_never_allow_them(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.org")
    monkeypatch.setenv("MK_ALLOW_LOCAL_CACHE", "true")

    production = importlib.import_module("mkdirectory.settings.prod")

    assert production.ALLOW_DEMO_ACCOUNTS is False
