"""The local picture in a real Chromium: an indicator page with its chart and a need page pass axe-core.

Uses the demo data, loaded into the live server by the demo_site fixture (conftest.py).
"""

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading", "must_show"),
    [
        pytest.param(
            "/indicators/earnings-growth-2021-2024/",
            "Growth in average annual earnings, 2021 to 2024",
            "Lower than United Kingdom (21.6%): worse, because a higher figure is better.",
            id="indicator-with-chart",
        ),
        pytest.param(
            "/indicators/unemployment-rate/",
            "Unemployment rate",
            "Lower than the England average, according to the source",
            id="indicator-as-stated",
        ),
        pytest.param(
            "/needs/find-work/",
            "Find work",
            "The picture in Milton Keynes",
            id="need",
        ),
        pytest.param(
            "/indicators/", "The local picture", "Other figures in the news and in reports", id="list"
        ),
    ],
)
def test_local_picture_pages_pass_axe(open_page, axe_js, path, heading, must_show):
    page, watch = open_page(bypass_csp=True)

    page.goto(path)

    expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_text(must_show).first).to_be_visible()
    assert_no_axe_violations(page, axe_js)
    watch.assert_clean()


def test_chart_is_one_labelled_image_and_draws_without_javascript(open_page):
    page, watch = open_page(java_script_enabled=False)

    page.goto("/indicators/earnings-growth-2021-2024/")

    chart = page.get_by_role("img", name="Growth in average annual earnings, 2021 to 2024: Milton Keynes")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 50
    assert page.locator("svg.chart-svg path.mark").count() == 2
    watch.assert_clean()
