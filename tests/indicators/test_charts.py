"""Indicator charts: server-drawn SVG with a generated summary, one mark per value, no script.

Each chart is drawn twice, wide and phone-shaped; site.css shows one of them at any screen width.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings

from indicators.charts import (
    CHARACTER_WIDTH,
    MIN_LABEL_PX,
    PHONE,
    WIDE,
    nice_step,
    starts_at_zero,
    value_ticks,
)
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


def svg_of(chart: str, layout=WIDE) -> str:
    """The chart's drawing for one layout: WIDE (class chart-svg) or PHONE (class chart-phone)."""
    return re.search(rf'<svg class="{layout.css_class}".*?</svg>', chart, re.S).group(0)


def css_px(width: str, unit: str) -> float:
    return float(width) * 16 if unit == "rem" else float(width)  # a media query's rem is the browser's 16 px


SITE_CSS = settings.BASE_DIR / "static" / "css" / "site.css"


def widest_screen_without_the_chart() -> float:
    """The max-width, in CSS px, of the media query in site.css that hides the wide drawing on phones."""
    match = re.search(
        r"@media \(max-width: ([\d.]+)(rem|px)\) \{[^{}]*\.chart-svg[^{}]*\{\s*display: none;",
        SITE_CSS.read_text(),
    )
    assert match, "site.css hides the wide chart below a width"
    return css_px(*match.groups())


def widest_phone_chart() -> float:
    """The max-width, in CSS px, that site.css gives the phone drawing where it shows it."""
    match = re.search(
        r"@media \(max-width: ([\d.]+)(rem|px)\) \{[^@]*?"
        r"\.chart-phone \{ display: block; max-width: ([\d.]+)(rem|px);",
        SITE_CSS.read_text(),
    )
    assert match, (
        "site.css shows the phone chart, no wider than a width, on the screens that hide the wide one"
    )
    assert css_px(*match.groups()[:2]) == widest_screen_without_the_chart()
    return css_px(*match.groups()[2:])


def period_labels(svg: str) -> list[tuple[float, str, str, str]]:
    """The period axis's labels: (x, y, text-anchor, text)."""
    return [
        (float(x), y, anchor, text)
        for x, y, anchor, text in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">([^<]+)</text>', svg
        )
    ]


def overlapping(labels, font_size) -> list[tuple[str, str]]:
    """Pairs of labels on the same row whose estimated extents come closer than half a font size."""
    extents = {}
    for x, y, anchor, text in labels:
        width = len(text) * font_size * CHARACTER_WIDTH
        start = {"start": x, "end": x - width}.get(anchor, x - width / 2)
        extents.setdefault(y, []).append((start, start + width, text))
    return [
        (earlier[2], later[2])
        for row in extents.values()
        for earlier, later in zip(sorted(row), sorted(row)[1:], strict=False)
        if later[0] - earlier[1] < font_size / 2
    ]


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


def label_px(svg: str, drawn_at: float) -> float:
    """The smallest label's size in CSS px when `svg` is drawn `drawn_at` CSS px wide."""
    drawn_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    label_sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    assert label_sizes, "the labels' size is set on the chart"
    return min(label_sizes) * drawn_at / drawn_width


@pytest.mark.parametrize("chart_fixture", ["earnings", "monthly"], ids=["dot-plot", "line-chart"])
def test_chart_labels_are_at_least_12_css_px_on_any_screen_that_shows_the_drawing(
    client, request, chart_fixture
):
    chart = chart_of(client, request.getfixturevalue(chart_fixture))
    # The page keeps a 1rem gutter each side; at 200% text that is 32 px each.
    gutters = 2 * 32
    narrowest_wide_chart = widest_screen_without_the_chart() + 1 - gutters
    narrowest_phone_chart = 320 - gutters  # the narrowest screen WCAG asks a page to reflow to

    assert label_px(svg_of(chart, WIDE), narrowest_wide_chart) >= MIN_LABEL_PX
    assert label_px(svg_of(chart, PHONE), narrowest_phone_chart) >= MIN_LABEL_PX
    assert label_px(svg_of(chart, PHONE), widest_phone_chart()) <= 2 * MIN_LABEL_PX, "and never oversized"


def test_a_phone_shows_the_phone_drawing_not_a_table_alone():
    css = SITE_CSS.read_text()

    assert re.search(r"(^|\n)\.chart-phone \{ display: none; \}", css), "wide screens hide the phone drawing"
    assert widest_screen_without_the_chart() >= 390, "a 390 px phone gets the phone drawing"
    assert not re.search(r"\.chart-key[^{}]*\{\s*display: none", css), "the key shows on every screen"


def test_each_drawing_is_one_image_with_its_own_title_and_description(client, monthly):
    chart = chart_of(client, monthly)

    for layout, prefix in ((WIDE, "chart-claimant-rate"), (PHONE, "chart-claimant-rate-phone")):
        svg = svg_of(chart, layout)
        opening = svg[: svg.index(">")]
        assert 'role="img"' in opening
        assert f'aria-labelledby="{prefix}-title {prefix}-desc"' in opening
        assert f'<title id="{prefix}-title">Claimant rate: Milton Keynes over time</title>' in svg
        assert f'<desc id="{prefix}-desc">' in svg
        assert svg.count('class="mark"') == 12 + 6, "every value has its mark in both drawings"
    assert len(re.findall(r"<svg[^>]*role=\"img\"", chart)) == 2


# ---- long series: 25 yearly periods for three areas, and pay with its intervals ----------------


@pytest.fixture
def claimants_since_2001():
    """Claimant count rate, 2001 to 2025, for Milton Keynes, the South East and England."""
    indicator = IndicatorFactory(title="Claimant count rate", slug="claimant-count-rate", decimal_places=1)
    areas = (
        AreaFactory(home=True),
        AreaFactory(name="South East", code="E12000008", kind=AreaKind.REGION),
        AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY),
    )
    for year in range(2001, 2026):
        for offset, area in enumerate(areas):
            DataPointFactory(
                indicator=indicator,
                area=area,
                year=year,
                value=Decimal("1.5") + Decimal(offset) / 2 + Decimal(year % 7) / 3,
            )
    return indicator


@pytest.fixture
def weekly_pay():
    """Median weekly pay, 2008 to 2025, with 95% intervals, as ONS publishes it."""
    indicator = IndicatorFactory(
        title="Median weekly pay", slug="median-weekly-pay", value_type=ValueType.CURRENCY, decimal_places=2
    )
    areas = (
        (AreaFactory(home=True), Decimal(40)),
        (AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY), Decimal("2.5")),
    )
    for year in range(2008, 2026):
        for area, margin in areas:
            value = Decimal(430 + (year - 2008) * 16)
            DataPointFactory(
                indicator=indicator,
                area=area,
                period_label=str(year),
                period_start=D(year, 4, 1),
                period_end=D(year, 4, 30),
                value=value,
                lower_limit=value - margin,
                upper_limit=value + margin,
            )
    return indicator


@pytest.mark.parametrize(
    ("layout", "years"),
    [
        pytest.param(WIDE, ["2001", "2006", "2011", "2016", "2021", "2025"], id="wide"),
        pytest.param(PHONE, ["2001", "2009", "2017", "2025"], id="phone/evenly-spaced"),
    ],
)
def test_25_years_are_labelled_every_few_years_without_overlapping(
    client, claimants_since_2001, layout, years
):
    svg = svg_of(chart_of(client, claimants_since_2001), layout)

    labels = period_labels(svg)
    assert [text for *_, text in labels] == years
    assert len(labels) <= layout.max_period_labels
    assert overlapping(labels, layout.font_size) == []
    assert svg.count('class="mark"') == 25 * 3


def test_pay_draws_every_interval_in_both_drawings(client, weekly_pay):
    chart = chart_of(client, weekly_pay)

    for layout in (WIDE, PHONE):
        svg = svg_of(chart, layout)
        assert svg.count('class="interval"') == 18 * 2
        assert overlapping(period_labels(svg), layout.font_size) == []


def test_long_period_names_on_a_phone_take_two_rows_rather_than_overlap(client):
    indicator = IndicatorFactory(title="Employment", slug="employment")
    for year in (2023, 2024):
        DataPointFactory(
            indicator=indicator,
            area=AreaFactory(home=True),
            period_label=f"Jan {year}-Dec {year}",
            period_start=D(year, 1, 1),
            period_end=D(year, 12, 31),
        )

    svg = svg_of(chart_of(client, indicator), PHONE)

    labels = period_labels(svg)
    assert [text for *_, text in labels] == ["Jan 2023-Dec 2023", "Jan 2024-Dec 2024"]
    assert labels[0][1] != labels[1][1], "on separate rows"
    assert overlapping(labels, PHONE.font_size) == []


def test_phone_drawing_leaves_out_hover_titles_that_a_phone_cannot_show(client, claimants_since_2001):
    chart = chart_of(client, claimants_since_2001)

    assert svg_of(chart, WIDE).count("<title>") == 75
    assert svg_of(chart, PHONE).count("<title>") == 0


def test_a_long_table_of_values_waits_behind_a_summary_with_its_count(client, claimants_since_2001):
    page = client.get(claimants_since_2001.get_absolute_url()).content.decode()

    disclosure = re.search(
        r'<details class="values-disclosure">\s*<summary>(.*?)</summary>(.*?)</details>', page, re.S
    )
    assert disclosure, "the table is behind a disclosure"
    assert disclosure.group(1) == "Table of all 75 values, 2001 to 2025"
    assert disclosure.group(2).count("<tr>") == 1 + 25
    assert page.index('<figure class="chart">') < page.index("<details")


def test_a_short_table_of_values_shows_open(client, earnings):
    page = client.get(earnings.get_absolute_url()).content.decode()

    assert "<details" not in page.split("<h2>About this figure</h2>")[0]


@pytest.mark.parametrize("years", [3, 25])
def test_a_long_series_takes_no_more_queries(client, django_assert_max_num_queries, years):
    indicator = IndicatorFactory()
    for year in range(2025 - years + 1, 2026):
        for area in (
            AreaFactory(home=True),
            AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY),
        ):
            DataPointFactory(
                indicator=indicator,
                area=area,
                year=year,
            )

    # 6 at both sizes: the indicator with its source, its figures with their areas, their stated
    # comparisons, related facts, needs, and the services that address it. Two drawings, the change
    # sentence and the folded table all work from the figures already loaded.
    with django_assert_max_num_queries(6):
        response = client.get(indicator.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["table"].rows) == years


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


def test_the_home_area_is_drawn_on_top_where_lines_cross(client, claimants_since_2001):
    chart = chart_of(client, claimants_since_2001)

    for layout in (WIDE, PHONE):
        colours = re.findall(r'<polyline points="[^"]*" fill="none" stroke="(#\w+)"', svg_of(chart, layout))
        assert colours[-1] == "#1d4f91", "Milton Keynes's colour, drawn last"
    key = re.search(r'<ul class="chart-key".*?</ul>', chart, re.S).group(0)
    assert key.index("Milton Keynes") < key.index("England"), "while the key names it first"


def value_axis_labels(svg: str) -> list[str]:
    """A line chart's value labels, lowest first: the texts of its group anchored at their end."""
    group = re.search(r'<g fill="#0b0c0c" text-anchor="end">(.*?)</g>', svg, re.S).group(1)
    return re.findall(r"<text[^>]*>([^<]+)</text>", group)


@pytest.mark.parametrize(
    ("low", "high", "from_zero"),
    [
        pytest.param(1.1, 5.5, True, id="claimant-count-near-zero"),
        pytest.param(69.8, 84.9, False, id="employment-rate-far-from-zero"),
        pytest.param(390, 770, False, id="weekly-pay"),
        pytest.param(-2.5, 3.0, True, id="crosses-zero"),
        pytest.param(50, 100, True, id="zero-at-most-doubles-the-span"),
    ],
)
def test_a_line_chart_starts_at_zero_only_when_that_keeps_its_movement_visible(low, high, from_zero):
    assert starts_at_zero(low, high) is from_zero


def test_a_line_far_from_zero_starts_near_its_values_and_says_so(client, weekly_pay):
    chart = chart_of(client, weekly_pay)

    assert "The scale starts at £300, not at zero." in chart
    for layout in (WIDE, PHONE):
        drawing = svg_of(chart, layout)
        assert value_axis_labels(drawing)[0] == "£300", "the lowest value is £390, less its interval"
        assert "The scale starts at £300." in re.search(r"<desc[^>]*>(.*?)</desc>", drawing).group(1)


def test_a_line_near_zero_starts_at_zero_without_a_note(client, claimants_since_2001):
    chart = chart_of(client, claimants_since_2001)

    assert value_axis_labels(svg_of(chart))[0] == "0%"
    assert "not at zero" not in chart


def test_a_dot_plot_always_starts_at_zero(client, earnings):
    """Its stems are lengths from zero, so even 17.6% against 21.6% is drawn from 0%."""
    chart = chart_of(client, earnings)

    assert ">0%</text>" in svg_of(chart)
    assert "not at zero" not in chart
