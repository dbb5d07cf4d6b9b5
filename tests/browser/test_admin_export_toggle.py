"""On the staff CSV export page, "Select all" ticks and clears every column, under the site's CSP.

django-import-export wires the box with an inline onchange attribute, which the CSP blocks; ours
listens from a script file (static/js/admin-export-select-all.js). The page is opened with the CSP
enforced, and the browser must report no violation of it.
"""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def site_url(live_server):
    """The live server with only this module's records, not the demo data."""
    return live_server.url


@pytest.fixture
def export_page(open_page, live_server, transactional_db):
    """The service export page, signed in as staff, with every console message it logs."""
    ServiceFactory(name="Job club")
    signed_in = Client()
    signed_in.force_login(UserFactory(staff=True))
    page, watch = open_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.goto(reverse("admin:initiatives_service_export"))
    return page, watch, messages


def test_select_all_clears_and_ticks_every_column(export_page):
    page, watch, messages = export_page
    # The page offers several files (services, and their contacts, charges, hours and sessions),
    # each with its own columns and "Select all"; the services file is shown first.
    services = page.locator('.selectable-field-export-row[resource-index="0"]')
    select_all = services.locator(".select-toggle")
    columns = services.locator('input[type="checkbox"]:not(.select-toggle)')
    other_files = page.locator(
        '.selectable-field-export-row:not([resource-index="0"]) input[type="checkbox"]'
    )
    expect(columns.first).to_be_checked()
    count = columns.count()
    assert count > 10, "the service export offers every column"

    select_all.uncheck()
    assert [columns.nth(i).is_checked() for i in range(count)] == [False] * count

    assert other_files.count() > 0 and all(
        other_files.nth(i).is_checked() for i in range(other_files.count())
    )

    select_all.check()
    assert [columns.nth(i).is_checked() for i in range(count)] == [True] * count
    expect(services.get_by_label("Select all")).to_be_checked()  # the label names its box

    assert [message for message in messages if "Content Security Policy" in message] == []
    watch.assert_clean()
