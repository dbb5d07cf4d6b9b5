"""Indicator charts: server-drawn SVG with a generated summary, one mark per value, no script."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings

from indicators.charts import MIN_LABEL_PX, nice_step, value_ticks
from indicators.choices import AreaKind, ComparisonRelation, Polarity, ValueType
from indicators.models import StatedComparison
from tests.factories import AreaFactory, DataPointFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def chart_of(client, indicator) -> str:
    page = client.get(indicator.get_absolute_url()).content.decode()
    match = re.search(r'<figure class="chart">.*?</figure>', page, re.S)
    assert match, "the page has a chart"
    return match.group(0)


def svg_of(chart: str) -> str:
    return re.search(r'<svg class="chart-svg".*?</svg>', chart, re.S).group(0)


def widest_screen_without_the_chart() -> float:
    """The max-width, in CSS px, of the media query in site.css that hides the chart on phones."""
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    match = re.search(
        r"@media \(max-width: ([\d.]+)(rem|px)\) \{[^{}]*\.chart-svg[^{}]*\{\s*display: none;", css
    )
    assert match, "site.css hides the chart below a width"
    width, unit = float(match.group(1)), match.group(2)
    return width * 16 if unit == "rem" else width  # a media query's rem is the browser's 16 px


@pytest.fixture
def earnings():
    """One period: Milton Keynes 17.6% against the UK's 21.6%, higher is better."""
    indicator = IndicatorFactory(
        title="Earnings growth",
        slug="earnings-growth",
        value_type=ValueType.CHANGE,
        polarity=Polarity.HIGHER_IS_BETTER,
    )
    home, uk = (
        AreaFactory(home=True),
        AreaFactory(name="United Kingdom", code="K02000001", kind=AreaKind.UNITED_KINGDOM),
    )
    for area, value in ((home, "17.6"), (uk, "21.6")):
        DataPointFactory(
            indicator=indicator,
            area=area,
            period_label="2021 to 2024",
            period_start=D(2021, 1, 1),
            period_end=D(2024, 12, 31),
            value=Decimal(value),
        )
    return indicator


@pytest.fixture
def monthly():
    """Twelve months for Milton Keynes, six with limits, and six months for a region."""
    indicator = IndicatorFactory(title="Claimant rate", slug="claimant-rate", decimal_places=1)
    home, region = (
        AreaFactory(home=True),
        AreaFactory(name="South East", code="E12000008", kind=AreaKind.REGION),
    )
    for month in range(1, 13):
        start = D(2024, month, 1)
        end = D(2024 + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        value = Decimal("4.0") + Decimal(month) / 10
        limits = {"lower_limit": value - 1, "upper_limit": value + 1} if month > 6 else {}
        DataPointFactory(
            indicator=indicator,
            area=home,
            period_label=start.strftime("%B %Y"),
            period_start=start,
            period_end=end,
            value=value,
            **limits,
        )
        if month % 2:
            DataPointFactory(
                indicator=indicator,
                area=region,
                period_label=start.strftime("%B %Y"),
                period_start=start,
                period_end=end,
                value=Decimal("3.5"),
            )
    return indicator


def test_single_period_chart_holds_the_generated_summary_and_one_mark_per_area(client, earnings):
    chart = chart_of(client, earnings)
    svg = svg_of(chart)

    summary = "Milton Keynes 17.6% in 2021 to 2024, lower than United Kingdom (21.6%), which is worse."
    assert f"<figcaption>{summary}</figcaption>" in chart
    assert re.search(rf'<desc id="chart-earnings-growth-desc">{re.escape(summary)}', svg)
    assert svg.count('class="mark"') == 2
    assert "<title>Milton Keynes, 2021 to 2024: 17.6%</title>" in svg
    assert "<title>United Kingdom, 2021 to 2024: 21.6%</title>" in svg


def test_chart_is_an_image_with_a_title_and_description(client, earnings):
    svg = svg_of(chart_of(client, earnings))

    opening = svg[: svg.index(">")]
    assert 'role="img"' in opening
    assert 'aria-labelledby="chart-earnings-growth-title chart-earnings-growth-desc"' in opening
    assert '<title id="chart-earnings-growth-title">' in svg
    assert '<desc id="chart-earnings-growth-desc">' in svg


def test_chart_has_no_script_no_inline_style_and_nothing_from_elsewhere(client, monthly):
    page = client.get(monthly.get_absolute_url()).content.decode()
    chart = chart_of(client, monthly)

    assert "<script" not in page.lower()
    assert "style=" not in chart
    assert not re.search(r"\son\w+=", chart), "no event handler attributes"
    assert not re.search(r'(href|src)="(https?:)?//', chart)


def test_time_series_draws_a_line_and_one_mark_per_value_for_each_area(client, monthly):
    svg = svg_of(chart_of(client, monthly))

    assert svg.count('class="mark"') == 12 + 6
    assert svg.count("<polyline") == 2
    assert svg.count('class="interval"') == 6, "only the values with limits have an interval"
    assert "January 2024" in svg and "December 2024" in svg, "the first and last periods are labelled"


def test_areas_differ_by_marker_shape_and_dash_pattern_as_well_as_colour(client, monthly):
    svg = svg_of(chart_of(client, monthly))

    lines = re.findall(
        r'<polyline points="[^"]*" fill="none" stroke="(#\w+)"[^>]*?(stroke-dasharray="[^"]*")?/>', svg
    )
    assert len({colour for colour, _ in lines}) == 2
    assert len({dash for _, dash in lines}) == 2
    shapes = {re.sub(r"[\d.,-]+", "", path) for path in re.findall(r'<path class="mark" d="([^"]*)"', svg)}
    assert len(shapes) == 2, "each area has its own marker shape"


def test_key_comes_before_the_chart_and_names_each_area(client, monthly):
    chart = chart_of(client, monthly)

    key = re.search(r'<ul class="chart-key".*?</ul>', chart, re.S).group(0)
    assert chart.index(key) < chart.index('<svg class="chart-svg"')
    assert "Milton Keynes" in key and "South East" in key
    assert key.count('aria-hidden="true"') == 2, "the key's swatches are decoration"


def test_table_of_values_follows_the_chart(client, monthly):
    page = client.get(monthly.get_absolute_url()).content.decode()

    assert page.index('<figure class="chart">') < page.index("<table>")


def test_table_of_values_scrolls_in_its_own_named_box_a_keyboard_can_reach(client, monthly):
    page = client.get(monthly.get_absolute_url()).content.decode()

    box = re.search(r'<div class="table-scroll[^"]*"([^>]*)>\s*<table>', page)
    assert box, "the table is wrapped, so a wide one never makes the page scroll sideways"
    assert 'role="region"' in box.group(1)
    assert 'aria-label="Table: Claimant rate by period and area"' in box.group(1)
    assert 'tabindex="0"' in box.group(1)


def test_chart_summary_repeats_the_sources_words_without_inventing_values(client):
    indicator = IndicatorFactory(title="Unemployment", slug="unemployment", decimal_places=2)
    england = AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY)
    point = DataPointFactory(
        indicator=indicator,
        area=AreaFactory(home=True),
        period_label="August 2025",
        period_start=D(2025, 8, 1),
        period_end=D(2025, 8, 31),
        value=Decimal("4.34"),
    )
    StatedComparison.objects.create(
        data_point=point, comparator=england, relation=ComparisonRelation.LOWER, wording="the England average"
    )

    chart = chart_of(client, indicator)

    summary = "Milton Keynes 4.34% in August 2025, lower than the England average, according to the source."
    assert f"<figcaption>{summary}</figcaption>" in chart
    assert svg_of(chart).count('class="mark"') == 1


def test_a_rank_only_indicator_has_no_chart_but_reads_its_rank(client):
    indicator = IndicatorFactory(title="Start-up rank", value_type=ValueType.RANK, rank_scope="UK cities")
    DataPointFactory(indicator=indicator, area=AreaFactory(home=True), value=None, rank=4, rank_out_of=63)

    page = client.get(indicator.get_absolute_url()).content.decode()

    assert '<figure class="chart">' not in page
    assert "4th of 63 UK cities" in page


@pytest.mark.parametrize("chart_fixture", ["earnings", "monthly"], ids=["dot-plot", "line-chart"])
def test_chart_labels_are_at_least_12_css_px_on_any_screen_that_shows_the_chart(
    client, request, chart_fixture
):
    svg = svg_of(chart_of(client, request.getfixturevalue(chart_fixture)))
    drawn_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    label_sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]

    narrowest_screen = widest_screen_without_the_chart() + 1
    # The page keeps a 1rem gutter each side; at 200% text that is 32 px each.
    narrowest_chart = narrowest_screen - 2 * 32
    assert widest_screen_without_the_chart() >= 320, "a 320 px phone gets the table instead"
    assert label_sizes, "the labels' size is set on the chart"
    assert min(label_sizes) * narrowest_chart / drawn_width >= MIN_LABEL_PX


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        pytest.param(17.6, 21.6, (0, 25, [0, 5, 10, 15, 20, 25]), id="percent"),
        pytest.param(4.34, 4.34, (0, 5, [0, 1, 2, 3, 4, 5]), id="one-value"),
        pytest.param(-2.5, 3.0, (-4, 4, [-4, -2, 0, 2, 4]), id="negative-change"),
        pytest.param(8000, 8000, (0, 8000, [0, 2000, 4000, 6000, 8000]), id="count"),
    ],
)
def test_value_axis_starts_at_zero_and_uses_round_ticks(low, high, expected):
    start, stop, ticks = value_ticks(low, high)

    assert (round(start, 6), round(stop, 6)) == expected[:2]
    assert [round(tick, 6) for tick in ticks] == expected[2]


def test_tick_steps_are_one_two_or_five_times_a_power_of_ten():
    assert [nice_step(span) for span in (1, 4.34, 21.6, 8000)] == [0.2, 1, 5, 2000]
