"""Need → support in a real Chromium: home → need → filtered list → service page.

Each page must pass axe-core with zero violations, make no request to another
origin and no server error, and the whole journey must work with JavaScript off.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser

RESULT_LINKS = '#results a[href^="/services/"]:not([href^="/services/?"])'


def walk_need_to_service(page, audit) -> None:
    """Follow journey 1 from the home page to a service page, auditing each page."""
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    audit(page)

    need_link = page.locator('a[href^="/needs/"]').filter(has_text=re.compile(r"\bfind work\b", re.I))
    need_link.first.click()
    page.wait_for_url(re.compile(r"/needs/[\w-]+/$"))
    expect(page.locator("h1")).to_be_visible()
    audit(page)

    page.locator('a[href^="/services/?need="]').first.click()
    page.wait_for_url(re.compile(r"/services/\?(.*&)?need="))
    expect(page.locator(RESULT_LINKS).first).to_be_visible()
    audit(page)

    filters = page.locator("form#filters")
    filters.locator("details.filter-panel > summary").click()  # folded away, results first
    filters.locator('input[type="checkbox"][name="mode"][value="in_person"]').check()
    filters.locator('button[type="submit"]').first.click()
    page.wait_for_url(re.compile(r"[?&]mode=in_person(&|$)"))
    assert re.search(r"[?&]need=", page.url), f"the need filter was dropped: {page.url}"
    results = page.locator(RESULT_LINKS)
    expect(results.first).to_be_visible()
    audit(page)

    results.first.click()
    page.wait_for_url(re.compile(r"/services/[\w-]+/$"))
    expect(page.locator("h1")).to_be_visible()
    audit(page)


def test_need_to_service_journey_passes_axe_on_every_page(open_page, axe_js):
    # The site's CSP (script-src 'self') would block the injected axe-core.
    page, watch = open_page(bypass_csp=True)

    walk_need_to_service(page, lambda p: assert_no_axe_violations(p, axe_js))

    watch.assert_clean()


def test_need_to_service_journey_works_without_javascript(open_page):
    page, watch = open_page(java_script_enabled=False)

    walk_need_to_service(page, lambda p: None)

    watch.assert_clean()
