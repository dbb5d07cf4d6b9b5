"""The demo loader: loads the data files faithfully, is safe to run twice, and refuses bad data whole."""

import csv
import datetime
import re
import shutil
from decimal import Decimal
from functools import partial
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from indicators.models import Area, ContextFact, DataPoint, Indicator, IndicatorNeed, IndicatorService, Source
from initiatives.demo.loader import (
    DATA_DIR,
    LAST_VERIFIED_ON,
    ONS_DIR,
    REVIEW_DUE_ON,
    DemoDataError,
    load_demo,
    read_demo_data,
)
from initiatives.models import (
    Audience,
    AuditEntry,
    Contact,
    CostOption,
    DatedSession,
    Location,
    Need,
    Organisation,
    Schedule,
    Service,
)
from initiatives.publishing import PublicationState
from initiatives.search.models import Synonym

MILTON_KEYNES, UNITED_KINGDOM = "E06000042", "K02000001"
SOUTH_EAST, ENGLAND = "E12000008", "E92000001"
ONS_COMMIT = "4972c588d0c192839afc8fa54ae82cb3dc7721ed"

# Each kind of record in the data files, and the model it is loaded into.
MODEL_OF_KIND = {
    "need": Need,
    "audience": Audience,
    "organisation": Organisation,
    "service": Service,
    "area": Area,
    "source": Source,
    "indicator": Indicator,
    "context_fact": ContextFact,
    "synonym": Synonym,
}


def _snapshot() -> dict:
    """Every row of every model in our two apps (including many-to-many tables), every field."""
    snapshot = {}
    for label in ("initiatives", "indicators"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            snapshot[model._meta.label] = list(model.objects.order_by("pk").values())
    return snapshot


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of the real data files, to change one thing in."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _edit(data_dir: Path, file_name: str, old: str, new: str) -> None:
    """Replace the first `old` in one data file, as a staff member correcting it would."""
    path = data_dir / file_name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {file_name}"
    path.write_text(text.replace(old, new, 1))


def _point(indicator_slug: str, area_code: str = MILTON_KEYNES) -> DataPoint:
    return DataPoint.objects.select_related("source", "indicator__source").get(
        indicator__slug=indicator_slug, area__code=area_code
    )


# ---- loading: every record, once ------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_creates_and_changes_nothing_the_second_time():
    first_output = _load()
    first = _snapshot()
    second_output = _load()
    second = _snapshot()

    assert "0 updated, 0 unchanged" in first_output
    assert "0 created, 0 updated" in second_output
    assert {label: len(rows) for label, rows in second.items()} == {
        label: len(rows) for label, rows in first.items()
    }
    # Every value of every row, including updated_at, is the same after the second run.
    assert second == first


@pytest.mark.parametrize("kind, model", MODEL_OF_KIND.items(), ids=MODEL_OF_KIND.keys())
@pytest.mark.django_db
def test_every_record_in_the_data_files_is_loaded(kind, model):
    _load()
    assert model.objects.count() == len(read_demo_data()[kind]) > 0


@pytest.mark.django_db
def test_a_rerun_puts_back_a_changed_value():
    _load()
    Organisation.objects.filter(slug="works-for-us").update(description="Changed by hand")
    Service.objects.get(slug="works-for-us-digital-skills").needs.clear()

    output = _load()

    assert "0 created, 2 updated" in output
    assert Organisation.objects.get(slug="works-for-us").description.startswith("Works for Us is a charity")
    assert set(
        Service.objects.get(slug="works-for-us-digital-skills").needs.values_list("slug", flat=True)
    ) == {"digital-skills", "job-applications", "find-work"}


@pytest.mark.django_db
def test_a_figure_corrected_in_its_data_file_is_loaded(data_copy):
    _load()
    _edit(data_copy, "indicators.toml", "value = 4.34", "value = 4.35")

    result = load_demo(data_dir=data_copy)

    assert (result["created"], result["updated"]) == (0, 1)
    assert result["models"]["indicators.DataPoint"]["updated"] == 1
    assert _point("unemployment-rate").value == Decimal("4.35")


@pytest.mark.django_db
def test_changes_are_audited_once():
    _load()
    public_records = sum(model.objects.count() for model in (Organisation, Service, Indicator, ContextFact))
    audited = AuditEntry.objects.filter(action="load_demo", actor=None)
    assert audited.count() == public_records
    _load()
    assert audited.count() == public_records


@pytest.mark.django_db
def test_synonyms_are_found_again_however_the_file_writes_them(data_copy):
    _edit(data_copy, "synonyms.toml", '"visa, immigration"', '"Visa,  Immigration"')
    load_demo(data_dir=data_copy)
    assert Synonym.objects.filter(terms="visa, immigration").exists()
    assert load_demo(data_dir=data_copy)["created"] == 0


# ---- what is loaded: published, linked, cited, nothing invented --------------------------------------


@pytest.mark.django_db
def test_every_public_record_is_published_and_listings_have_fixed_review_dates():
    _load()
    for model in (Organisation, Service, Indicator, ContextFact):
        assert not model.objects.exclude(publication_state=PublicationState.PUBLISHED).exists()
    for model in (Organisation, Service):
        assert set(model.objects.values_list("last_verified_on", "review_due_on")) == {
            (LAST_VERIFIED_ON, REVIEW_DUE_ON)
        }


@pytest.mark.django_db
def test_every_reference_resolves():
    _load()
    for service in Service.objects.select_related("organisation"):
        assert service.organisation.is_published
        assert service.needs.exists(), service.slug
    assert Need.objects.filter(parent__isnull=False).exists()
    for model in (IndicatorNeed, IndicatorService):
        assert model.objects.exists()
        assert not model.objects.filter(note="").exists()
    assert ContextFact.objects.filter(services__isnull=False).exists()


@pytest.mark.django_db
def test_partnerships_link_both_ways_and_branches_sit_under_their_parent():
    _load()
    works_for_us = Organisation.objects.get(slug="works-for-us")
    citizens_advice = Organisation.objects.get(slug="citizens-advice-milton-keynes")
    # organisations.toml lists each partnership on one side only.
    assert list(works_for_us.partners.all()) == [citizens_advice]
    assert list(citizens_advice.partners.all()) == [works_for_us]
    assert Organisation.objects.get(slug="mk-innovates").parent.slug == "career-connect"


@pytest.mark.django_db
def test_every_figure_has_a_period_and_a_cited_source():
    _load()
    assert DataPoint.objects.exists()
    for point in DataPoint.objects.select_related("source", "indicator__source"):
        assert point.period_label
        assert point.period_start <= point.period_end
        assert point.value is not None or point.rank is not None
        assert point.cited_source.publisher and point.cited_source.title
    assert not ContextFact.objects.filter(source=None).exists()


@pytest.mark.django_db
def test_no_contact_detail_or_exact_date_is_invented():
    """The seed gives no contact details, addresses or exact event dates, so the demo has none."""
    _load()
    for model in (Organisation, Service):
        assert not model.objects.exclude(website="", email="", phone="").exists(), model.__name__
    assert not Organisation.objects.exclude(charity_number="", company_number="").exists()
    assert not Service.objects.exclude(starts_on=None, ends_on=None).exists()
    for model in (Location, Contact, Schedule, DatedSession, CostOption):
        assert not model.objects.exists(), model.__name__
    # The only web addresses are those of the ONS files the demo copies, at the commit copied.
    for source in Source.objects.exclude(url=""):
        assert source.url.startswith(
            f"https://github.com/ONSdigital/explore-local-statistics-data/blob/{ONS_COMMIT}/"
        ), source.title


# ---- the seed's headline figures ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "indicator_slug, area_code, value, period_label, publisher",
    [
        (
            "unemployment-rate",
            MILTON_KEYNES,
            Decimal("4.34"),
            "August 2025",
            "Department for Work and Pensions",
        ),
        (
            "workless-households",
            MILTON_KEYNES,
            Decimal("8000"),
            "July 2025",
            "Office for National Statistics",
        ),
        ("earnings-growth-2021-2024", MILTON_KEYNES, Decimal("17.6"), "2021 to 2024", "Sky News"),
        ("earnings-growth-2021-2024", UNITED_KINGDOM, Decimal("21.6"), "2021 to 2024", "Sky News"),
    ],
    ids=["unemployment", "workless-households", "earnings-growth-mk", "earnings-growth-uk"],
)
@pytest.mark.django_db
def test_the_seeds_headline_figures_with_period_and_source(
    indicator_slug, area_code, value, period_label, publisher
):
    _load()
    point = _point(indicator_slug, area_code)
    assert (point.value, point.period_label, point.cited_source.publisher) == (value, period_label, publisher)


@pytest.mark.django_db
def test_where_the_seed_contradicts_itself_the_references_date_is_kept_and_noted():
    _load()
    workless = _point("workless-households")
    assert workless.period_start == datetime.date(2025, 7, 1)
    assert "July 2024" in workless.status_note and "30 July 2025" in workless.status_note

    robots = ContextFact.objects.select_related("source").get(slug="robot-street-cleaner-trial-funding")
    assert robots.date_label == "October 2025"
    assert robots.source.published_on == datetime.date(2025, 10, 22)
    assert "October 2024" in robots.description and "October 2024" in robots.source.notes


@pytest.mark.django_db
def test_the_dwp_unemployment_rate_keeps_its_one_seed_figure():
    """The ONS series are other measures, in indicators of their own: never joined to the seed's."""
    _load()
    points = DataPoint.objects.filter(indicator__slug="unemployment-rate").select_related(
        "source", "indicator"
    )
    assert [(point.area.code, point.value, point.period_label) for point in points] == [
        (MILTON_KEYNES, Decimal("4.34"), "August 2025")
    ]
    assert points[0].cited_source.publisher == "Department for Work and Pensions"


@pytest.mark.django_db
def test_the_new_economy_firms_rank_reads_in_the_uk():
    _load()
    indicator = Indicator.objects.with_figures().get(slug="new-economy-firms-rank")
    assert indicator.rank_scope == "in the UK"
    assert indicator.plain_sentence == (
        "Milton Keynes ranked 4th in the UK for new technology businesses in Cities Outlook 2025."
    )


# ---- the ONS series: read from the copies in data/ons/ by the ONS reader ------------------------------

# Each indicator read from an ONS file: its file in data/ons/, and the series it takes from it.
ONS_INDICATORS = {
    "claimant-count-rate": ("claimant-count.csv", "Claimant Count"),
    "median-weekly-pay": ("gross-median-weekly-pay.csv", "Gross median weekly pay"),
    "modelled-unemployment-rate": ("modelled-unemployment.csv", "Modelled unemployment rate"),
    "employment-rate": ("employment-rate.csv", "Employment rate"),
    "business-birth-rate": ("business-demography.csv", "Business births"),
    "qualifications-level-3-or-above": (
        "qualifications-level-3-or-above.csv",
        "Level 3 or above qualifications (Great Britain)",
    ),
}
FOUR_PLACES = Decimal("0.0001")  # as DataPoint stores them


def _vendored_rows(file_name: str, series: str) -> list[tuple[int, dict]]:
    """The copied file's rows for one series, with their row numbers (the heading row is 1), read plainly."""
    with open(DATA_DIR / ONS_DIR / file_name, encoding="utf-8-sig", newline="") as ons_file:
        rows = enumerate(csv.DictReader(ons_file), start=2)
        return [(number, row) for number, row in rows if row["indicator"] == series]


def _as_stored(text: str) -> Decimal | None:
    return Decimal(text).quantize(FOUR_PLACES) if text else None


def _row_line(file_name: str, number: int) -> str:
    return (DATA_DIR / ONS_DIR / file_name).read_text(encoding="utf-8-sig").splitlines()[number - 1]


@pytest.mark.parametrize("indicator_slug", ["claimant-count-rate", "median-weekly-pay"])
@pytest.mark.django_db
def test_the_claimant_count_and_pay_series_cover_three_areas_over_years(indicator_slug):
    _load()
    indicator = Indicator.objects.get(slug=indicator_slug)
    for area_code in (MILTON_KEYNES, SOUTH_EAST, ENGLAND):
        points = indicator.data_points.filter(area__code=area_code)
        assert points.count() >= 4, area_code
        assert len({point.period_start.year for point in points}) == points.count()
    assert indicator.frequency == "Yearly"
    file_name = ONS_INDICATORS[indicator_slug][0]
    folder = file_name.removesuffix(".csv")
    assert indicator.source.url.endswith(f"/blob/{ONS_COMMIT}/{folder}/{file_name}")
    assert indicator.source.licence == "Open Government Licence v3.0"
    assert "Office for National Statistics licensed under the Open Government Licence v.3.0" in (
        indicator.source.notes
    )


@pytest.mark.django_db
def test_pay_has_its_confidence_limits_and_the_claimant_count_has_none():
    _load()
    pay = DataPoint.objects.filter(indicator__slug="median-weekly-pay")
    assert not pay.filter(lower_limit=None).exists() and not pay.filter(upper_limit=None).exists()
    for point in pay:
        assert point.lower_limit < point.value < point.upper_limit
    claimants = DataPoint.objects.filter(indicator__slug="claimant-count-rate")
    assert not claimants.exclude(lower_limit=None, upper_limit=None).exists()


@pytest.mark.parametrize("indicator_slug", ONS_INDICATORS, ids=ONS_INDICATORS)
@pytest.mark.django_db
def test_every_ons_figure_equals_the_copied_files(indicator_slug):
    """Read with csv here, not with the reader under test: one data point per row, the same numbers."""
    _load()
    file_name, series = ONS_INDICATORS[indicator_slug]
    rows = _vendored_rows(file_name, series)
    # A yearly period starts on its row's date; a survey dated to a day ("2025-04-30") is its month.
    points = {
        (point.area.code, f"{point.period_start:%Y-%m}"): point
        for point in DataPoint.objects.filter(indicator__slug=indicator_slug).select_related(
            "area", "source", "indicator__source"
        )
    }
    assert len(points) == len(rows) > 0
    for number, row in rows:
        point = points[(row["areacd"], row["period"][:7])]
        assert (point.value, point.lower_limit, point.upper_limit) == (
            _as_stored(row["observation"]),
            _as_stored(row["lci_95"]),
            _as_stored(row["uci_95"]),
        ), f"{file_name} row {number}"
        assert point.cited_source == point.indicator.source


@pytest.mark.parametrize(
    "indicator_slug, area_code, period_start, period_end, period_label, value, lower, upper",
    [
        (
            "claimant-count-rate",
            MILTON_KEYNES,
            datetime.date(2025, 1, 1),
            datetime.date(2025, 12, 31),
            "2025",
            "4.1",
            None,
            None,
        ),
        (
            "median-weekly-pay",
            MILTON_KEYNES,
            datetime.date(2025, 4, 1),
            datetime.date(2025, 4, 30),
            "April 2025",
            "703.6",
            "638.7844",
            "768.4156",
        ),
        (
            "median-weekly-pay",
            ENGLAND,
            datetime.date(2008, 4, 1),
            datetime.date(2008, 4, 30),
            "April 2008",
            "396.1",
            "394.5473",
            "397.6527",
        ),
    ],
    ids=["claimant-count-mk-2025", "pay-mk-2025", "pay-england-2008"],
)
@pytest.mark.django_db
def test_a_few_ons_figures_as_published(
    indicator_slug, area_code, period_start, period_end, period_label, value, lower, upper
):
    _load()
    point = DataPoint.objects.get(
        indicator__slug=indicator_slug, area__code=area_code, period_start=period_start
    )
    assert (point.period_end, point.period_label) == (period_end, period_label)
    assert (point.value, point.lower_limit, point.upper_limit) == (
        Decimal(value),
        Decimal(lower) if lower else None,
        Decimal(upper) if upper else None,
    )


@pytest.mark.django_db
def test_a_second_load_leaves_the_ons_figures_unchanged():
    first = load_demo()
    second = load_demo()
    ons_points = DataPoint.objects.filter(indicator__slug__in=ONS_INDICATORS).count()
    assert ons_points == sum(len(_vendored_rows(*ONS_INDICATORS[slug])) for slug in ONS_INDICATORS)
    assert first["models"]["indicators.DataPoint"] == {"created": DataPoint.objects.count()}
    assert second["models"]["indicators.DataPoint"] == {"unchanged": DataPoint.objects.count()}
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, first["created"])


@pytest.mark.django_db
def test_a_figure_in_indicators_toml_may_sit_beside_an_ons_file_for_another_period(data_copy):
    _edit(
        data_copy,
        "indicators.toml",
        '[indicator.ons]\nfile = "claimant-count.csv"',
        '[[indicator.data_point]]\narea = "E06000042"\nperiod_label = "2026"\nperiod_start = 2026-01-01\n'
        'period_end = 2026-12-31\nvalue = 4.2\n\n[indicator.ons]\nfile = "claimant-count.csv"',
    )
    load_demo(data_dir=data_copy)
    claimants = DataPoint.objects.filter(indicator__slug="claimant-count-rate", area__code=MILTON_KEYNES)
    assert claimants.count() == 26
    assert claimants.get(period_start=datetime.date(2026, 1, 1)).value == Decimal("4.2")


def _claimant_row(area_code: str, year: int) -> tuple[int, str]:
    """The row number and text of the claimant count copy's row for one area and year."""
    [number] = [
        number
        for number, row in _vendored_rows("claimant-count.csv", "Claimant Count")
        if row["areacd"] == area_code and row["period"] == f"{year}-01-01/P1Y"
    ]
    return number, _row_line("claimant-count.csv", number)


def _broken_rows() -> list:
    number, line = _claimant_row(MILTON_KEYNES, 2025)
    where = f'indicator "claimant-count-rate", field "ons": ons/claimant-count.csv, row {number}: '
    return [
        pytest.param(line, line.replace(",4.1,", ",four,"), where, "four", id="value-not-a-number"),
        pytest.param(
            line, line.replace("2025-01-01/P1Y", "2025-13-01/P1Y"), where, "2025-13-01", id="no-such-date"
        ),
        pytest.param(line, line.replace("E06000042,", "MK,"), where, "MK", id="not-an-area-code"),
    ]


@pytest.mark.parametrize("old, new, where, shown", _broken_rows())
@pytest.mark.django_db
def test_a_broken_row_in_an_ons_file_stops_the_load_naming_the_file_and_row(
    data_copy, old, new, where, shown
):
    _load()
    before = _snapshot()
    _edit(data_copy, "needs.toml", "Help to look for a job", "Help to find a job")
    _edit(data_copy, f"{ONS_DIR}/claimant-count.csv", old, new)

    with pytest.raises(DemoDataError, match=re.escape(where)) as raised:
        load_demo(data_dir=data_copy)

    assert shown in str(raised.value)
    assert _snapshot() == before


@pytest.mark.django_db
def test_an_ons_row_for_the_same_area_and_period_as_a_toml_figure_stops_the_load(data_copy):
    number, _ = _claimant_row(MILTON_KEYNES, 2025)
    _edit(
        data_copy,
        "indicators.toml",
        '[indicator.ons]\nfile = "claimant-count.csv"',
        '[[indicator.data_point]]\narea = "E06000042"\nperiod_label = "2025"\nperiod_start = 2025-01-01\n'
        'period_end = 2025-12-31\nvalue = 4.1\n\n[indicator.ons]\nfile = "claimant-count.csv"',
    )
    message = (
        f'indicators.toml, indicator "claimant-count-rate", ons/claimant-count.csv row {number}, '
        'field "period_start": data point 1 in indicators.toml has the same area and period'
    )
    with pytest.raises(DemoDataError, match=re.escape(message)):
        load_demo(data_dir=data_copy)
    assert not any(rows for rows in _snapshot().values())


# ---- a problem in a data file: named, and nothing written --------------------------------------------

PROBLEMS = [
    pytest.param(
        "services.toml",
        'organisation = "works-for-us"',
        'organisation = "works-for-all"',
        'services.toml, service "works-for-us-journey-into-work", field "organisation": '
        'no organisation "works-for-all" in organisations.toml',
        id="service-organisation",
    ),
    pytest.param(
        "services.toml",
        'needs = ["digital-skills"]',
        'needs = ["digital-skill"]',
        'services.toml, service "works-for-us-online-platform", field "needs": '
        'no need "digital-skill" in needs.toml',
        id="service-need",
    ),
    pytest.param(
        "services.toml",
        'audiences = ["women"]',
        'audiences = ["woman"]',
        'field "audiences": no audience "woman" in audiences.toml',
        id="service-audience",
    ),
    pytest.param(
        "needs.toml",
        'parent = "find-work"',
        'parent = "find-a-job"',
        'needs.toml, need "confidence-and-motivation", field "parent": no need "find-a-job"',
        id="need-parent",
    ),
    pytest.param(
        "indicators.toml",
        'source = "dwp-2025"',
        'source = "dwp-2024"',
        'indicators.toml, indicator "unemployment-rate", field "source": '
        'no source "dwp-2024" in sources.toml',
        id="indicator-source",
    ),
    pytest.param(
        "indicators.toml",
        'need = "find-work"',
        'need = "find-a-job"',
        'indicators.toml, indicator "unemployment-rate", need 1, field "need": no need "find-a-job"',
        id="indicator-need",
    ),
    pytest.param(
        "indicators.toml",
        'service = "get-south-midlands-working"',
        'service = "get-mk-working"',
        'indicator "unemployment-rate", service 2, field "service": no service "get-mk-working"',
        id="indicator-service",
    ),
    pytest.param(
        "indicators.toml",
        'area = "E06000042"',
        'area = "E06000099"',
        'indicator "unemployment-rate", data point 1, field "area": no area "E06000099" in areas.toml',
        id="data-point-area",
    ),
    pytest.param(
        "indicators.toml",
        'comparator = "E92000001"',
        'comparator = "E92000002"',
        'data point 1, comparison 1, field "comparator": no area "E92000002"',
        id="comparison-comparator",
    ),
    pytest.param(
        "context_facts.toml",
        'source = "seed"',
        'source = "the-seed"',
        'context_facts.toml, context fact "care-workers-affected-by-visa-change", field "source": '
        'no source "the-seed" in sources.toml',
        id="context-fact-source",
    ),
    pytest.param(
        "context_facts.toml",
        'services = ["tech-week-2025-pitch-event"]',
        'services = ["tech-week-2026-pitch-event"]',
        'field "services": no service "tech-week-2026-pitch-event" in services.toml',
        id="context-fact-service",
    ),
    pytest.param(
        "indicators.toml",
        'period_label = "August 2025"\n',
        "",
        'indicator "unemployment-rate", data point 1, field "period_label": missing',
        id="no-period",
    ),
    pytest.param(
        "indicators.toml",
        "period_end = 2025-08-31",
        "period_end = 2024-08-31",
        'data point 1, field "period_end": the period ends before it starts',
        id="period-backwards",
    ),
    pytest.param(
        "indicators.toml",
        "rank = 4\n",
        "",
        'indicator "new-economy-firms-rank", data point 1, field "value": give the figure',
        id="no-value-or-rank",
    ),
    pytest.param(
        "indicators.toml",
        'polarity = "lower_better"',
        'polarity = "lower"',
        'indicator "unemployment-rate", field "polarity": Value \'lower\' is not a valid choice. '
        'Allowed: "higher_better", "lower_better", "none"',
        id="polarity-choice",
    ),
    pytest.param(
        "indicators.toml",
        'value_type = "percentage"',
        'value_type = "percent"',
        "field \"value_type\": Value 'percent' is not a valid choice",
        id="value-type-choice",
    ),
    pytest.param(
        "organisations.toml",
        'slug = "works-for-us"',
        'slug = "works-for-us"\npublication_state = "live"',
        'organisations.toml, organisation "works-for-us", field "publication_state": '
        "Value 'live' is not a valid choice",
        id="publication-state-choice",
    ),
    pytest.param(
        "services.toml",
        'slug = "works-for-us-journey-into-work"',
        'slug = "works-for-us-journey-into-work"\nphone = "01908 000000"',
        'service "works-for-us-journey-into-work", field "phone": not a field here',
        id="contact-detail",
    ),
    pytest.param(
        "indicators.toml",
        'file = "claimant-count.csv"',
        'file = "claimant-counts.csv"',
        'indicators.toml, indicator "claimant-count-rate", field "ons.file": no file ons/claimant-counts.csv',
        id="ons-file-missing",
    ),
    pytest.param(
        "indicators.toml",
        'series = "Employment rate"',
        'series = "Employment rates"',
        'indicators.toml, indicator "employment-rate", field "ons": ons/employment-rate.csv: '
        "The file has no series “Employment rates”",
        id="ons-series-misspelt",
    ),
    pytest.param(
        "indicators.toml",
        'file = "claimant-count.csv"\nareas = ["E06000042", "E12000008", "E92000001"]',
        'file = "claimant-count.csv"\nareas = ["E06000042", "E12000009", "E92000001"]',
        'indicator "claimant-count-rate", field "ons.areas": no area "E12000009" in areas.toml',
        id="ons-area",
    ),
    pytest.param(
        "indicators.toml",
        'file = "claimant-count.csv"\n',
        'file = "claimant-count.csv"\nsheet = 1\n',
        'indicator "claimant-count-rate", field "ons.sheet": not a field here; '
        "the fields are: file, series, areas",
        id="ons-unknown-field",
    ),
]


@pytest.mark.parametrize("file_name, old, new, message", PROBLEMS)
@pytest.mark.django_db
def test_a_problem_in_a_data_file_is_named_and_nothing_is_written(data_copy, file_name, old, new, message):
    _load()
    before = _snapshot()
    # A correction in a file loaded before the faulty one, to show that it is not written either.
    _edit(data_copy, "needs.toml", "Help to look for a job", "Help to find a job")
    _edit(data_copy, file_name, old, new)

    with pytest.raises(DemoDataError, match=re.escape(message)):
        load_demo(data_dir=data_copy)

    assert _snapshot() == before


@pytest.mark.django_db
def test_a_faulty_data_file_leaves_an_empty_database_empty(data_copy):
    _edit(data_copy, "services.toml", 'organisation = "works-for-us"', 'organisation = "works-for-all"')
    with pytest.raises(DemoDataError):
        load_demo(data_dir=data_copy)
    assert not any(rows for rows in _snapshot().values())


@pytest.mark.django_db
def test_the_command_names_the_problem_without_a_traceback(data_copy, monkeypatch):
    _edit(data_copy, "indicators.toml", 'area = "E06000042"', 'area = "E06000099"')
    monkeypatch.setattr(
        "initiatives.demo.management.commands.load_demo.load_demo", partial(load_demo, data_dir=data_copy)
    )
    message = 'field "area": no area "E06000099" in areas.toml\nNothing was loaded.'
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_demo", stdout=StringIO())
