"""Find help step by step in a real Chromium, on the demo data: home → what you need → about you →
results → save to my list → my list (printed to A4) → its share link in another browser.

With JavaScript on, every page must pass axe-core with zero violations, including the pages that
show errors; with JavaScript off, the whole journey must work the same.
"""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from .conftest import PageWatch, assert_no_axe_violations

pytestmark = pytest.mark.browser

RESULT_LINKS = '#results a[href^="/services/"]:not([href^="/services/?"])'


def assert_clean(watch: PageWatch) -> None:
    """No server error, nothing from another origin; 400s only where we made mistakes on purpose."""
    unexpected = [f for f in watch.failures if not re.match(r"400 \S+[?&]answered=yes", f)]
    assert unexpected == [], "responses that failed"
    assert watch.third_party == [], "requests to another origin"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def walk_guided_journey(page, audit, *, with_mistakes: bool) -> str:
    """Home to results, answering every question; return the name of the first service shown."""
    page.goto("/")
    audit(page)
    page.get_by_role("link", name="Find help step by step").click()
    page.wait_for_url(re.compile(r"/find/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you need help with?")
    audit(page)

    if with_mistakes:
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".error-summary")).to_contain_text(
            "Choose at least one thing you need help with."
        )
        audit(page)

    page.get_by_label("Find work").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/find/about-you/\?need=find-work$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    audit(page)

    if with_mistakes:
        page.get_by_label("How old are you?").fill("thirty")
        page.get_by_label("What is your postcode?").fill("SW1A 1AA")
        page.get_by_role("button", name="Show services").click()
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text("Enter an age in whole years")
        expect(summary).to_contain_text("outside the area we cover")
        audit(page)
        summary.get_by_role("link", name=re.compile("Enter an age")).click()
        expect(page.get_by_label("How old are you?")).to_be_focused()

    page.get_by_label("How old are you?").fill("30")
    page.get_by_label("People out of work").check()
    page.get_by_label("In person").check()
    page.get_by_label("What is your postcode?").fill("mk9 3ep")
    page.get_by_role("button", name="Show services").click()
    page.wait_for_url(re.compile(r"/services/\?"))
    for answer in (
        "need=find-work",
        "age=30",
        "audience=people-out-of-work",
        "mode=in_person",
        "postcode=MK9",
    ):
        assert answer in page.url, f"the results dropped {answer}: {page.url}"
    expect(page.locator(".distance-note")).to_contain_text("Places near MK9 3EP come first")
    first = page.locator(RESULT_LINKS).first
    expect(first).to_be_visible()
    expect(page.locator("#results .card").first).to_contain_text("Covers all of Milton Keynes")
    audit(page)
    return first.inner_text()


def save_print_and_share(page, audit, open_page, first_name: str, context_options: dict) -> None:
    page.locator("#results .card").first.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator(".notification")).to_contain_text(f"“{first_name}” is saved in your list.")
    assert "/services/?" in page.url, "back where the resident was"
    audit(page)

    page.get_by_role("link", name="My list").first.click()
    page.wait_for_url(re.compile(r"/my-list/$"))
    expect(page.locator(".list-entry h2")).to_have_text([first_name])
    audit(page)
    if context_options.get("java_script_enabled", True):
        page.emulate_media(media="print")
        assert pdf_pages(page.pdf(format="A4")) == 1, "a short list prints on one A4 page"
        page.emulate_media(media="screen")

    share = page.locator(".share-url a").get_attribute("href")
    expect(page.get_by_role("link", name="Send the link by email")).to_have_attribute(
        "href", re.compile(r"^mailto:\?.*" + re.escape(quote(share, safe="")))
    )
    other, _ = open_page(**context_options)  # another browser: no cookies, no session
    other.goto(share)
    expect(other.get_by_role("heading", level=1)).to_have_text("A shared list of services")
    expect(other.locator(".list-entry h2")).to_have_text([first_name])
    audit(other)


def test_guided_journey_passes_axe_on_every_step(open_page, axe_js):
    options = {"bypass_csp": True}  # the site's CSP would block the injected axe-core
    page, watch = open_page(**options)

    def audit(p):
        assert_no_axe_violations(p, axe_js)

    first = walk_guided_journey(page, audit, with_mistakes=True)

    page.go_back()  # to the last About you page: the one that showed the mistakes
    page.wait_for_url(re.compile(r"/find/about-you/\?need=find-work&"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.go_forward()
    page.wait_for_url(re.compile(r"/services/\?"))

    save_print_and_share(page, audit, open_page, first, options)
    assert_clean(watch)


def test_guided_journey_works_without_javascript(open_page):
    options = {"java_script_enabled": False}
    page, watch = open_page(**options)

    first = walk_guided_journey(page, lambda p: None, with_mistakes=True)
    save_print_and_share(page, lambda p: None, open_page, first, options)

    assert_clean(watch)
