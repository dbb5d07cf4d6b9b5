"""Spreadsheet import of figures: all rows or none, row-level errors, updates, roll-back, the command."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.choices import AreaKind, ChangeKind, ImportStatus
from indicators.importing import UploadError, decode_upload, parse_data_points
from indicators.models import DataPoint, ImportBatch, ImportedChange, StatedComparison
from indicators.services import (
    ImportRefused,
    data_points_import,
    import_batch_create,
    import_batch_roll_back,
)
from tests.factories import AreaFactory, DataPointFactory, IndicatorFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADINGS = ",".join(
    ["indicator", "area_code", "period_label", "period_start", "period_end", "value"]
    + ["lower_limit", "upper_limit", "sample_size", "source"]
)
AUGUST_HOME = "unemployment-rate,E06000042,August 2025,2025-08-01,2025-08-31,4.34,3.9,4.8,,"
AUGUST_ENGLAND = "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,4.7,,,,"
SURVEY = (
    "job-enjoyment,E06000042,September to October 2025,2025-09-01,2025-10-31,66,,,169,"
    "Example Survey|Autumn survey"
)


@pytest.fixture
def directory():
    """The indicators, areas and source the test files name."""
    return {
        "home": AreaFactory(home=True),
        "england": AreaFactory(name="England", code="E92000001", kind=AreaKind.COUNTRY),
        "unemployment": IndicatorFactory(slug="unemployment-rate", decimal_places=2),
        "survey": IndicatorFactory(slug="job-enjoyment", decimal_places=0),
        "source": SourceFactory(publisher="Example Survey", title="Autumn survey"),
    }


def csv_text(*rows: str, headings: str = HEADINGS) -> str:
    return "\n".join([headings, *rows]) + "\n"


def import_text(text: str, actor=None) -> ImportBatch:
    """What the admin's confirm step and the command do: keep the file, then import it."""
    parsed = parse_data_points(text)
    batch = import_batch_create(
        file_name="figures.csv", content=text, row_count=len(parsed.rows), actor=actor
    )
    return data_points_import(batch=batch, actor=actor)


def database_state() -> list[tuple]:
    """Every data point's values, and how many batches and changes are recorded."""
    points = list(
        DataPoint.objects.order_by("pk").values_list(
            "pk",
            "indicator_id",
            "area_id",
            "period_start",
            "period_end",
            "period_label",
            "value",
            "lower_limit",
            "upper_limit",
            "sample_size",
            "rank",
            "source_id",
            "import_batch_id",
        )
    )
    return [*points, ("batches", ImportBatch.objects.count()), ("changes", ImportedChange.objects.count())]


# ---- good rows --------------------------------------------------------------------------------


def test_good_rows_are_all_imported_and_record_their_batch(directory):
    staff = UserFactory(staff=True)

    batch = import_text(csv_text(AUGUST_HOME, AUGUST_ENGLAND, SURVEY), actor=staff)

    assert (batch.status, batch.row_count, batch.created_count, batch.updated_count) == (
        ImportStatus.IMPORTED,
        3,
        3,
        0,
    )
    assert batch.uploaded_by == staff and batch.imported_at is not None
    home = DataPoint.objects.get(indicator=directory["unemployment"], area=directory["home"])
    assert (home.period_label, home.value, home.lower_limit, home.upper_limit) == (
        "August 2025",
        Decimal("4.34"),
        Decimal("3.9"),
        Decimal("4.8"),
    )
    assert (home.period_start, home.period_end) == (datetime.date(2025, 8, 1), datetime.date(2025, 8, 31))
    survey = DataPoint.objects.get(indicator=directory["survey"])
    assert (survey.sample_size, survey.source) == (169, directory["source"])
    assert home.source is None, "an empty source column means the indicator's own source"
    assert set(DataPoint.objects.values_list("import_batch", flat=True)) == {batch.pk}
    assert list(batch.changes.values_list("row_number", "kind")) == [
        (2, ChangeKind.CREATED),
        (3, ChangeKind.CREATED),
        (4, ChangeKind.CREATED),
    ]


def test_byte_order_mark_windows_line_endings_and_spreadsheet_number_styles_are_read(directory):
    text = csv_text(
        'workless,E06000042,July 2025,2025-07-01,2025-07-31,"8,000",,,,',
        "unemployment-rate,E06000042,August 2025,2025-08-01,2025-08-31,4.34%,,,,",
    ).replace("\n", "\r\n")
    IndicatorFactory(slug="workless")

    parsed = parse_data_points(decode_upload(("\ufeff" + text).encode(), max_bytes=10_000))

    assert parsed.errors == []
    assert [row.values["value"] for row in parsed.rows] == [Decimal("8000"), Decimal("4.34")]


def test_columns_a_file_leaves_out_are_left_alone_and_other_columns_ignored(directory):
    existing = DataPointFactory(
        indicator=directory["unemployment"],
        area=directory["home"],
        period_label="August 2025",
        period_start=datetime.date(2025, 8, 1),
        period_end=datetime.date(2025, 8, 31),
        value=Decimal("4.2"),
        sample_size=500,
        rank=3,
    )
    text = csv_text(
        "unemployment-rate,E06000042,August 2025,2025-08-01,2025-08-31,4.34,Milton Keynes",
        headings="indicator,area_code,period_label,period_start,period_end,value,area_name",
    )

    import_text(text)

    existing.refresh_from_db()
    assert (existing.value, existing.sample_size, existing.rank) == (Decimal("4.34"), 500, 3)


# ---- re-import updates rather than duplicates -------------------------------------------------


def test_importing_the_same_period_again_updates_it(directory):
    first = import_text(csv_text(AUGUST_HOME, AUGUST_ENGLAND))

    second = import_text(csv_text(AUGUST_HOME.replace(",4.34,", ",4.41,"), AUGUST_ENGLAND))

    assert DataPoint.objects.count() == 2
    home = DataPoint.objects.get(area=directory["home"])
    assert home.value == Decimal("4.41")
    assert home.import_batch == second
    assert DataPoint.objects.get(area=directory["england"]).import_batch == first, "unchanged rows are left"
    assert (second.created_count, second.updated_count, second.row_count) == (0, 1, 2)
    change = second.changes.get()
    assert (change.kind, change.before["value"], change.after["value"]) == (
        ChangeKind.UPDATED,
        "4.34",
        "4.41",
    )


def test_naming_the_indicators_own_source_changes_nothing(directory):
    import_text(csv_text(AUGUST_HOME))
    source = directory["unemployment"].source

    again = parse_data_points(csv_text(AUGUST_HOME + f"{source.publisher}|{source.title}"))

    assert again.errors == []
    assert again.count("unchanged") == 1


# ---- bad rows: named with their row number, and nothing written -------------------------------

BAD_ROWS = [
    pytest.param(
        "no-such-indicator,E06000042,August 2025,2025-08-01,2025-08-31,4.34,,,,",
        "Row 3: no indicator has the slug “no-such-indicator”",
        id="unknown-indicator",
    ),
    pytest.param(
        "unemployment-rate,E06000099,August 2025,2025-08-01,2025-08-31,4.34,,,,",
        "Row 3: no area has the code “E06000099”",
        id="unknown-area",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,four,,,,",
        "Row 3: value “four” is not a number",
        id="non-numeric-value",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,NaN,,,,",
        "Row 3: value “NaN” is not a number",
        id="not-a-number-value",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,1e12,,,,",
        "Row 3: value “1e12” is too large",
        id="value-too-large",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,,,,,",
        "Row 3: value is empty",
        id="no-value",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,01/08/2025,2025-08-31,4.7,,,,",
        "Row 3: period_start “01/08/2025” is not a date written like 2025-08-31",
        id="bad-date",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-02-30,2025-08-31,4.7,,,,",
        "Row 3: period_start “2025-02-30” is not a date",
        id="impossible-date",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-31,2025-08-01,4.7,,,,",
        "Row 3: period_start is after period_end",
        id="period-backwards",
    ),
    pytest.param(
        "unemployment-rate,E92000001,,2025-08-01,2025-08-31,4.7,,,,",
        "Row 3: period_label is empty",
        id="no-period-label",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,4.7,5.1,4.2,,",
        "Row 3: lower_limit 5.1 is above upper_limit 4.2",
        id="lower-above-upper",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,6.0,4.2,5.1,,",
        "Row 3: value is outside its lower_limit and upper_limit",
        id="value-outside-limits",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,4.7,,,12.5,",
        "Row 3: sample_size “12.5” is not a whole number",
        id="fractional-sample-size",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,4.7,,,,Nobody|Nothing",
        "Row 3: no source “Nobody|Nothing”",
        id="unknown-source",
    ),
    pytest.param(
        "unemployment-rate,E92000001,August 2025,2025-08-01,2025-08-31,4.7,,,,,surplus",
        "Row 3: has more cells than the 10 column headings",
        id="extra-cells",
    ),
    pytest.param(AUGUST_HOME, "Row 3: repeats row 2", id="duplicate-row"),
]


@pytest.mark.parametrize(("bad_row", "message"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_imported(directory, bad_row, message):
    import_text(csv_text(AUGUST_ENGLAND))  # the database already holds a figure
    before = database_state()
    text = csv_text(AUGUST_HOME, bad_row, SURVEY)
    parsed = parse_data_points(text)
    batch = import_batch_create(file_name="bad.csv", content=text, row_count=0, actor=None)

    with pytest.raises(ImportRefused) as refused:
        data_points_import(batch=batch, actor=None)

    assert any(message in str(error) for error in parsed.errors), [str(error) for error in parsed.errors]
    assert all(error.row == 3 for error in parsed.errors), "only the bad row is blamed"
    assert any(message in text for text in refused.value.messages)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING
    assert database_state() == [*before[:-2], ("batches", 2), ("changes", 1)], "only the pending file is new"


def test_a_rank_beyond_the_number_ranked_is_refused(directory):
    text = csv_text(
        "unemployment-rate,E06000042,2024,2024-01-01,2024-12-31,,5,4",
        headings="indicator,area_code,period_label,period_start,period_end,value,rank,rank_out_of",
    )

    assert [str(error) for error in parse_data_points(text).errors] == [
        "Row 2: rank 5 is more than rank_out_of 4"
    ]


def test_a_rank_alone_is_a_figure(directory):
    text = csv_text(
        "unemployment-rate,E06000042,2024,2024-01-01,2024-12-31,,4,63",
        headings="indicator,area_code,period_label,period_start,period_end,value,rank,rank_out_of",
    )

    import_text(text)

    assert DataPoint.objects.get().rank_out_of == 63


def test_every_problem_in_every_row_is_reported(directory):
    parsed = parse_data_points(
        csv_text(
            "nope,E06000042,August 2025,2025-08-01,2025-08-31,x,,,,",
            AUGUST_HOME,
            "unemployment-rate,XX,,2025-08-01,2025-08-31,4.1,,,,",
        )
    )

    assert [str(error) for error in parsed.errors] == [
        "Row 2: no indicator has the slug “nope”",
        "Row 2: value “x” is not a number",
        "Row 4: no area has the code “XX”",
        "Row 4: period_label is empty",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "The file is empty", id="empty"),
        pytest.param(HEADINGS + "\n", "The file has no rows of figures", id="headings-only"),
        pytest.param(
            "indicator,area,value\nx,y,1\n", "The file has no “area_code” column", id="missing-column"
        ),
        pytest.param(
            HEADINGS + ",value\n" + AUGUST_HOME + ",1\n",
            "The column “value” appears more than once",
            id="repeated",
        ),
    ],
)
def test_file_level_problems_are_reported(directory, text, message):
    parsed = parse_data_points(text)

    assert not parsed.is_valid
    assert any(message in str(error) for error in parsed.errors)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param("indicator,value\n".encode("utf-16"), "not UTF-8", id="utf-16"),
        pytest.param("area,valeur\nÎle,1\n".encode("latin-1"), "not UTF-8", id="latin-1"),
        pytest.param(b"PK\x03\x04\x00\x00", "not a CSV file", id="spreadsheet-not-csv"),
        pytest.param(b"x" * 101, "larger than", id="too-large"),
    ],
)
def test_unreadable_uploads_are_refused_with_a_clear_message(data, message):
    with pytest.raises(UploadError, match=message):
        decode_upload(data, max_bytes=100)


def test_a_failure_while_writing_leaves_the_database_as_it_was(directory, monkeypatch):
    import_text(csv_text(AUGUST_ENGLAND))
    text = csv_text(AUGUST_HOME, AUGUST_ENGLAND.replace(",4.7,", ",4.9,"), SURVEY)
    batch = import_batch_create(file_name="figures.csv", content=text, row_count=3, actor=None)
    before = database_state()

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ImportedChange.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        data_points_import(batch=batch, actor=None)

    assert database_state() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING


def test_a_batch_is_imported_once(directory):
    batch = import_text(csv_text(AUGUST_HOME))

    with pytest.raises(ValidationError, match="already been imported"):
        data_points_import(batch=batch, actor=None)

    assert DataPoint.objects.count() == 1


# ---- roll back --------------------------------------------------------------------------------


@pytest.fixture
def earlier_figure(directory):
    return DataPointFactory(
        indicator=directory["unemployment"],
        area=directory["england"],
        period_label="Aug 2025",
        period_start=datetime.date(2025, 8, 1),
        period_end=datetime.date(2025, 8, 31),
        value=Decimal("4.5"),
        lower_limit=Decimal("4.1"),
        upper_limit=Decimal("4.9"),
    )


def test_roll_back_deletes_created_figures_and_restores_updated_ones(directory, earlier_figure):
    before = database_state()
    batch = import_text(csv_text(AUGUST_HOME, AUGUST_ENGLAND, SURVEY))
    assert DataPoint.objects.count() == 3
    staff = UserFactory(staff=True)

    import_batch_roll_back(batch=batch, actor=staff)

    batch.refresh_from_db()
    assert (batch.status, batch.rolled_back_by) == (ImportStatus.ROLLED_BACK, staff)
    assert batch.rolled_back_at is not None
    points = [row for row in database_state() if row[0] not in ("batches", "changes")]
    assert points == [row for row in before if row[0] not in ("batches", "changes")]
    earlier_figure.refresh_from_db()
    assert (earlier_figure.period_label, earlier_figure.value, earlier_figure.lower_limit) == (
        "Aug 2025",
        Decimal("4.5"),
        Decimal("4.1"),
    )
    assert earlier_figure.import_batch is None


def test_roll_back_is_refused_when_a_figure_was_edited_since(directory):
    batch = import_text(csv_text(AUGUST_HOME, AUGUST_ENGLAND))
    DataPoint.objects.filter(area=directory["england"]).update(value=Decimal("4.8"))
    before = database_state()

    with pytest.raises(ValidationError) as refused:
        import_batch_roll_back(batch=batch, actor=None)

    assert "Row 3: the figure has been edited since" in " ".join(refused.value.messages)
    assert database_state() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED


def test_roll_back_is_refused_when_staff_added_comparisons_to_a_new_figure(directory):
    batch = import_text(csv_text(AUGUST_HOME))
    StatedComparison.objects.create(
        data_point=DataPoint.objects.get(), comparator=directory["england"], relation="lower"
    )

    with pytest.raises(ValidationError, match="stated comparisons"):
        import_batch_roll_back(batch=batch, actor=None)

    assert DataPoint.objects.count() == 1


def test_later_imports_are_rolled_back_first(directory, earlier_figure):
    first = import_text(csv_text(AUGUST_ENGLAND))
    second = import_text(csv_text(AUGUST_ENGLAND.replace(",4.7,", ",4.9,")))

    with pytest.raises(ValidationError, match="changed by a later import"):
        import_batch_roll_back(batch=first, actor=None)
    import_batch_roll_back(batch=second, actor=None)
    earlier_figure.refresh_from_db()
    assert (earlier_figure.value, earlier_figure.import_batch) == (Decimal("4.7"), first)
    import_batch_roll_back(batch=first, actor=None)

    earlier_figure.refresh_from_db()
    assert (earlier_figure.value, earlier_figure.import_batch) == (Decimal("4.5"), None)


def test_a_batch_is_rolled_back_once(directory):
    batch = import_text(csv_text(AUGUST_HOME))
    import_batch_roll_back(batch=batch, actor=None)

    with pytest.raises(ValidationError, match="only an imported file"):
        import_batch_roll_back(batch=batch, actor=None)


# ---- the command ------------------------------------------------------------------------------


def run_command(*args) -> int:
    """Run import_indicators and return the exit status manage.py would give (CommandError.returncode)."""
    try:
        call_command("import_indicators", *map(str, args))
    except CommandError as error:
        return error.returncode
    return 0


def test_command_imports_a_good_file_and_exits_zero(directory, tmp_path, capsys):
    path = tmp_path / "figures.csv"
    path.write_text(csv_text(AUGUST_HOME, AUGUST_ENGLAND), encoding="utf-8")

    status = run_command(path)

    assert status == 0
    assert "2 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert ImportBatch.objects.get().status == ImportStatus.IMPORTED
    assert DataPoint.objects.count() == 2


def test_command_prints_row_errors_imports_nothing_and_exits_non_zero(directory, tmp_path, capsys):
    path = tmp_path / "figures.csv"
    path.write_text(
        csv_text(AUGUST_HOME, "unemployment-rate,E06000042,Sep 2025,2025-09-01,2025-09-30,n/a,,,,")
    )

    status = run_command(path)

    assert status == 1
    assert "Row 3: value “n/a” is not a number" in capsys.readouterr().err
    assert DataPoint.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_command_dry_run_saves_nothing(directory, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(csv_text(AUGUST_HOME))

    call_command("import_indicators", str(path), "--dry-run")

    assert DataPoint.objects.count() == 0
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "Cannot read", id="missing-file"),
        pytest.param("é".encode("latin-1"), "not UTF-8", id="not-utf-8"),
    ],
)
def test_command_refuses_an_unreadable_file(tmp_path, content, message):
    path = tmp_path / "figures.csv"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_indicators", str(path))
