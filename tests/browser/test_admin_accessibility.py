"""The staff admin pages used every day pass axe-core with zero violations, in a real Chromium.

Change lists, add and change forms of organisations and services (every inline with a row in it),
the list of editors' changes and the review page of one.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from initiatives.accounts.services import invitation_send
from initiatives.models import CostOption, MembershipRole
from tests.factories import (
    ContactFactory,
    DatedSessionFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    RevisionFactory,
    ScheduleFactory,
    ServiceFactory,
    UserFactory,
    editor_of,
)

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def site_url(live_server):
    """The live server with only this module's records, not the demo data."""
    return live_server.url


@pytest.fixture
def directory(transactional_db):
    """A service with a row in every inline, its organisation's editors and places, and a change to review."""
    organisation = OrganisationFactory(name="Works for Tests", slug="works-for-tests")
    hall = LocationFactory(organisation=organisation, name="Test Hall")
    service = ServiceFactory(organisation=organisation, name="CV clinic", needs=[NeedFactory()])
    service.locations.add(hall)
    ScheduleFactory(service=service, location=hall)
    DatedSessionFactory(service=service, location=hall, starts_at=timezone.now() + datetime.timedelta(days=3))
    ContactFactory(service=service, name="Front desk", email="desk@example.test")
    CostOption.objects.create(service=service, description="Lunch", amount="2.50")
    manager = editor_of(organisation, role=MembershipRole.MANAGER, first_name="Ann")
    invitation_send(organisation=organisation, email="new@example.test", role="editor", invited_by=manager)
    revision = RevisionFactory(service=service, author=manager, changes={"summary": "A new summary."})
    return {"organisation": organisation, "service": service, "revision": revision}


PAGES = [
    pytest.param("admin:initiatives_organisation_changelist", None, id="organisation-list"),
    pytest.param("admin:initiatives_organisation_add", None, id="organisation-add"),
    pytest.param("admin:initiatives_organisation_change", "organisation", id="organisation-change"),
    pytest.param("admin:initiatives_service_changelist", None, id="service-list"),
    pytest.param("admin:initiatives_service_add", None, id="service-add"),
    pytest.param("admin:initiatives_service_change", "service", id="service-change"),
    pytest.param("admin:editing_revision_changelist", None, id="revision-list"),
    pytest.param("admin:editing_revision_change", "revision", id="revision-review"),
]


@pytest.fixture
def staff_page(open_page, live_server):
    """A browser page signed in as a member of staff, and its PageWatch."""
    signed_in = Client()
    signed_in.force_login(UserFactory(staff=True))
    page, watch = open_page(bypass_csp=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page, watch


@pytest.mark.parametrize("url_name, record", PAGES)
def test_an_admin_page_staff_use_daily_passes_axe(staff_page, axe_js, directory, url_name, record):
    page, watch = staff_page

    page.goto(reverse(url_name, args=[directory[record].pk] if record else []))

    expect(page.locator("#content h1")).to_be_visible()
    assert_no_axe_violations(page, axe_js)
    watch.assert_clean()


def test_rows_added_to_a_services_inlines_are_named_too(staff_page, axe_js, directory):
    page, watch = staff_page
    page.goto(reverse("admin:initiatives_service_change", args=[directory["service"].pk]))

    for add_row in page.locator(".add-row a").all():
        add_row.click()

    expect(page.locator("#schedules-1 .select2-selection")).to_have_accessible_name("Location:")
    assert_no_axe_violations(page, axe_js)
    watch.assert_clean()
