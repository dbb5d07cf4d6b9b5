"""A real Chromium (Debian's, never a downloaded one), axe-core and the live demo site for the browser tests.

Locally, a missing Chromium or axe-core skips these tests with the command that
installs it; under CI (CI=true) it fails them, so CI can never pass without them.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an event loop running in this thread, and Django
# refuses database access from a thread with a running loop. The tests and the
# live server are plain synchronous code, so the guard does not apply.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def require(path: Path, reason: str) -> None:
    """Skip (locally) or fail (under CI) unless `path` exists."""
    if path.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "Chromium not installed at /usr/bin/chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def axe_js() -> Path:
    require(AXE_JS, f"axe-core not installed at {AXE_JS}: npm ci --no-audit --no-fund")
    return AXE_JS


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
def demo_site(transactional_db, live_server, settings):
    """The live server, holding the Milton Keynes demo data; its address is the site's (MK_SITE_URL),
    which links meant to leave the page (the shared list's) start with."""
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def demo_logins(demo_site):
    """The demo site with the demo-staff and demo-editor logins (see DEMO_PASSWORD)."""
    call_command("create_demo_accounts", stdout=io.StringIO())


@pytest.fixture
def site_url(demo_site):
    """The site open_page opens pages of: the demo site, unless a test module overrides this fixture."""
    return demo_site


@pytest.fixture
def open_page(browser, site_url):
    """Open a page of the site in a new browser context (`page.context`), with a PageWatch on it.

    Pass bypass_csp=True to run axe-core: the site's CSP (script-src 'self') blocks injected scripts.
    """
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(base_url=site_url, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page, PageWatch(page, site_url)

    yield open_page
    for context in contexts:
        context.close()


def assert_no_axe_violations(page, axe_js: Path = AXE_JS) -> None:
    """Run axe-core on the page's current document and fail on any violation.

    The site's Content Security Policy forbids injected scripts, so the page's
    browser context must be opened with bypass_csp=True.
    """
    page.add_script_tag(path=str(axe_js))
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: tags});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map((n) => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    if violations:
        lines = [f"{len(violations)} axe-core violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            lines.extend(f"    {target}" for target in v["targets"])
        report = "\n".join(lines)
        print(report)
        pytest.fail(report, pytrace=False)


DEMO_PASSWORD = "mk-demo-password"  # create_demo_accounts' password for demo-staff and demo-editor


def sign_in(page, username: str, audit=None) -> None:
    """Sign in with a demo login through the sign-in page; `audit(page)` runs on the empty form."""
    page.goto("/accounts/login/")
    if audit:
        audit(page)
    page.get_by_label("Email address or username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
