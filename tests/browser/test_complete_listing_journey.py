"""A complete listing in a real Chromium, from the editor's form to a resident's postcode search.

The Works for Us editor adds a new place at MK9 3XS, Monday-to-Friday hours and a charge in one
submission; demo-staff approves it from the work-to-do page; the public page shows the place and
hours, and a search near MK9 3XS lists the service first. A resident's problem report reaches
the editor's /manage/, and the admin offers no way to set a listing's publication state by hand.
Every page on the way passes axe-core, on a 390 px phone.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_logins")]

SERVICE = "/services/works-for-us-digital-skills/"
EDIT = "/manage/services/works-for-us-digital-skills/edit/"
PHONE = {"width": 390, "height": 844}


def test_a_new_place_hours_and_a_charge_go_from_one_submission_to_a_postcode_search(open_page, axe_js):
    def audit(page):
        assert_no_axe_violations(page, axe_js)

    editor, watch = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(editor, "demo-editor")
    editor.wait_for_url(re.compile(r"/manage/$"))
    editor.goto(EDIT)
    audit(editor)

    # The opening times are one link away from the top of a long form.
    editor.get_by_role("link", name="Opening times").click()
    expect(editor).to_have_url(re.compile("#section-opening-times$"))
    weekdays = editor.locator("fieldset#schedules-weekdays")
    weekdays.get_by_label("Opens").fill("09:30")
    weekdays.get_by_label("Closes").fill("16:00")

    place = editor.locator("fieldset#new_places-0")
    place.get_by_label("Name of the place").fill("Central Library hub")
    place.get_by_label("Address").fill("555 Silbury Boulevard")
    place.get_by_label("Postcode").fill("mk9 3xs")
    place.get_by_label("Access").fill("Step-free entrance and a hearing loop.")

    charge = editor.locator("fieldset#cost_options-0")
    charge.get_by_label("What it is for").fill("Six-week course")
    charge.get_by_label("Amount").fill("25")
    charge.get_by_label("Lower prices").fill("£5 for people on Universal Credit")
    editor.get_by_role("button", name="Send for review").click()
    # The browser keeps the #fragment of the contents link through the redirect.
    editor.wait_for_url(re.compile(r"/manage/changes/\d+/(#[\w-]+)?$"))
    comparison = editor.locator("table.comparison")
    expect(comparison).to_contain_text("Central Library hub, 555 Silbury Boulevard, Milton Keynes, MK9 3XS")
    expect(comparison).to_contain_text("Friday 09:30–16:00")
    expect(comparison).to_contain_text("Six-week course: £25.00")
    audit(editor)

    editor.goto(SERVICE)
    assert "Central Library hub" not in editor.content()

    staff, staff_watch = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(staff, "demo-staff")
    staff.wait_for_url(re.compile(r"/manage/work-to-do/$"))
    audit(staff)
    waiting = staff.locator("form#approve-changes")
    waiting.get_by_role("checkbox", name=re.compile("Digital skills for job-seekers")).check()
    waiting.get_by_role("button", name="Approve selected").click()
    expect(staff.get_by_role("status")).to_contain_text("approved")

    editor.goto(SERVICE)
    main = editor.locator("main")
    expect(main).to_contain_text("Central Library hub")
    expect(main).to_contain_text("Monday 09:30–16:00")
    expect(main).to_contain_text("Friday 09:30–16:00")
    expect(main).to_contain_text("£25.00 (£5 for people on Universal Credit)")
    audit(editor)

    editor.goto("/services/?postcode=MK9+3XS")
    expect(editor.locator("#results li.card h3").first).to_have_text("Digital skills for job-seekers")

    watch.assert_clean()
    staff_watch.assert_clean()


def test_a_resident_s_problem_report_reaches_the_editor_s_manage_pages(open_page, axe_js):
    resident, _ = open_page(viewport=PHONE)
    resident.goto(SERVICE + "report-a-problem/")
    resident.get_by_label(re.compile("What is wrong")).fill("The phone number on this page no longer works.")
    resident.get_by_role("button", name=re.compile("Send")).click()
    expect(resident.locator("main")).to_contain_text("Thank you")

    editor, watch = open_page(viewport=PHONE, bypass_csp=True)
    sign_in(editor, "demo-editor")
    editor.wait_for_url(re.compile(r"/manage/$"))
    expect(editor.locator("main")).to_contain_text("1 open problem report to check")
    editor.get_by_role("link", name=re.compile("problem report")).first.click()
    expect(editor.locator("main")).to_contain_text("The phone number on this page no longer works.")
    assert_no_axe_violations(editor, axe_js)
    watch.assert_clean()


def test_the_admin_offers_no_way_to_set_publication_state_by_hand(open_page):
    staff, _ = open_page()
    sign_in(staff, "demo-staff")
    staff.goto("/admin/initiatives/service/")
    staff.get_by_role("link", name="Digital skills for job-seekers").click()

    expect(staff.locator("#service_form")).to_be_visible()
    expect(staff.locator("[name=publication_state]")).to_have_count(0)
    # The state changes only through the audited buttons.
    expect(staff.locator("form.publication-buttons")).to_contain_text("Withdraw from the site")
