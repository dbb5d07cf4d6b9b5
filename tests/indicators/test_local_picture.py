"""Evidence joined to support: plain figures on need and service pages, judgements on indicator pages,
context facts, the demo."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.choices import AreaKind, Polarity, ValueType
from indicators.importing import parse_data_points
from indicators.models import DataPoint
from tests.factories import (
    AreaFactory,
    ContextFactFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    IndicatorServiceFactory,
    NeedFactory,
    ServiceFactory,
)
from tests.helpers.pages import get_page, sections, text_of

pytestmark = pytest.mark.django_db

D = datetime.date
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "indicator-import-example.csv"


def about_this_figure(fragment: str) -> str:
    """The text behind the fragment's first "About this figure"."""
    return text_of(re.search(r"<details.*?</details>", fragment, re.S).group(0))


@pytest.fixture
def earnings():
    indicator = IndicatorFactory(
        title="Earnings growth",
        slug="earnings-growth",
        value_type=ValueType.CHANGE,
        polarity=Polarity.HIGHER_IS_BETTER,
        what_it_counts="average pay",
    )
    uk = AreaFactory(name="United Kingdom", code="K02000001", kind=AreaKind.UNITED_KINGDOM)
    for area, value in ((AreaFactory(home=True), "17.6"), (uk, "21.6")):
        DataPointFactory(indicator=indicator, area=area, period_label="2021 to 2024", value=Decimal(value))
    return indicator


def test_need_page_opens_with_one_plain_sentence_and_keeps_the_judgement_behind_about(client, earnings):
    work = NeedFactory(name="Find work", slug="find-work")
    IndicatorNeedFactory(indicator=earnings, need=work, note="Pay matters.")
    ServiceFactory(name="Job club", needs=[work])

    page = get_page(client, work.get_absolute_url())
    picture = sections(page)["The picture in Milton Keynes"]

    sentence = "In Milton Keynes, average pay went up by 17.6% over 2021 to 2024."
    assert page.index(f'<p class="local-picture">{sentence}</p>') < page.index("Services that can help")
    assert sentence in text_of(picture)
    assert "Pay matters." in text_of(picture)
    assert "Lower than United Kingdom (21.6%): worse, because a higher figure is better." in (
        about_this_figure(picture)
    )


def test_headline_figures_come_first_on_a_need_page(client, earnings):
    work = NeedFactory()
    headline = IndicatorFactory(title="Zero-hours contracts", headline_position=1)
    DataPointFactory(indicator=headline, area=earnings.data_points.first().area)
    for indicator in (earnings, headline):
        IndicatorNeedFactory(indicator=indicator, need=work)

    picture = text_of(sections(get_page(client, work.get_absolute_url()))["The picture in Milton Keynes"])

    assert picture.index("Zero-hours contracts") < picture.index("Earnings growth")


def test_service_page_says_why_it_matters_in_a_plain_sentence_with_the_judgement_behind_about(
    client, earnings
):
    service = ServiceFactory()
    IndicatorServiceFactory(indicator=earnings, service=service, note="Helps people on low pay.")

    why = sections(get_page(client, service.get_absolute_url()))["Why this matters"]

    assert "In Milton Keynes, average pay went up by 17.6% over 2021 to 2024." in text_of(why)
    assert "Helps people on low pay." in text_of(why)
    assert "Lower than United Kingdom (21.6%): worse, because a higher figure is better." in (
        about_this_figure(why)
    )


def test_indicator_page_lists_the_services_that_address_it_with_how_they_help(client, earnings):
    helps = ServiceFactory(name="Money advice")
    IndicatorServiceFactory(
        indicator=earnings, service=helps, note="Advice for people whose pay falls short."
    )
    IndicatorServiceFactory(
        indicator=IndicatorFactory(), service=ServiceFactory(name="Other"), note="Elsewhere."
    )

    services = text_of(sections(get_page(client, earnings.get_absolute_url()))["Services that address this"])

    assert "Money advice" in services
    assert "How it helps: Advice for people whose pay falls short." in services
    assert "Other" not in services and "Elsewhere." not in services


def test_survey_figures_show_their_sample_size_and_a_worked_out_interval(client):
    survey = IndicatorFactory(
        title="Enjoy their job", value_type=ValueType.SURVEY_PROPORTION, decimal_places=0
    )
    DataPointFactory(indicator=survey, area=AreaFactory(home=True), value=Decimal("66"), sample_size=169)

    page = text_of(get_page(client, survey.get_absolute_url()))

    assert "survey of 169 people" in page
    assert "95% confidence interval 59% to 73%, worked out from the sample size" in page


def test_context_facts_appear_with_their_source_on_the_need_indicator_and_list_pages(client, earnings):
    work = NeedFactory()
    IndicatorNeedFactory(indicator=earnings, need=work)
    fact = ContextFactFactory(title="Care workers affected", display_value="around 40,000")
    fact.needs.add(work)
    elsewhere = ContextFactFactory(title="Robots cleaning streets")
    elsewhere.needs.add(NeedFactory())

    for url, expect_elsewhere in (
        (work.get_absolute_url(), False),
        (earnings.get_absolute_url(), False),
        (reverse("indicators:indicator_list"), True),
    ):
        page = text_of(get_page(client, url))
        assert "around 40,000 : Care workers affected" in page, url
        assert f"Source: {fact.source.citation}" in page, url
        assert ("Robots cleaning streets" in page) == expect_elsewhere, url


# ---- change over time, in words, beside the plain sentence ------------------------------------


@pytest.fixture
def claimants():
    """Claimant count rate (ONS, commit 4972c588): Milton Keynes 1.6% in 2015 to 4.1% in 2025."""
    indicator = IndicatorFactory(
        title="Claimant count rate",
        slug="claimant-count-rate",
        what_it_counts="of people aged 16 to 64 were claiming out-of-work benefits",
        polarity=Polarity.LOWER_IS_BETTER,
    )
    england = AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY)
    for area, values in ((AreaFactory(home=True), ("1.6", "3.4", "4.1")), (england, ("1.8", "3.6", "4.0"))):
        for year, value in zip((2015, 2023, 2025), values, strict=True):
            DataPointFactory(
                indicator=indicator,
                area=area,
                year=year,
                value=Decimal(value),
            )
    return indicator


CLAIMANTS_SENTENCE = (
    "In Milton Keynes, 4.1% of people aged 16 to 64 were claiming out-of-work benefits in 2025."
)
CLAIMANTS_CHANGE = "Up from 1.6% in 2015 to 4.1% in 2025; now above England."


def test_need_page_says_how_the_figure_changed_right_after_the_plain_sentence(client, claimants):
    work = NeedFactory()
    IndicatorNeedFactory(indicator=claimants, need=work)

    page = get_page(client, work.get_absolute_url())
    opening = page.index('<p class="local-picture">')
    lead = text_of(page[opening : page.index("</p>", opening)])
    picture = sections(page)["The picture in Milton Keynes"]
    outside_about = re.sub(r"<details.*?</details>", "", picture, flags=re.S)

    assert lead == f"{CLAIMANTS_SENTENCE} {CLAIMANTS_CHANGE}"
    assert f"{CLAIMANTS_SENTENCE} {CLAIMANTS_CHANGE}" in text_of(outside_about)


def test_indicator_and_list_pages_give_the_change_under_the_latest_figure(client, claimants):
    for url in (claimants.get_absolute_url(), reverse("indicators:indicator_list")):
        page = text_of(get_page(client, url))

        assert f"4.1% Milton Keynes, 2025 {CLAIMANTS_CHANGE}" in page, url
        assert page.count(CLAIMANTS_CHANGE) == 1, url
    detail = text_of(get_page(client, claimants.get_absolute_url()))
    assert (
        "Rising: it rose in each of the last 3 periods, from 1.6% in 2015 to 4.1% in 2025, "
        "which is worse because a lower figure is better."
    ) in detail


def test_a_figure_with_one_period_has_no_change_sentence(client, earnings):
    work = NeedFactory()
    IndicatorNeedFactory(indicator=earnings, need=work)

    for url in (work.get_absolute_url(), earnings.get_absolute_url()):
        assert "figure-change" not in get_page(client, url), url


def test_a_rank_reads_as_the_source_words_it(client):
    rank = IndicatorFactory(
        title="Rank for new economy firms",
        value_type=ValueType.RANK,
        what_it_counts="new technology businesses",
        rank_scope="in the UK",
    )
    DataPointFactory(
        indicator=rank, area=AreaFactory(home=True), value=None, rank=4, period_label="Cities Outlook 2025"
    )
    work = NeedFactory()
    IndicatorNeedFactory(indicator=rank, need=work)

    assert "Milton Keynes ranked 4th in the UK for new technology businesses in Cities Outlook 2025." in (
        text_of(get_page(client, work.get_absolute_url()))
    )
    assert "4th in the UK" in text_of(get_page(client, rank.get_absolute_url()))


# ---- the demo data: what the "done" means ---------------------------------------------


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_demo_unemployment_page_shows_4_34_percent_with_its_source_and_the_sources_comparison(client, demo):
    page = text_of(get_page(client, reverse("indicators:indicator_detail", args=["unemployment-rate"])))

    assert "4.34% Milton Keynes, August 2025" in page
    assert "Source: Department for Work and Pensions" in page
    assert "Lower than the England average, according to the source" in page
    assert "Higher than the South East, according to the source: worse, because a lower figure" in page
    assert "It has increased since the previous period, according to the source" in page


def test_demo_earnings_page_compares_with_the_uk_and_derives_the_judgement(client, demo):
    page = get_page(client, reverse("indicators:indicator_detail", args=["earnings-growth-2021-2024"]))

    assert "17.6% Milton Keynes, 2021 to 2024" in text_of(page)
    assert "Lower than United Kingdom (21.6%): worse, because a higher figure is better." in text_of(page)
    assert "Milton Keynes 17.6% in 2021 to 2024, lower than United Kingdom (21.6%), which is worse." in page
    assert re.search(r'<svg class="chart-svg"', page)


def test_demo_find_work_page_opens_with_unemployment_in_a_sentence_and_gives_the_figures_after(client, demo):
    page = get_page(client, reverse("initiatives:need_detail", args=["find-work"]))
    picture = sections(page)["The picture in Milton Keynes"]

    opening = page.index('<p class="local-picture">')
    assert opening < page.index("Services that can help") < page.index("The picture in Milton Keynes")
    assert "4.34%" in text_of(page[opening : page.index("</p>", opening)])
    assert "4.34%" in text_of(picture)
    assert "17.6%" in text_of(picture)
    assert "Lower than United Kingdom (21.6%)" in text_of(picture)


def test_demo_ranks_read_with_what_was_ranked(client, demo):
    page = text_of(get_page(client, reverse("indicators:indicator_detail", args=["weekly-earnings-rank"])))

    assert "8th among UK cities" in page


def test_demo_example_import_file_matches_the_demo_and_one_bad_row_imports_nothing(demo, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    parsed = parse_data_points(text)
    assert parsed.errors == []
    assert parsed.count("unchanged") == len(parsed.rows) == 5, "the example repeats the demo's own figures"
    before = list(DataPoint.objects.order_by("pk").values_list("pk", "value", "period_label"))

    bad = text + "unemployment-rate,E06000042,September 2025,2025-09-01,2025-09-30,unknown,,,,\n"
    path = tmp_path / "one-bad-row.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_indicators", str(path), stderr=io.StringIO())

    assert [str(error) for error in parse_data_points(bad).errors] == [
        "Row 7: value “unknown” is not a number"
    ]
    assert list(DataPoint.objects.order_by("pk").values_list("pk", "value", "period_label")) == before
