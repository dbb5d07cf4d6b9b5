"""No CSV we write lets a spreadsheet run a formula: text that starts one gets a leading apostrophe.

Every download is read back with the csv module, as a spreadsheet would open it: the staff admin
exports, the indicator downloads and the evidence table. Numbers stay numbers, negative ones too.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from initiatives.csv_cells import csv_cell, csv_cell_text
from initiatives.models import Organisation, Service
from initiatives.opendata.resources import OrganisationResource, ServiceResource
from tests.factories import (
    AreaFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
    SourceFactory,
)

FORMULAE = [
    pytest.param('=HYPERLINK("http://evil","x")', id="equals-hyperlink"),
    pytest.param("+1", id="plus"),
    pytest.param("-2+3", id="minus"),
    pytest.param("@SUM(1)", id="at"),
]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_records(rows: list[list[str]]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# The rule itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")', id="equals"),
        pytest.param("+1", "'+1", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus-formula"),
        pytest.param("@SUM(1)", "'@SUM(1)", id="at"),
        pytest.param("\t=1+1", "'\t=1+1", id="tab"),
        pytest.param("\r=1+1", "'\r=1+1", id="carriage-return"),
        pytest.param("+44 1908 000000", "'+44 1908 000000", id="phone-with-plus"),
        pytest.param("Job club", "Job club", id="plain-text"),
        pytest.param("a=b", "a=b", id="formula-character-later"),
        pytest.param("", "", id="empty"),
        pytest.param(Decimal("-2.5"), Decimal("-2.5"), id="negative-decimal"),
        pytest.param(-3, -3, id="negative-int"),
        pytest.param(-0.75, -0.75, id="negative-float"),
        pytest.param("-0.760000", "-0.760000", id="negative-number-as-text"),
        pytest.param("-12", "-12", id="negative-whole-number-as-text"),
        pytest.param(None, None, id="none"),
    ],
)
def test_a_cell_is_escaped_only_if_a_spreadsheet_would_run_it(value, written):
    assert csv_cell(value) == written


@pytest.mark.parametrize("value", [param.values[0] for param in FORMULAE] + ["Job club", "'quoted"])
def test_an_escaped_cell_reads_back_as_the_text_it_stood_for(value):
    assert csv_cell_text(csv_cell(value)) == value


# Staff exports in the admin (django-import-export) ---------------------------------------------------


def admin_export(client, model_name: str) -> list[dict]:
    """Post the admin's export form with every column ticked, and read the CSV it sends."""
    url = reverse(f"admin:initiatives_{model_name}_export")
    columns = re.findall(r'<input type="checkbox" name="(\w+)"', client.get(url).content.decode())
    response = client.post(url, {"format": "0", "resource": "0", **dict.fromkeys(columns, "on")})
    return as_records(read_csv(response))


@pytest.mark.django_db
@pytest.mark.parametrize("formula", FORMULAE)
def test_admin_export_of_organisations_escapes_formulae(staff_client, formula):
    OrganisationFactory(name=formula, phone="+44 1908 000000", description=formula)

    (row,) = admin_export(staff_client, "organisation")

    assert row["name"] == "'" + formula
    assert row["description"] == "'" + formula
    assert row["phone"] == "'+44 1908 000000"


@pytest.mark.django_db
@pytest.mark.parametrize("formula", FORMULAE)
def test_admin_export_of_services_escapes_formulae(staff_client, formula):
    organisation = OrganisationFactory(name="Plain Trust")
    ServiceFactory(organisation=organisation, name=formula, summary=formula, minimum_age=16)

    (row,) = admin_export(staff_client, "service")

    assert row["name"] == "'" + formula
    assert row["summary"] == "'" + formula
    assert row["organisation"] == organisation.slug
    assert row["minimum_age"] == "16"


@pytest.mark.django_db
def test_admin_export_keeps_negative_coordinates_as_numbers(staff_client):
    LocationFactory(name="-2+3", latitude=Decimal("52.040000"), longitude=Decimal("-0.760000"))

    (row,) = admin_export(staff_client, "location")

    assert row["name"] == "'-2+3"
    assert Decimal(row["longitude"]) == Decimal("-0.76")
    assert Decimal(row["latitude"]) == Decimal("52.04")


@pytest.mark.django_db
def test_an_exported_file_imported_again_keeps_the_text_without_the_apostrophe():
    organisation = OrganisationFactory(name="@SUM(1)", slug="at-sum", phone="+44 1908 000000")
    ServiceFactory(organisation=organisation, name="=HYPERLINK(1)", slug="link", summary="-2+3")
    exported = [OrganisationResource().export().csv, ServiceResource().export().csv]
    assert "'@SUM(1)" in exported[0]
    Service.objects.update(name="changed", summary="changed")
    Organisation.objects.update(name="changed", phone="")

    for resource, text in zip([OrganisationResource, ServiceResource], exported, strict=True):
        result = resource().import_data(tablib.Dataset().load(text, format="csv"), raise_errors=True)
        assert not result.has_validation_errors()

    organisation.refresh_from_db()
    service = Service.objects.get(slug="link")
    assert (organisation.name, organisation.phone) == ("@SUM(1)", "+44 1908 000000")
    assert (service.name, service.summary) == ("=HYPERLINK(1)", "-2+3")


# Indicator downloads and the evidence table -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("formula", FORMULAE)
def test_indicator_csv_escapes_text_and_keeps_negative_figures(client, formula):
    indicator = IndicatorFactory(
        title=formula, source=SourceFactory(publisher=formula, title="Release", licence=formula)
    )
    DataPointFactory(
        indicator=indicator,
        area=AreaFactory(home=True),
        period_label="2024",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        value=Decimal("-2.5"),
        lower_limit=Decimal("-3.25"),
        upper_limit=Decimal("-1"),
        status_note=formula,
    )

    (row,) = as_records(read_csv(client.get(reverse("indicators:indicator_csv", args=[indicator.slug]))))

    assert row["indicator_title"] == "'" + formula
    assert row["status_note"] == "'" + formula
    assert row["source"] == f"'{formula}|Release"
    assert row["source_licence"] == "'" + formula
    assert (row["value"], row["lower_limit"], row["upper_limit"]) == ("-2.5", "-3.25", "-1")


@pytest.mark.django_db
@pytest.mark.parametrize("formula", FORMULAE)
def test_evidence_csv_escapes_need_and_indicator_names(staff_client, formula):
    parent = NeedFactory(name=formula)
    child = NeedFactory(name="@child", parent=parent)
    IndicatorNeedFactory(need=parent, indicator=IndicatorFactory(title=formula))
    ServiceFactory(needs=[child])

    rows = read_csv(staff_client.get(reverse("indicators:evidence_csv")))
    records = {record["need"]: record for record in as_records(rows)}

    assert set(records) == {"'" + formula, "'@child"}
    assert records["'@child"]["part of"] == "'" + formula
    assert records["'" + formula]["local figures and judgements"].startswith("'" + formula)
    assert records["'@child"]["current services"] == "1"
