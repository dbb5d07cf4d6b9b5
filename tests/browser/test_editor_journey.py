"""Charity update in a real Chromium: the Works for Us demo editor changes opening times, staff approve.

Every page the editor sees passes axe-core with zero violations, including the sign-in page and
the form with its error summary; the public page changes only once staff have approved.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_logins")]

SERVICE = "/services/works-for-us-digital-skills/"
EDIT = "/manage/services/works-for-us-digital-skills/edit/"


def test_editor_changes_opening_times_which_go_public_only_after_staff_approve(open_page, axe_js):
    def audit(page):
        assert_no_axe_violations(page, axe_js)

    editor, watch = open_page(bypass_csp=True)
    sign_in(editor, "demo-editor", audit)
    editor.wait_for_url(re.compile(r"/manage/$"))
    audit(editor)

    editor.get_by_role("link", name="Works for Us").click()
    expect(editor.locator("h1")).to_have_text("Works for Us")
    audit(editor)
    editor.goto("/manage/organisations/works-for-us/team/")
    audit(editor)
    editor.goto("/manage/organisations/works-for-us/")

    editor.get_by_role("link", name="Edit Digital skills for job-seekers").click()
    editor.wait_for_url(re.compile(re.escape(EDIT) + "$"))
    audit(editor)

    # A closing time before the opening time: the error summary, then fix it.
    first_time = editor.locator("fieldset#schedules-0")
    first_time.get_by_label("Day", exact=True).select_option(label="Tuesday")
    first_time.get_by_label("Opens at").fill("14:00")
    first_time.get_by_label("Closes at").fill("10:00")
    editor.get_by_role("button", name="Send for review").click()
    expect(editor.locator(".error-summary")).to_contain_text(
        "The closing time must be after the opening time"
    )
    audit(editor)

    first_time = editor.locator("fieldset#schedules-0")
    first_time.get_by_label("Opens at").fill("10:00")
    first_time.get_by_label("Closes at").fill("14:00")
    editor.get_by_label("Message for the reviewer").fill("We now open on Tuesdays.")
    editor.get_by_role("button", name="Send for review").click()
    editor.wait_for_url(re.compile(r"/manage/changes/\d+/$"))
    expect(editor.get_by_role("status")).to_contain_text("waiting for review")
    expect(editor.locator("table.comparison")).to_contain_text("Tuesday 10:00–14:00")
    # Only the opening times changed: text areas sent back with CRLF line ends are not a change.
    expect(editor.locator("table.comparison tbody tr")).to_have_count(1)
    audit(editor)

    # Still the approved version in public, and MK Innovates is out of reach.
    editor.goto(SERVICE)
    expect(editor.locator(".not-listed")).to_contain_text("opening times")
    assert "Tuesday 10:00" not in editor.content()
    for address in (
        "/manage/organisations/mk-innovates/",
        "/manage/services/mk-innovates-stem-festival-2025/edit/",
    ):
        assert editor.goto(address).status == 404
    watch.failures.clear()  # the two 404s above were the point

    staff, staff_watch = open_page(bypass_csp=True)
    staff.goto("/admin/login/")
    staff.get_by_label("Username").fill("demo-staff")
    staff.get_by_label("Password").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.goto("/admin/editing/revision/?status__exact=pending")
    staff.get_by_role("link", name="Digital skills for job-seekers").click()
    expect(staff.locator("table.comparison")).to_contain_text("Tuesday 10:00–14:00")
    staff.get_by_role("button", name="Approve and publish").click()
    expect(staff.locator(".messagelist")).to_contain_text("Approved and published")

    editor.goto(SERVICE)
    expect(editor.locator("main")).to_contain_text("Tuesday 10:00–14:00")
    audit(editor)
    watch.assert_clean()
    staff_watch.assert_clean()
