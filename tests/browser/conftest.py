"""A real Chromium (Debian's, never a downloaded one) and axe-core for the browser tests.

Locally, a missing Chromium or axe-core skips these tests with the command that
installs it; under CI (CI=true) it fails them, so CI can never pass without them.
"""

import os
from pathlib import Path

import pytest

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
