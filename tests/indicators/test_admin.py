"""The staff admin for indicators, their figures, areas, sources and context facts."""

import pytest
from django.apps import apps
from django.urls import reverse

from indicators.choices import ComparisonRelation
from indicators.models import StatedComparison
from tests.factories import (
    AreaFactory,
    ContextFactFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    IndicatorServiceFactory,
    NeedFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    pytest.param("source", id="source"),
    pytest.param("area", id="area"),
    pytest.param("indicator", id="indicator"),
    pytest.param("datapoint", id="datapoint"),
    pytest.param("contextfact", id="contextfact"),
]


def admin_url(model_name, view, *args):
    return reverse(f"admin:indicators_{model_name}_{view}", args=args)


@pytest.fixture
def evidence():
    """One of every indicators record, so list and change pages render real rows."""
    data_point = DataPointFactory(area=AreaFactory(is_home=True))
    StatedComparison.objects.create(
        data_point=data_point,
        comparator=AreaFactory(kind="country"),
        relation=ComparisonRelation.HIGHER,
        wording="the England average",
    )
    IndicatorNeedFactory(indicator=data_point.indicator, need=NeedFactory())
    IndicatorServiceFactory(indicator=data_point.indicator, service=ServiceFactory())
    fact = ContextFactFactory()
    fact.needs.add(NeedFactory())
    return data_point


@pytest.mark.parametrize("model_name", MODELS)
def test_changelist_and_search_load(staff_client, evidence, model_name):
    assert staff_client.get(admin_url(model_name, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model_name, "changelist"), {"q": "test"}).status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_add_page_loads(staff_client, model_name):
    assert staff_client.get(admin_url(model_name, "add")).status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_change_page_loads_with_its_inlines(staff_client, evidence, model_name):
    record = apps.get_model("indicators", model_name).objects.first()

    assert staff_client.get(admin_url(model_name, "change", record.pk)).status_code == 200


@pytest.mark.parametrize(
    "filter_name, expected",
    [pytest.param("indicator", {"Wanted"}, id="indicator"), pytest.param("area", {"Wanted"}, id="area")],
)
def test_data_points_filter_by_indicator_and_area(staff_client, filter_name, expected):
    wanted = DataPointFactory(indicator=IndicatorFactory(title="Wanted"), area=AreaFactory())
    DataPointFactory(indicator=IndicatorFactory(title="Other"), area=AreaFactory())
    value = getattr(wanted, filter_name).pk

    response = staff_client.get(admin_url("datapoint", "changelist"), {f"{filter_name}__id__exact": value})

    assert {point.indicator.title for point in response.context["cl"].result_list} == expected


@pytest.mark.parametrize("count", [5, 50])
def test_data_point_changelist_queries_do_not_grow(staff_client, django_assert_max_num_queries, count):
    indicator = IndicatorFactory()
    for year in range(2000, 2000 + count):
        DataPointFactory(
            indicator=indicator,
            year=year,
        )

    with django_assert_max_num_queries(10):
        response = staff_client.get(admin_url("datapoint", "changelist"))

    assert response.context["cl"].result_count == count


def test_non_staff_users_are_sent_to_log_in(client):
    client.force_login(UserFactory())

    response = client.get(admin_url("indicator", "changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
