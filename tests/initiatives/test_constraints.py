"""The database itself refuses rows that break an invariant, whatever code wrote them.

Each case comes as a pair: the bad row is refused, and the same row with the one
field put right saves, so a refusal cannot come from anything but the rule tested.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    AreaFactory,
    AudienceFactory,
    DataPointFactory,
    DatedSessionFactory,
    IndicatorFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def assert_refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def assert_saved(make):
    with transaction.atomic():
        row = make()
    assert row.pk is not None


SERVICE_FIELDS = [
    pytest.param(
        {"minimum_age": 30, "maximum_age": 18},
        {"minimum_age": 18, "maximum_age": 18},
        id="min-age-above-max-age",
    ),
    pytest.param(
        {"starts_on": D(2025, 10, 2), "ends_on": D(2025, 10, 1)},
        {"starts_on": D(2025, 10, 1), "ends_on": D(2025, 10, 1)},
        id="ends-before-it-starts",
    ),
    pytest.param({"publication_state": "live"}, {"publication_state": "archived"}, id="unknown-state"),
    pytest.param({"publication_state": ""}, {"publication_state": "pending"}, id="blank-state"),
    pytest.param({"kind": "course"}, {"kind": "event"}, id="unknown-kind"),
    pytest.param({"status": "paused"}, {"status": "temporarily_closed"}, id="unknown-status"),
    pytest.param({"service_area": "county"}, {"service_area": "national"}, id="unknown-service-area"),
]


@pytest.mark.parametrize(("bad", "good"), SERVICE_FIELDS)
def test_service_row(bad, good):
    organisation = OrganisationFactory()

    assert_refused(lambda: ServiceFactory(organisation=organisation, **bad))
    assert_saved(lambda: ServiceFactory(organisation=organisation, **good))


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        pytest.param({"publication_state": "live"}, {"publication_state": "draft"}, id="unknown-state"),
    ],
)
def test_organisation_row(bad, good):
    assert_refused(lambda: OrganisationFactory(**bad))
    assert_saved(lambda: OrganisationFactory(**good))


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        pytest.param(
            {"opens_at": datetime.time(17), "closes_at": datetime.time(9)},
            {"opens_at": datetime.time(9), "closes_at": datetime.time(17)},
            id="closes-before-it-opens",
        ),
        pytest.param(
            {"opens_at": datetime.time(9), "closes_at": datetime.time(9)},
            {"opens_at": datetime.time(9), "closes_at": datetime.time(9, 1)},
            id="closes-as-it-opens",
        ),
        pytest.param({"weekday": 7}, {"weekday": 6}, id="weekday-7"),
    ],
)
def test_schedule_row(bad, good):
    service = ServiceFactory()

    assert_refused(lambda: ScheduleFactory(service=service, **bad))
    assert_saved(lambda: ScheduleFactory(service=service, **good))


@pytest.mark.parametrize(
    ("length", "saves"),
    [
        pytest.param(datetime.timedelta(hours=-1), False, id="ends-before-it-starts"),
        pytest.param(datetime.timedelta(0), False, id="ends-as-it-starts"),
        pytest.param(datetime.timedelta(minutes=30), True, id="half-an-hour"),
    ],
)
def test_dated_session_must_end_after_it_starts(length, saves):
    service = ServiceFactory()
    starts_at = datetime.datetime(2025, 10, 14, 10, tzinfo=datetime.UTC)

    def make():
        return DatedSessionFactory(service=service, starts_at=starts_at, ends_at=starts_at + length)

    if saves:
        assert_saved(make)
    else:
        assert_refused(make)


def test_organisation_cannot_be_its_own_parent():
    organisation = OrganisationFactory()
    other = OrganisationFactory()

    def set_parent(parent):
        organisation.parent = parent
        organisation.save()
        return organisation

    assert_refused(lambda: set_parent(organisation))
    assert_saved(lambda: set_parent(other))


def test_need_cannot_be_its_own_parent():
    need = NeedFactory()
    other = NeedFactory()

    def set_parent(parent):
        need.parent = parent
        need.save()
        return need

    assert_refused(lambda: set_parent(need))
    assert_saved(lambda: set_parent(other))


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        pytest.param(
            {"latitude": Decimal("52.04")},
            {"latitude": Decimal("52.04"), "longitude": Decimal("-0.76")},
            id="latitude-without-longitude",
        ),
        pytest.param(
            {"longitude": Decimal("-0.76")},
            {"latitude": None, "longitude": None},
            id="longitude-without-latitude",
        ),
        pytest.param(
            {"latitude": Decimal("90.5"), "longitude": Decimal("0")},
            {"latitude": Decimal("90"), "longitude": Decimal("0")},
            id="latitude-above-90",
        ),
        pytest.param(
            {"latitude": Decimal("-90.5"), "longitude": Decimal("0")},
            {"latitude": Decimal("-90"), "longitude": Decimal("0")},
            id="latitude-below-minus-90",
        ),
        pytest.param(
            {"latitude": Decimal("0"), "longitude": Decimal("180.5")},
            {"latitude": Decimal("0"), "longitude": Decimal("180")},
            id="longitude-above-180",
        ),
        pytest.param(
            {"latitude": Decimal("0"), "longitude": Decimal("-181")},
            {"latitude": Decimal("0"), "longitude": Decimal("-180")},
            id="longitude-below-minus-180",
        ),
    ],
)
def test_location_coordinates(bad, good):
    assert_refused(lambda: LocationFactory(**bad))
    assert_saved(lambda: LocationFactory(**good))


@pytest.mark.parametrize(
    "factory",
    [
        pytest.param(ServiceFactory, id="service"),
        pytest.param(OrganisationFactory, id="organisation"),
        pytest.param(NeedFactory, id="need"),
        pytest.param(AudienceFactory, id="audience"),
        pytest.param(IndicatorFactory, id="indicator"),
    ],
)
def test_slugs_are_unique(factory):
    factory(slug="same-slug")

    assert_refused(lambda: factory(slug="same-slug"))
    assert_saved(lambda: factory(slug="another-slug"))


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        pytest.param(
            {"value": Decimal("5"), "lower_limit": Decimal("6"), "upper_limit": Decimal("4")},
            {"value": Decimal("5"), "lower_limit": Decimal("5"), "upper_limit": Decimal("5")},
            id="lower-limit-above-upper",
        ),
        pytest.param({"value": None, "rank": 0}, {"value": None, "rank": 1}, id="rank-0"),
        pytest.param(
            {"value": None, "rank": 64, "rank_out_of": 63},
            {"value": None, "rank": 63, "rank_out_of": 63},
            id="rank-beyond-rank-out-of",
        ),
        pytest.param(
            {"value": None, "rank": None},
            {"value": Decimal("0"), "rank": None},
            id="neither-value-nor-rank",
        ),
        pytest.param(
            {"period_start": D(2025, 1, 1), "period_end": D(2024, 12, 31)},
            {"period_start": D(2025, 1, 1), "period_end": D(2025, 1, 1)},
            id="period-ends-before-it-starts",
        ),
        pytest.param({"stated_trend": "soared"}, {"stated_trend": "increased"}, id="unknown-stated-trend"),
    ],
)
def test_data_point_row(bad, good):
    indicator = IndicatorFactory()
    area = AreaFactory()

    assert_refused(lambda: DataPointFactory(indicator=indicator, area=area, **bad))
    assert_saved(lambda: DataPointFactory(indicator=indicator, area=area, **good))


def test_one_value_per_indicator_area_and_period():
    indicator = IndicatorFactory()
    home, region = AreaFactory(), AreaFactory()
    august = {"period_label": "August 2025", "period_start": D(2025, 8, 1), "period_end": D(2025, 8, 31)}
    DataPointFactory(indicator=indicator, area=home, **august)

    assert_refused(lambda: DataPointFactory(indicator=indicator, area=home, value=Decimal("9"), **august))
    assert_saved(lambda: DataPointFactory(indicator=indicator, area=region, **august))
    assert_saved(lambda: DataPointFactory(indicator=IndicatorFactory(), area=home, **august))
    assert_saved(
        lambda: DataPointFactory(
            indicator=indicator, area=home, period_start=D(2025, 9, 1), period_end=D(2025, 9, 30)
        )
    )


def test_only_one_home_area():
    AreaFactory(is_home=True)

    assert_refused(lambda: AreaFactory(is_home=True))
    assert_saved(lambda: AreaFactory(is_home=False))


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        pytest.param({"value_type": "ratio"}, {"value_type": "count"}, id="unknown-value-type"),
        pytest.param({"polarity": "up"}, {"polarity": "higher_better"}, id="unknown-polarity"),
        pytest.param({"decimal_places": 7}, {"decimal_places": 6}, id="too-many-decimal-places"),
        pytest.param({"publication_state": "live"}, {"publication_state": "draft"}, id="unknown-state"),
    ],
)
def test_indicator_row(bad, good):
    assert_refused(lambda: IndicatorFactory(**bad))
    assert_saved(lambda: IndicatorFactory(**good))
