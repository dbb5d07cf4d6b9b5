"""The staff admin for indicators, their figures, areas, sources and context facts."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from indicators.choices import ComparisonRelation
from indicators.models import ContextFact, StatedComparison
from initiatives.models import AuditEntry
from initiatives.publishing import PublicationState
from initiatives.services import ListingAction
from tests.factories import (
    AreaFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    IndicatorServiceFactory,
    NeedFactory,
    ServiceFactory,
    SourceFactory,
    StaffFactory,
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


def context_fact(**fields):
    number = ContextFact.objects.count() + 1
    return ContextFact.objects.create(
        **{
            "title": f"Test fact {number}",
            "slug": f"test-fact-{number}",
            "value": Decimal("800000"),
            "display_value": "about £800,000",
            "source": SourceFactory(),
            "publication_state": PublicationState.PUBLISHED,
            **fields,
        }
    )


LISTINGS = [
    pytest.param(IndicatorFactory, "indicator", id="indicator"),
    pytest.param(context_fact, "contextfact", id="contextfact"),
]


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


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
    fact = context_fact()
    fact.needs.add(NeedFactory())
    return data_point


@pytest.mark.parametrize("model_name", MODELS)
def test_changelist_and_search_load(client, staff, evidence, model_name):
    assert client.get(admin_url(model_name, "changelist")).status_code == 200
    assert client.get(admin_url(model_name, "changelist"), {"q": "test"}).status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_add_page_loads(client, staff, model_name):
    assert client.get(admin_url(model_name, "add")).status_code == 200


@pytest.mark.parametrize("model_name", MODELS)
def test_change_page_loads_with_its_inlines(client, staff, evidence, model_name):
    record = apps.get_model("indicators", model_name).objects.first()

    assert client.get(admin_url(model_name, "change", record.pk)).status_code == 200


@pytest.mark.parametrize(
    "filter_name, expected",
    [pytest.param("indicator", {"Wanted"}, id="indicator"), pytest.param("area", {"Wanted"}, id="area")],
)
def test_data_points_filter_by_indicator_and_area(client, staff, filter_name, expected):
    wanted = DataPointFactory(indicator=IndicatorFactory(title="Wanted"), area=AreaFactory())
    DataPointFactory(indicator=IndicatorFactory(title="Other"), area=AreaFactory())
    value = getattr(wanted, filter_name).pk

    response = client.get(admin_url("datapoint", "changelist"), {f"{filter_name}__id__exact": value})

    assert {point.indicator.title for point in response.context["cl"].result_list} == expected


@pytest.mark.parametrize("count", [5, 50])
def test_data_point_changelist_queries_do_not_grow(client, staff, django_assert_max_num_queries, count):
    indicator = IndicatorFactory()
    for year in range(2000, 2000 + count):
        DataPointFactory(
            indicator=indicator,
            period_label=str(year),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )

    with django_assert_max_num_queries(10):
        response = client.get(admin_url("datapoint", "changelist"))

    assert response.context["cl"].result_count == count


def post_action(client, model_name, action, records):
    return client.post(
        admin_url(model_name, "changelist"),
        {"action": action, "_selected_action": [record.pk for record in records]},
        follow=True,
    )


@pytest.mark.parametrize("factory, model_name", LISTINGS)
@pytest.mark.parametrize(
    "action, audit_action, state",
    [
        pytest.param("publish_selected", ListingAction.PUBLISH, PublicationState.PUBLISHED, id="publish"),
        pytest.param("archive_selected", ListingAction.ARCHIVE, PublicationState.ARCHIVED, id="archive"),
    ],
)
def test_state_actions_change_state_and_are_audited(
    client, staff, factory, model_name, action, audit_action, state
):
    record = factory(publication_state=PublicationState.PENDING)

    response = post_action(client, model_name, action, [record])

    record.refresh_from_db()
    assert record.publication_state == state
    entry = AuditEntry.objects.get(object_id=record.pk, content_type__model=model_name)
    assert (entry.action, entry.actor) == (audit_action, staff)
    assert any(audit_action.label.lower() in str(message) for message in response.context["messages"])


@pytest.mark.parametrize("factory, model_name", LISTINGS)
def test_mark_as_checked_sets_today_and_a_review_six_months_on(client, staff, settings, factory, model_name):
    settings.REVIEW_PERIOD_MONTHS = 6
    record = factory()
    today = timezone.localdate()

    post_action(client, model_name, "mark_selected_checked", [record])

    record.refresh_from_db()
    due = record.review_due_on
    assert record.last_verified_on == today
    assert (due.year * 12 + due.month) - (today.year * 12 + today.month) == 6
    assert due.day == today.day or (due.day < today.day and (due + datetime.timedelta(days=1)).day == 1)
    entry = AuditEntry.objects.get(object_id=record.pk, content_type__model=model_name)
    assert (entry.action, entry.actor) == (ListingAction.VERIFY, staff)


def test_an_incomplete_indicator_gives_a_message_not_an_error_page(client, staff):
    incomplete = IndicatorFactory(publication_state=PublicationState.DRAFT, why_it_matters="")

    response = post_action(client, "indicator", "publish_selected", [incomplete])

    incomplete.refresh_from_db()
    assert response.status_code == 200
    assert incomplete.publication_state == PublicationState.DRAFT
    assert "Nothing was changed" in str(next(iter(response.context["messages"])))
    assert not AuditEntry.objects.exists()


def test_non_staff_users_are_sent_to_log_in(client):
    client.force_login(UserFactory())

    response = client.get(admin_url("indicator", "changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
