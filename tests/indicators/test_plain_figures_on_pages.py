"""Resident pages speak plainly: with the demo loaded, no statistics show outside "About this figure".

The home page, every need page and every published service page are read as a resident first sees
them: everything inside a <details> element (closed until opened) is left out, and so are scripts.
"""

import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.choices import AreaKind, Polarity, ValueType
from initiatives.models import Need, Service
from tests.factories import AreaFactory, DataPointFactory, IndicatorFactory, IndicatorNeedFactory, NeedFactory
from tests.helpers.pages import get_page

pytestmark = pytest.mark.django_db

# The words, and the words our judgements use instead of them, so that a judgement moved
# out of "About this figure" is caught whichever wording it has.
STATISTICAL_WORDING = (
    "confidence interval",
    "as stated by the source",
    "lower is better",
    "higher is better",
    "polarity",
    "statistically",
    "comparator",
    "95%",
    "according to the source",
    "figure is better",
    "margin of error",
)


class _TextOutsideDetails(HTMLParser):
    """Collect the text a reader sees before opening any disclosure."""

    HIDDEN = {"details", "script", "style"}

    def __init__(self):
        super().__init__()
        self.depth = 0  # how many hidden elements we are inside
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def text_outside_details(page: str) -> str:
    reader = _TextOutsideDetails()
    reader.feed(page)
    reader.close()
    return " ".join(" ".join(reader.parts).split())


def statistical_wording_in(text: str) -> list[str]:
    lowered = text.lower()
    return [words for words in STATISTICAL_WORDING if words in lowered]


@pytest.fixture
def resident_pages():
    """The demo's home page, need pages and published service pages."""
    call_command("load_demo", stdout=io.StringIO())
    needs = [need.get_absolute_url() for need in Need.objects.all()]
    services = [service.get_absolute_url() for service in Service.objects.published()]
    assert needs and services
    return [reverse("initiatives:home"), *needs, *services]


def test_no_statistical_wording_shows_until_about_this_figure_is_opened(client, resident_pages):
    found = {}
    for url in resident_pages:
        words = statistical_wording_in(text_outside_details(get_page(client, url)))
        if words:
            found[url] = words

    assert found == {}


def test_the_statistics_are_still_there_behind_about_this_figure(client, resident_pages):
    page = get_page(client, reverse("initiatives:home"))

    assert statistical_wording_in(page), "the check above would see statistics outside a disclosure"
    assert not statistical_wording_in(text_outside_details(page))


def test_text_inside_nested_disclosures_and_scripts_is_left_out():
    page = (
        "<p>4.34% of people</p><details><summary>About</summary><details><p>95% interval</p></details>"
        "<p>as stated by the source</p></details><script>lower is better</script><p>in August 2025</p>"
    )

    assert text_outside_details(page) == "4.34% of people in August 2025"


def test_change_over_time_shows_before_any_disclosure_in_plain_words(client):
    """Median weekly pay with its 95% intervals (ONS, commit 4972c588): the words come from the
    intervals, yet none of the statistics' own words reach the resident."""
    pay = IndicatorFactory(
        title="Median weekly pay",
        value_type=ValueType.CURRENCY,
        decimal_places=2,
        what_it_counts="median weekly pay",
        polarity=Polarity.HIGHER_IS_BETTER,
    )
    england = AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY)
    figures = {
        AreaFactory(home=True): (
            (2008, "430.1", "387.9502", "472.2498"),
            (2025, "703.6", "638.7844", "768.4156"),
        ),
        england: ((2008, "396.1", "394.5473", "397.6527"), (2025, "648.4", "645.8583", "650.9417")),
    }
    for area, rows in figures.items():
        for year, value, lower, upper in rows:
            DataPointFactory(
                indicator=pay,
                area=area,
                period_label=str(year),
                period_start=datetime.date(year, 4, 1),
                period_end=datetime.date(year, 4, 30),
                value=Decimal(value),
                lower_limit=Decimal(lower),
                upper_limit=Decimal(upper),
            )
    need = NeedFactory()
    IndicatorNeedFactory(indicator=pay, need=need)

    seen = text_outside_details(get_page(client, need.get_absolute_url()))

    assert "Up from £430.10 in 2008 to £703.60 in 2025; still similar to England." in seen
    assert statistical_wording_in(seen) == []
