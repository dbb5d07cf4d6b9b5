"""Need → support in a real Chromium: home → need → filtered list → service page.

Each page must pass axe-core with zero violations, make no request to another
origin and no server error, and the whole journey must work with JavaScript off.
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser

RESULT_LINKS = '#results a[href^="/services/"]:not([href^="/services/?"])'


class PageWatch:
    """Record what a page asks for that the journey must never see."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.third_party: list[str] = []
        self.failures: list[str] = []
        page.on("request", self.on_request)
        page.on("response", self.on_response)

    def on_request(self, request):
        url = request.url
        if not url.startswith((self.origin + "/", "data:", "blob:", "about:")):
            self.third_party.append(url)

    def on_response(self, response):
        is_page = response.request.resource_type == "document"
        if response.status >= 500 or (is_page and response.status >= 400):
            self.failures.append(f"{response.status} {response.url}")

    def assert_clean(self):
        assert self.failures == [], "responses that failed"
        assert self.third_party == [], "requests to another origin"


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The live server, holding the Milton Keynes demo data."""
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def open_page(browser, demo_site):
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(base_url=demo_site, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page, PageWatch(page, demo_site)

    yield open_page
    for context in contexts:
        context.close()


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
