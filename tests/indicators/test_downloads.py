"""Open data: each published indicator as CSV and JSON, with its data points, source and licence."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from indicators.choices import AreaKind, ComparisonRelation, Polarity, ValueType
from indicators.importing import parse_data_points
from indicators.models import StatedComparison
from indicators.open_data import CSV_COLUMNS
from initiatives.publishing import PublicationState
from tests.factories import AreaFactory, DataPointFactory, IndicatorFactory, SourceFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def unemployment():
    source = SourceFactory(
        publisher="Department for Work and Pensions",
        title="Claimant count",
        url="https://example.test/claimants",
        licence="Open Government Licence v3.0",
    )
    indicator = IndicatorFactory(
        title="Unemployment rate",
        slug="unemployment-rate",
        decimal_places=2,
        source=source,
        polarity=Polarity.LOWER_IS_BETTER,
    )
    home = AreaFactory(home=True)
    england = AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY)
    latest = DataPointFactory(
        indicator=indicator,
        area=home,
        period_label="August 2025",
        period_start=D(2025, 8, 1),
        period_end=D(2025, 8, 31),
        value=Decimal("4.34"),
        lower_limit=Decimal("3.9"),
        upper_limit=Decimal("4.8"),
        sample_size=1200,
    )
    DataPointFactory(
        indicator=indicator,
        area=home,
        period_label="July 2025",
        period_start=D(2025, 7, 1),
        period_end=D(2025, 7, 31),
        value=Decimal("4.5"),
        source=SourceFactory(
            publisher="Office for National Statistics", title="Labour market", licence="OGL"
        ),
    )
    StatedComparison.objects.create(
        data_point=latest,
        comparator=england,
        relation=ComparisonRelation.LOWER,
        wording="the England average",
    )
    return indicator


def csv_url(indicator) -> str:
    return reverse("indicators:indicator_csv", args=[indicator.slug])


def json_url(indicator) -> str:
    return reverse("indicators:indicator_json", args=[indicator.slug])


def test_csv_download_has_every_data_point_with_its_source_and_licence(client, unemployment):
    response = client.get(csv_url(unemployment))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="unemployment-rate.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(row["period_label"], row["value"]) for row in rows] == [
        ("July 2025", "4.5"),
        ("August 2025", "4.34"),
    ]
    august = rows[1]
    assert (august["area_code"], august["area_name"]) == ("E06000042", "Milton Keynes")
    assert (august["lower_limit"], august["upper_limit"], august["sample_size"]) == ("3.9", "4.8", "1200")
    assert august["source"] == "Department for Work and Pensions|Claimant count"
    assert august["source_licence"] == "Open Government Licence v3.0"
    assert august["source_url"] == "https://example.test/claimants"
    assert august["stated_comparisons"] == "lower than the England average"
    assert rows[0]["source"] == "Office for National Statistics|Labour market"
    assert rows[0]["source_licence"] == "OGL"


def test_csv_download_can_be_imported_again_unchanged(client, unemployment):
    parsed = parse_data_points(client.get(csv_url(unemployment)).content.decode())

    assert parsed.errors == []
    assert parsed.count("unchanged") == 2


def test_json_download_has_the_indicator_source_licence_points_and_judgements(client, unemployment):
    response = client.get(json_url(unemployment))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="unemployment-rate.json"'
    document = json.loads(response.content)
    assert document["indicator"]["slug"] == "unemployment-rate"
    assert document["indicator"]["url"] == f"{settings.SITE_URL}/indicators/unemployment-rate/"
    assert document["indicator"]["polarity"] == "lower_better"
    assert document["licence"] == "Open Government Licence v3.0"
    assert document["source"]["publisher"] == "Department for Work and Pensions"
    july, august = document["data_points"]
    assert august["value"] == 4.34 and august["lower_limit"] == 3.9 and august["sample_size"] == 1200
    assert august["area"] == {"name": "Milton Keynes", "code": "E06000042", "kind": "local_authority"}
    assert august["stated_comparisons"] == [
        {"comparator": "E92000001", "relation": "lower", "wording": "the England average"}
    ]
    assert july["source"]["licence"] == "OGL"
    assert document["latest"]["comparisons"] == [
        {
            "comparator": "E92000001",
            "relation": "lower",
            "judgement": "better",
            "as_stated_by_source": True,
            "sentence": (
                "Lower than the England average, according to the source: "
                "better, because a lower figure is better."
            ),
        }
    ]
    assert document["latest"]["summary"].startswith("Milton Keynes 4.34% in August 2025")


def test_whole_number_values_are_json_integers(client):
    indicator = IndicatorFactory(slug="workless", value_type=ValueType.COUNT, decimal_places=0)
    DataPointFactory(indicator=indicator, area=AreaFactory(home=True), value=Decimal("8000"))

    document = json.loads(client.get(json_url(indicator)).content)

    assert document["data_points"][0]["value"] == 8000
    assert isinstance(document["data_points"][0]["value"], int)


def test_indicator_page_links_to_both_downloads(client, unemployment):
    page = client.get(unemployment.get_absolute_url()).content.decode()

    assert f'href="{csv_url(unemployment)}"' in page
    assert f'href="{json_url(unemployment)}"' in page


@pytest.mark.parametrize(
    "state", [PublicationState.DRAFT, PublicationState.PENDING, PublicationState.ARCHIVED]
)
def test_unpublished_indicators_cannot_be_downloaded(client, unemployment, state):
    unemployment.publication_state = state
    unemployment.save()

    assert client.get(csv_url(unemployment)).status_code == 404
    assert client.get(json_url(unemployment)).status_code == 404


@pytest.mark.parametrize("periods", [2, 40])
@pytest.mark.parametrize("url", [csv_url, json_url], ids=["csv", "json"])
def test_downloads_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, unemployment, url, periods
):
    region = AreaFactory(kind=AreaKind.REGION)
    for year in range(2000, 2000 + periods):
        point = DataPointFactory(
            indicator=unemployment,
            area=region,
            year=year,
            source=SourceFactory(),
        )
        StatedComparison.objects.create(
            data_point=point, comparator=region, relation=ComparisonRelation.HIGHER
        )

    # the indicator with its source, its data points with areas and sources, their comparisons, comparators
    with django_assert_max_num_queries(4):
        response = client.get(url(unemployment))

    assert response.status_code == 200
