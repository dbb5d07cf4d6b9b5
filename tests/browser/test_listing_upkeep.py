"""Keeping listings right, in a real Chromium: report a problem, confirm "still correct", images.

Every page passes axe-core with zero violations, including the report form's error summary, and
both forms work with JavaScript off.
"""

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from initiatives.feedback.models import ProblemReport
from initiatives.images import validate_and_process_image
from initiatives.models import AuditEntry
from tests.factories import MembershipFactory, OrganisationFactory, ServiceFactory
from tests.helpers.image_files import upload

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


def picture(size, mode="RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size, (0, 89, 79, 255)[: len(mode)]).save(output, "PNG")
    return output.getvalue()


@pytest.fixture
def listings(transactional_db):
    """A published organisation with a logo, and a service with a photo that is due for a check."""
    organisation = OrganisationFactory(
        name="Works for Tests",
        slug="works-for-tests",
        logo=validate_and_process_image(upload("logo.png", picture((800, 400), "RGBA")), size="logo"),
    )
    service = ServiceFactory(
        organisation=organisation,
        name="CV clinic",
        slug="cv-clinic",
        photo=validate_and_process_image(upload("photo.png", picture((1600, 900)))),
        photo_alt="A volunteer helping a man with his CV at a laptop",
        review_due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    return organisation, service


@pytest.fixture
def site_url(live_server):
    """The live server with only this module's listings, not the demo data."""
    return live_server.url


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_resident_reports_a_problem_from_a_service_page(
    open_page, axe_js, live_server, listings, javascript
):
    _, service = listings
    page, watch = open_page(bypass_csp=True, java_script_enabled=javascript)

    def audit():
        if javascript:
            assert_no_axe_violations(page, axe_js)

    page.goto(f"/services/{service.slug}/")
    expect(page.get_by_role("img", name="A volunteer helping a man with his CV at a laptop")).to_be_visible()
    audit()

    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(r"/report-a-problem/$"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    audit()

    page.get_by_role("link", name=re.compile("Say what is wrong")).click()
    page.get_by_label("What is wrong?").fill("The opening times on this page are wrong.")
    page.get_by_label("Your email address").fill("resident@example.test")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(r"/report-a-problem/sent/$"))
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    audit()

    assert watch.third_party == []
    assert watch.failures == [f"400 {live_server.url}/services/{service.slug}/report-a-problem/"]
    report = ProblemReport.objects.get()
    assert (report.service, report.contact_email) == (service, "resident@example.test")


def test_the_organisation_page_with_its_logo_passes_axe(open_page, axe_js, listings):
    organisation, _ = listings
    page, watch = open_page(bypass_csp=True)

    page.goto(f"/organisations/{organisation.slug}/")
    expect(page.locator("img.listing-logo")).to_be_visible()
    assert_no_axe_violations(page, axe_js)
    watch.assert_clean()


def test_an_editor_confirms_a_listing_is_still_correct_from_the_manage_page(
    open_page, axe_js, live_server, listings
):
    organisation, service = listings
    editor = MembershipFactory(organisation=organisation).user
    signed_in = Client()
    signed_in.force_login(editor)
    page, watch = open_page(bypass_csp=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"/manage/organisations/{organisation.slug}/")
    still_correct_button = page.get_by_role("button", name=f"Still correct for {service.name}")
    assert_no_axe_violations(page, axe_js)
    still_correct_button.click()
    expect(page.get_by_role("status")).to_contain_text("is marked as checked today")
    assert_no_axe_violations(page, axe_js)

    page.goto(f"/manage/services/{service.slug}/still-correct/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Is “{service.name}” still correct?")
    assert_no_axe_violations(page, axe_js)
    page.get_by_role("button", name="Yes, it is still correct").click()
    expect(page.get_by_role("status")).to_contain_text("is marked as checked today")

    watch.assert_clean()
    service.refresh_from_db()
    # The site's date in Milton Keynes, not the machine's (UTC): they differ after 23:00 UTC in summer.
    assert service.last_verified_on == timezone.localdate()
    assert AuditEntry.objects.filter(actor=editor, action="verify").count() == 2
