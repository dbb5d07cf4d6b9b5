"""A resident sends Works for Us an enquiry in a real Chromium: the form, its error state and the
thank-you page pass axe-core, and the editor then finds the enquiry in /manage/enquiries/.
"""

import re

import pytest
from playwright.sync_api import expect

from initiatives.enquiries.models import Enquiry
from initiatives.models import Organisation
from tests.factories import MembershipFactory

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser

SERVICE_PAGE = "/services/works-for-us-digital-skills/"


def test_enquiry_form_and_its_error_state_pass_axe(open_page, axe_js):
    page = open_page(bypass_csp=True)[0]
    page.goto(SERVICE_PAGE)
    page.get_by_role("link", name="Send a message").click()
    expect(page.locator("h1")).to_have_text("Send a message to Works for Us")
    assert_no_axe_violations(page, axe_js)

    page.get_by_role("button", name="Send message").click()  # nothing filled in
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter your name")
    expect(summary).to_contain_text("Tick the box to agree")
    assert page.title().startswith("Error:")
    assert page.get_by_label("Your name").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page, axe_js)

    summary.get_by_role("link", name="Enter your name").click()
    expect(page.get_by_label("Your name")).to_be_focused()


def test_resident_sends_an_enquiry_without_javascript_and_the_editor_sees_it(open_page, live_server):
    page = open_page(java_script_enabled=False)[0]
    page.goto(SERVICE_PAGE)
    page.get_by_role("link", name="Send a message").click()
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Email address (optional)").fill("sam@example.test")
    page.get_by_label("Your message").fill("Could you help me apply for jobs online?")
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("h1")).to_have_text("Your message has been sent")

    enquiry = Enquiry.objects.get()
    assert enquiry.service.organisation.slug == "works-for-us"

    editor = MembershipFactory(organisation=Organisation.objects.get(slug="works-for-us")).user
    outsider = MembershipFactory(organisation=Organisation.objects.get(slug="mk-innovates")).user
    for user, sees_it in ((editor, True), (outsider, False)):
        context_page = open_page(java_script_enabled=False)[0]
        _sign_in(context_page, user, live_server)
        context_page.goto("/manage/enquiries/")
        assert ("Sam Resident" in context_page.content()) is sees_it
        response = context_page.goto(f"/manage/enquiries/{enquiry.pk}/")
        assert response.status == (200 if sees_it else 404)


def test_editor_pages_pass_axe(open_page, axe_js, live_server):
    from tests.factories import EnquiryFactory

    works_for_us = Organisation.objects.get(slug="works-for-us")
    enquiry = EnquiryFactory(service=works_for_us.services.first())
    editor = MembershipFactory(organisation=works_for_us).user
    page = open_page(bypass_csp=True)[0]
    _sign_in(page, editor, live_server)
    page.goto("/manage/enquiries/")
    assert_no_axe_violations(page, axe_js)
    page.goto(f"/manage/enquiries/{enquiry.pk}/")
    page.get_by_label("Closed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Enquiry updated")
    assert_no_axe_violations(page, axe_js)


def _sign_in(page, user, live_server):
    """Give the browser a session cookie for the user, as signing in would."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
