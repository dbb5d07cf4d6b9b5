"""The demo content: complete, faithful to the seed document, and safe to load twice."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from indicators.choices import ComparisonRelation, StatedTrend
from indicators.models import (
    Area,
    ContextFact,
    DataPoint,
    Indicator,
    IndicatorNeed,
    IndicatorService,
    Source,
    StatedComparison,
)
from initiatives.models import (
    AuditEntry,
    Contact,
    CostOption,
    DatedSession,
    Location,
    Need,
    Organisation,
    Schedule,
    Service,
    ServiceStatus,
)
from initiatives.publishing import PublicationState

SEED_ORGANISATIONS = {
    "works-for-us": "Works for Us",
    "citizens-advice-milton-keynes": "Citizens Advice Milton Keynes",
    "milton-keynes-community-foundation": "Milton Keynes Community Foundation",
    "milton-keynes-city-council": "Milton Keynes City Council",
    "career-connect": "Career Connect",
    "mk-innovates": "MK Innovates",
    "the-open-university": "The Open University",
    "tech-week-milton-keynes": "Tech Week Milton Keynes",
}

SEED_SERVICES = {
    "works-for-us-journey-into-work": "works-for-us",
    "works-for-us-digital-skills": "works-for-us",
    "works-for-us-online-platform": "works-for-us",
    "works-for-us-care-worker-visa-programme": "works-for-us",
    "citizens-advice-general-advice": "citizens-advice-milton-keynes",
    "get-south-midlands-working": "milton-keynes-city-council",
    "mk-innovates-stem-festival-2025": "mk-innovates",
    "career-connect-women-in-leadership": "career-connect",
    "prototyping-community-innovation-hubs": "the-open-university",
    "tech-week-2025-pitch-event": "tech-week-milton-keynes",
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


def _point(indicator_slug: str, area_code: str = "E06000042") -> DataPoint:
    return DataPoint.objects.select_related("source").get(
        indicator__slug=indicator_slug, area__code=area_code
    )


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first_output = _load()
    first = _snapshot()
    second_output = _load()
    second = _snapshot()

    assert "0 updated" in first_output
    assert "0 created, 0 updated" in second_output
    assert {label: len(rows) for label, rows in second.items()} == {
        label: len(rows) for label, rows in first.items()
    }
    # Every value of every row, including updated_at, is the same after the second run.
    assert second == first


@pytest.mark.django_db
def test_counts_of_demo_records():
    _load()
    assert Organisation.objects.count() == 8
    assert Service.objects.count() == 10
    assert Need.objects.count() == 11
    assert Need.objects.top_level().count() == 7
    assert Indicator.objects.count() == 8
    assert ContextFact.objects.count() == 4
    assert Area.objects.count() == 4
    # References 1 and 2 are one survey, 3 and 5 one report; plus the seed itself for uncited figures.
    assert Source.objects.count() == 11


@pytest.mark.django_db
def test_rerun_puts_back_a_changed_value():
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
def test_changes_are_audited_once():
    _load()
    audited = AuditEntry.objects.filter(action="load_demo").count()
    assert audited == 8 + 10 + 8 + 4  # organisations, services, indicators, context facts
    _load()
    assert AuditEntry.objects.filter(action="load_demo").count() == audited


@pytest.mark.django_db
def test_every_seed_organisation_is_present_and_published():
    _load()
    for slug, name in SEED_ORGANISATIONS.items():
        organisation = Organisation.objects.get(slug=slug)
        assert organisation.name == name
        assert organisation.publication_state == PublicationState.PUBLISHED
        assert organisation.last_verified_on == datetime.date(2025, 11, 30)
        assert organisation.review_due_on == datetime.date(2026, 5, 30)
        assert organisation.description
    assert Organisation.objects.published().count() == len(SEED_ORGANISATIONS)


@pytest.mark.django_db
def test_organisation_structure():
    _load()
    works_for_us = Organisation.objects.get(slug="works-for-us")
    citizens_advice = Organisation.objects.get(slug="citizens-advice-milton-keynes")
    foundation = Organisation.objects.get(slug="milton-keynes-community-foundation")
    open_university = Organisation.objects.get(slug="the-open-university")

    assert list(works_for_us.partners.all()) == [citizens_advice]
    assert list(citizens_advice.partners.all()) == [works_for_us]
    assert list(open_university.partners.all()) == [foundation]
    assert Organisation.objects.get(slug="mk-innovates").parent.slug == "career-connect"


@pytest.mark.django_db
def test_every_seed_service_is_present_and_published():
    _load()
    for slug, organisation_slug in SEED_SERVICES.items():
        service = Service.objects.get(slug=slug)
        assert service.organisation.slug == organisation_slug
        assert service.publication_state == PublicationState.PUBLISHED
        assert service.last_verified_on == datetime.date(2025, 11, 30)
        assert service.review_due_on == datetime.date(2026, 5, 30)
        assert service.summary and service.description
        assert service.needs.exists()
    assert Service.objects.published().count() == len(SEED_SERVICES)


@pytest.mark.django_db
def test_events_have_only_the_dates_the_seed_gives():
    _load()
    festival = Service.objects.get(slug="mk-innovates-stem-festival-2025")
    pitch = Service.objects.get(slug="tech-week-2025-pitch-event")
    assert (festival.status, festival.dates_note) == (ServiceStatus.ENDED, "October 2025")
    assert (pitch.status, pitch.dates_note) == (ServiceStatus.ENDED, "September 2025")
    for event in (festival, pitch):
        assert event.starts_on is None and event.ends_on is None
    assert Service.objects.get(slug="works-for-us-online-platform").status == ServiceStatus.PLANNED


@pytest.mark.django_db
def test_no_contact_details_are_invented():
    _load()
    for organisation in Organisation.objects.all():
        assert organisation.website == ""
        assert organisation.email == ""
        assert organisation.phone == ""
        assert organisation.charity_number == ""
        assert organisation.company_number == ""
        assert not organisation.logo
    for service in Service.objects.all():
        assert service.website == ""
        assert service.email == ""
        assert service.phone == ""
        assert service.how_to_access == ""
        assert service.cost_description == ""
        assert service.is_free is False
    for model in (Location, Schedule, DatedSession, Contact, CostOption):
        assert not model.objects.exists(), model.__name__
    assert not Source.objects.exclude(url="").exists()


@pytest.mark.django_db
def test_areas_have_official_codes():
    _load()
    assert dict(Area.objects.values_list("code", "name")) == {
        "E06000042": "Milton Keynes",
        "E12000008": "South East",
        "E92000001": "England",
        "K02000001": "United Kingdom",
    }
    assert Area.objects.get(is_home=True).code == "E06000042"


@pytest.mark.django_db
def test_unemployment_with_its_stated_comparisons():
    _load()
    point = _point("unemployment-rate")
    assert point.value == Decimal("4.34")
    assert point.period_label == "August 2025"
    assert (point.period_start, point.period_end) == (datetime.date(2025, 8, 1), datetime.date(2025, 8, 31))
    assert point.stated_trend == StatedTrend.INCREASED
    assert point.source.publisher == "Department for Work and Pensions"
    comparisons = {
        comparison.comparator.code: (comparison.relation, comparison.wording)
        for comparison in StatedComparison.objects.filter(data_point=point).select_related("comparator")
    }
    assert comparisons == {
        "E92000001": (ComparisonRelation.LOWER, "the England average"),
        "E12000008": (ComparisonRelation.HIGHER, "the South East"),
    }


@pytest.mark.django_db
def test_workless_households_keeps_the_references_date_and_notes_the_discrepancy():
    _load()
    point = _point("workless-households")
    assert point.value == Decimal("8000")
    assert point.period_label == "July 2025"
    assert (point.period_start, point.period_end) == (datetime.date(2025, 7, 1), datetime.date(2025, 7, 31))
    assert point.stated_trend == StatedTrend.DECREASED
    assert "July 2024" in point.status_note and "30 July 2025" in point.status_note
    assert point.source.publisher == "Office for National Statistics"
    assert point.source.published_on == datetime.date(2025, 7, 30)


@pytest.mark.django_db
def test_earnings_growth_in_milton_keynes_and_the_uk():
    _load()
    mk = _point("earnings-growth-2021-2024")
    uk = _point("earnings-growth-2021-2024", "K02000001")
    assert mk.value == Decimal("17.6")
    assert uk.value == Decimal("21.6")
    for point in (mk, uk):
        assert point.period_label == "2021 to 2024"
        assert (point.period_start, point.period_end) == (
            datetime.date(2021, 1, 1),
            datetime.date(2024, 12, 31),
        )
        assert point.source.publisher == "Sky News"
    assert "median" in Indicator.objects.get(slug="earnings-growth-2021-2024").caveats


@pytest.mark.django_db
def test_survey_figures():
    _load()
    skills = _point("confidence-in-skills")
    enjoyment = _point("job-enjoyment")
    assert skills.value == Decimal("76")
    assert skills.sample_size is None
    assert enjoyment.value == Decimal("66")
    assert enjoyment.sample_size == 169
    for point in (skills, enjoyment):
        assert point.period_label == "September to October 2025"
        assert (point.period_start, point.period_end) == (
            datetime.date(2025, 9, 1),
            datetime.date(2025, 10, 31),
        )
        assert point.source.title == "MKCF / Opinium Survey"


@pytest.mark.django_db
def test_rankings():
    _load()
    expected = {
        "new-economy-firms-rank": (4, "Cities Outlook 2025", "Cities Outlook 2025"),
        "weekly-earnings-rank": (
            8,
            "2024",
            "Where population is growing – Milton Keynes, Northampton and Peterborough",
        ),
        "start-up-rate-rank": (3, "Cities Outlook 2025", "Cities Outlook 2025"),
    }
    for slug, (rank, period_label, source_title) in expected.items():
        point = _point(slug)
        assert point.rank == rank
        assert point.value is None
        assert point.rank_out_of is None  # the seed does not say how many places were ranked
        assert point.period_label == period_label
        assert point.source.title == source_title
    assert "Slough and London" in _point("start-up-rate-rank").status_note


@pytest.mark.django_db
def test_every_figure_has_a_period_and_a_source():
    _load()
    assert DataPoint.objects.count() == 9
    for point in DataPoint.objects.select_related("indicator"):
        assert point.period_label
        assert point.period_start <= point.period_end
        assert point.source_id == point.indicator.source_id
    for indicator in Indicator.objects.all():
        assert indicator.publication_state == PublicationState.PUBLISHED
        assert indicator.definition and indicator.why_it_matters
    assert list(Indicator.objects.headline().values_list("slug", flat=True)) == [
        "unemployment-rate",
        "workless-households",
        "earnings-growth-2021-2024",
        "confidence-in-skills",
    ]


@pytest.mark.django_db
def test_indicators_link_to_needs_and_services():
    _load()
    assert set(
        IndicatorNeed.objects.filter(indicator__slug="unemployment-rate").values_list("need__slug", flat=True)
    ) == {"find-work", "confidence-and-motivation"}
    assert set(
        IndicatorService.objects.filter(indicator__slug="start-up-rate-rank").values_list(
            "service__slug", flat=True
        )
    ) == {"prototyping-community-innovation-hubs", "tech-week-2025-pitch-event"}
    assert not IndicatorNeed.objects.filter(note="").exists()
    assert not IndicatorService.objects.filter(note="").exists()


@pytest.mark.django_db
def test_context_facts():
    _load()
    expected = {
        "robot-street-cleaner-trial-funding": (Decimal("800000"), "about £800,000", True, "October 2025"),
        "care-workers-affected-by-visa-change": (Decimal("40000"), "around 40,000", True, "July 2025"),
        "tech-week-pitching-businesses": (Decimal("10"), "10", False, "September 2025"),
        "hub-prototype-businesses": (Decimal("20"), "20", False, ""),
    }
    for slug, (value, display_value, is_approximate, date_label) in expected.items():
        fact = ContextFact.objects.select_related("source").get(slug=slug)
        assert (fact.value, fact.display_value, fact.is_approximate, fact.date_label) == (
            value,
            display_value,
            is_approximate,
            date_label,
        )
        assert fact.publication_state == PublicationState.PUBLISHED
        assert fact.source_id

    robots = ContextFact.objects.select_related("source").get(slug="robot-street-cleaner-trial-funding")
    assert robots.source.publisher == "BBC"
    assert robots.source.published_on == datetime.date(2025, 10, 22)
    assert "October 2024" in robots.description and "October 2024" in robots.source.notes

    care = ContextFact.objects.select_related("source").get(slug="care-workers-affected-by-visa-change")
    assert care.source.title == "Work and Local Economy"
    assert "No reference is given" in care.source.notes
    assert list(care.services.values_list("slug", flat=True)) == ["works-for-us-care-worker-visa-programme"]


@pytest.mark.django_db
def test_licence_only_on_government_statistics():
    _load()
    licensed = set(Source.objects.exclude(licence="").values_list("publisher", flat=True))
    assert licensed == {"Office for National Statistics", "Department for Work and Pensions"}
