"""Importing ONS Explore Local Statistics files: from the command line and the admin, every row or none."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.choices import AreaKind, ImportLayout, ImportStatus, Polarity, ValueType
from indicators.importing import parse_ons
from indicators.models import Area, DataPoint, ImportBatch
from indicators.services import import_batch_roll_back
from tests.factories import AreaFactory, IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "ons_sample"
MK, SOUTH_EAST, ENGLAND, CUMBERLAND = "E06000042", "E12000008", "E92000001", "E06000063"
THREE_AREAS = f"{MK},{SOUTH_EAST},{ENGLAND}"
IMPORT_ONS_URL = reverse("admin:indicators_importbatch_import_ons")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8-sig")


def published_rows(name: str, area: str) -> dict[str, dict]:
    """The file's rows for one area, by period cell, read with the csv module alone."""
    rows = csv.DictReader(io.StringIO(sample(name)))
    return {row["period"]: row for row in rows if row["areacd"] == area}


@pytest.fixture
def areas():
    return {
        MK: AreaFactory(home=True),
        SOUTH_EAST: AreaFactory(name="South East", code=SOUTH_EAST, kind=AreaKind.REGION),
        ENGLAND: AreaFactory(name="England", code=ENGLAND, kind=AreaKind.COUNTRY),
    }


@pytest.fixture
def claimant(areas):
    return IndicatorFactory(slug="claimant-count-rate", value_type=ValueType.PERCENTAGE, unit="%")


@pytest.fixture
def pay(areas):
    return IndicatorFactory(
        slug="median-weekly-pay", value_type=ValueType.CURRENCY, unit="£", polarity=Polarity.HIGHER_IS_BETTER
    )


def import_ons(tmp_path, text: str, *args) -> tuple[int, str, str]:
    """Run import_ons on `text` as a file; return the exit status manage.py would give, stdout and stderr."""
    path = tmp_path / "ons.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ons", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_a_whole_file_imports_the_chosen_areas_with_values_as_published(tmp_path, claimant):
    status, out, _ = import_ons(
        tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug, "--areas", THREE_AREAS
    )

    assert status == 0
    assert "75 new, 0 updated, 0 unchanged" in out
    assert "25 rows for other areas were left out" in out  # the sample's fourth area
    for code in (MK, ENGLAND):
        area = Area.objects.get(code=code)
        published = published_rows("claimant-count.csv", code)
        points = DataPoint.objects.filter(indicator=claimant, area=area)
        assert points.count() == len(published) == 25
        for point in points:
            row = published[f"{point.period_start:%Y}-01-01/P1Y"]
            assert point.value == Decimal(row["observation"])
            assert point.period_label == str(point.period_start.year)
            assert point.period_end == point.period_start.replace(month=12, day=31)
            assert point.source is None, "cites the indicator's source, which names the file"


def test_importing_the_same_file_again_changes_nothing(tmp_path, claimant):
    import_ons(tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug, "--areas", THREE_AREAS)
    before = list(DataPoint.objects.values_list("pk", "value", "period_label").order_by("pk"))

    status, out, _ = import_ons(
        tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug, "--areas", THREE_AREAS
    )

    assert status == 0 and "0 new, 0 updated, 75 unchanged" in out
    assert list(DataPoint.objects.values_list("pk", "value", "period_label").order_by("pk")) == before


def test_without_areas_it_takes_every_area_the_directory_knows_that_the_file_holds(tmp_path, claimant):
    AreaFactory(name="Wales", code="W92000004", kind=AreaKind.COUNTRY)

    status, out, _ = import_ons(tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug)

    assert status == 0
    assert set(DataPoint.objects.values_list("area__code", flat=True)) == {MK, SOUTH_EAST, ENGLAND}
    assert DataPoint.objects.count() == 75
    assert "The file holds no figures for W92000004: their figures, if any, are left as they are." in out


def test_pay_keeps_its_confidence_limits_and_leaves_out_rows_without_a_figure(tmp_path, pay):
    cumberland = AreaFactory(name="Cumberland", code=CUMBERLAND)

    status, out, _ = import_ons(
        tmp_path,
        sample("gross-median-weekly-pay.csv"),
        "--indicator",
        pay.slug,
        "--areas",
        f"{MK},{CUMBERLAND}",
    )

    assert status == 0
    published = published_rows("gross-median-weekly-pay.csv", MK)
    latest = DataPoint.objects.filter(area__code=MK).latest("period_start")
    row = next(row for period, row in published.items() if period.startswith(f"{latest.period_start:%Y-%m}"))
    assert (latest.value, latest.lower_limit, latest.upper_limit) == (
        Decimal(row["observation"]),
        Decimal(row["lci_95"]).quantize(Decimal("0.0001")),
        Decimal(row["uci_95"]).quantize(Decimal("0.0001")),
    )
    assert latest.period_label == f"April {latest.period_start.year}"
    no_figure = [
        row
        for row in published_rows("gross-median-weekly-pay.csv", CUMBERLAND).values()
        if not row["observation"]
    ]
    assert no_figure, "the sample has Cumberland's suppressed years"
    assert f"{len(no_figure)} rows with no figure" in out
    assert DataPoint.objects.filter(area=cumberland).count() == 18 - len(no_figure)


def claimant_row(
    observation, *, code=MK, period="2026-01-01/P1Y", unit=("Percentage", "%"), limits=",", status=""
):
    """A row in the claimant count file's layout, for Milton Keynes in 2026 unless told otherwise."""
    measure, unit_text = unit
    return (
        f"{code},Milton Keynes,County or Unitary Authority,Claimant Count,{period},{observation},"
        f"{measure},{unit_text},{limits},{status},\n"
    )


BAD_ROWS = {
    "text in observation": (
        claimant_row("not yet"),
        "observation “not yet” is not a number",
    ),
    "malformed area code": (
        claimant_row("4.2", code="MK1"),
        "“MK1” is not an ONS area code",
    ),
    "contradicting unit": (
        claimant_row("2100", unit=("Number", "people")),
        "its unit “people” contradicts the file's “%”",
    ),
    "unreadable period": (
        claimant_row("4.2", period="next year"),
        "period “next year” is not written as the ONS files write periods",
    ),
    "one limit only": (
        claimant_row("4.2", limits="3.9,"),
        "it gives one confidence limit without the other",
    ),
    "value outside its limits": (
        claimant_row("4.2", limits="4.5,4.9"),
        "value is outside its lower_limit and upper_limit",
    ),
}


@pytest.mark.parametrize("bad", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_imports_nothing_and_names_the_row(tmp_path, claimant, bad):
    line, message = bad
    text = sample("claimant-count.csv") + line
    bad_row = text.count("\n")

    status, _, err = import_ons(tmp_path, text, "--indicator", claimant.slug, "--areas", THREE_AREAS)

    assert status == 1
    assert f"Row {bad_row}: {message}" in err
    assert DataPoint.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_file_whose_unit_contradicts_the_indicator_is_refused(tmp_path, claimant):
    status, _, err = import_ons(tmp_path, sample("gross-median-weekly-pay.csv"), "--indicator", claimant.slug)

    assert status == 1
    assert "The file measures “Pounds” (£) but the indicator's type is “Percentage” (%)" in err
    assert DataPoint.objects.count() == 0


def test_a_file_of_several_series_needs_the_one_named(tmp_path, areas):
    births = IndicatorFactory(slug="business-births", polarity=Polarity.HIGHER_IS_BETTER)

    status, _, err = import_ons(
        tmp_path, sample("business-demography.csv"), "--indicator", births.slug, "--areas", MK
    )
    assert status == 1 and "The file holds 9 series (Active businesses, Business births" in err
    assert DataPoint.objects.count() == 0

    status, out, _ = import_ons(
        tmp_path,
        sample("business-demography.csv"),
        "--indicator",
        births.slug,
        "--areas",
        MK,
        "--series",
        "business births",
    )
    assert status == 0
    published = {
        row["period"]: Decimal(row["observation"]).quantize(Decimal("0.0001"))
        for row in csv.DictReader(io.StringIO(sample("business-demography.csv")))
        if row["indicator"] == "Business births"
    }
    imported = {f"{point.period_start:%Y-%m-%d}/P1Y": point.value for point in DataPoint.objects.all()}
    assert imported == published


def test_a_series_the_file_does_not_hold_is_refused(tmp_path, areas):
    births = IndicatorFactory(slug="business-births")

    status, _, err = import_ons(
        tmp_path,
        sample("business-demography.csv"),
        "--indicator",
        births.slug,
        "--series",
        "Business birth rate",
    )

    assert status == 1 and "The file has no series “Business birth rate”" in err


def test_an_area_the_directory_does_not_know_is_refused(tmp_path, claimant):
    status, _, err = import_ons(
        tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug, "--areas", f"{MK},E06000041"
    )

    assert status == 1
    assert "No area has the code “E06000041”: add it under Areas first" in err


def test_an_area_the_file_does_not_hold_is_refused(tmp_path, claimant):
    AreaFactory(name="Wales", code="W92000004", kind=AreaKind.COUNTRY)

    status, _, err = import_ons(
        tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug, "--areas", f"{MK},W92000004"
    )

    assert status == 1 and "The file holds no figures for W92000004" in err


def test_the_older_layout_updates_the_same_periods_and_keeps_the_indicators_polarity(tmp_path, claimant):
    import_ons(tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug, "--areas", THREE_AREAS)

    status, out, _ = import_ons(
        tmp_path, sample("claimant-count-2025-01.csv"), "--indicator", claimant.slug, "--areas", THREE_AREAS
    )

    assert status == 0
    assert (
        "The file's polarity column says a higher figure is better; the indicator says a lower figure is "
        "better" in out
    )
    assert DataPoint.objects.count() == 75, "the same years, so updated rather than added"
    newer = {
        (row["areacd"], row["period"]): Decimal(row["observation"])
        for row in csv.DictReader(io.StringIO(sample("claimant-count.csv")))
    }
    older = csv.DictReader(io.StringIO(sample("claimant-count-2025-01.csv")))
    changed = [
        row
        for row in older
        if newer[row["AREACD"], f"{row['Period']}-01-01/P1Y"] != Decimal(row["Observation"])
    ]
    assert changed, "ONS revised some years between the two files"
    assert f"{len(changed)} updated" in out
    claimant.refresh_from_db()
    assert claimant.polarity == Polarity.LOWER_IS_BETTER


def test_a_figure_with_a_status_keeps_it_as_a_note(tmp_path, claimant):
    text = sample("claimant-count.csv") + claimant_row("4.4", status="u")

    assert import_ons(tmp_path, text, "--indicator", claimant.slug, "--areas", MK)[0] == 0

    assert (
        DataPoint.objects.get(period_label="2026").status_note == "ONS marks this figure as low reliability."
    )


def test_dry_run_saves_nothing(tmp_path, claimant):
    status, out, _ = import_ons(
        tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug, "--dry-run"
    )

    assert status == 0 and "75 rows: 75 new, 0 to update, 0 unchanged. Dry run" in out
    assert DataPoint.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_an_ons_import_is_a_batch_that_rolls_back(tmp_path, claimant):
    import_ons(tmp_path, sample("claimant-count.csv"), "--indicator", claimant.slug)
    batch = ImportBatch.objects.get()
    assert (batch.layout, batch.options["indicator"], batch.created_count) == (
        ImportLayout.ONS,
        claimant.slug,
        75,
    )

    import_batch_roll_back(batch=batch, actor=None)

    assert DataPoint.objects.count() == 0


def test_checking_a_whole_file_takes_few_queries(django_assert_max_num_queries, claimant):
    with django_assert_max_num_queries(6):
        parsed = parse_ons(sample("claimant-count.csv"), indicator=claimant.slug, areas=[])

    assert parsed.is_valid and len(parsed.rows) == 75


def upload_ons(client, text: str, indicator, areas=(), series=""):
    return client.post(
        IMPORT_ONS_URL,
        {
            "file": SimpleUploadedFile("claimant-count.csv", text.encode(), content_type="text/csv"),
            "indicator": indicator.pk,
            "areas": [area.pk for area in areas],
            "series": series,
        },
    )


def test_admin_previews_an_ons_file_then_imports_it(staff_client, claimant, areas):
    form = staff_client.get(IMPORT_ONS_URL)
    assert form.status_code == 200 and "Upload an ONS Explore Local Statistics file" in form.content.decode()

    uploaded = upload_ons(staff_client, sample("claimant-count.csv"), claimant, [areas[MK], areas[ENGLAND]])

    batch = ImportBatch.objects.get()
    assert uploaded.status_code == 302
    assert batch.options == {"indicator": claimant.slug, "areas": [MK, ENGLAND], "series": ""}
    preview = staff_client.get(uploaded.url).content.decode()
    assert "50 rows: 50 new, 0 to update, 0 unchanged" in preview
    assert "50 rows for other areas were left out" in preview
    assert DataPoint.objects.count() == 0

    staff_client.post(uploaded.url)

    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (ImportStatus.IMPORTED, 50)
    assert set(DataPoint.objects.values_list("area__code", flat=True)) == {MK, ENGLAND}


def test_admin_shows_every_row_error_and_keeps_nothing(staff_client, claimant):
    line, message = BAD_ROWS["text in observation"]
    text = sample("claimant-count.csv") + line

    response = upload_ons(staff_client, text, claimant)

    assert response.status_code == 400
    assert f"Row {text.count(chr(10))}: {message}" in response.content.decode()
    assert ImportBatch.objects.count() == 0 and DataPoint.objects.count() == 0


def test_admin_ons_import_needs_permission_to_change_figures(client, claimant):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    client.force_login(clerk)

    assert client.get(IMPORT_ONS_URL).status_code == 403
    assert upload_ons(client, sample("claimant-count.csv"), claimant).status_code == 403
    assert ImportBatch.objects.count() == 0


def test_older_pay_files_dated_by_month_update_the_same_surveys(tmp_path, pay):
    """The older file writes 2019-04 and runs from 2002-04; the newer writes 2019-04-10."""
    import_ons(tmp_path, sample("gross-median-weekly-pay.csv"), "--indicator", pay.slug, "--areas", ENGLAND)
    newer = DataPoint.objects.count()

    status, out, _ = import_ons(
        tmp_path, sample("gross-median-weekly-pay-2025-01.csv"), "--indicator", pay.slug, "--areas", ENGLAND
    )

    assert status == 0
    older = {
        row["Period"] for row in csv.DictReader(io.StringIO(sample("gross-median-weekly-pay-2025-01.csv")))
    }
    only_older = {period for period in older if int(period[:4]) < 2008}
    assert "2003-04" in only_older, "the sample has the year that reads like a financial year"
    assert DataPoint.objects.count() == newer + len(only_older), "the years both files hold are not doubled"
    labels = set(DataPoint.objects.values_list("period_label", flat=True))
    assert "April 2003" in labels and "2003-04" not in labels
