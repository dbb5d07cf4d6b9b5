"""A service's and an organisation's page: a fixed number of queries at any size, none at all once
read (until the directory changes), and never a stale or hidden listing from the cache."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.choices import ComparisonRelation
from indicators.models import StatedComparison
from initiatives.models import CostOption, ServiceStatus
from initiatives.publishing import PublicationState
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    ContactFactory,
    ContextFactFactory,
    DataPointFactory,
    DatedSessionFactory,
    IndicatorServiceFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [pytest.param(3, id="3"), pytest.param(30, id="30")]
# The service and its organisation, its seven kinds of related rows (needs, audiences, places, prices,
# contacts, weekly hours with their places, sessions to come with theirs), the linked indicators
# with their figures and the figures' comparisons, and the context facts: 10 for a service without
# figures, the bench's page.
SERVICE_PAGE_FIRST = 10
# The organisation with its partners and branches, its current services with their needs, hours and
# sessions, and its past services with their needs.
ORGANISATION_PAGE_FIRST = 9


@pytest.fixture(autouse=True)
def _pages_drawn_afresh(settings):
    """The whole-page cache off: these tests count what drawing a page costs."""
    settings.PAGE_CACHE_SECONDS = 0


def service_with(n: int):
    """A service with n of every related row its page shows."""
    organisation = OrganisationFactory()
    service = ServiceFactory(
        organisation=organisation,
        needs=[NeedFactory() for _ in range(n)],
        audiences=[AudienceFactory() for _ in range(n)],
    )
    for i in range(n):
        place = LocationFactory(latitude=Decimal("52.04"), longitude=Decimal("-0.75"))
        service.locations.add(place)
        ScheduleFactory(service=service, location=place, weekday=i % 7)
        DatedSessionFactory(service=service, location=place)
        CostOption.objects.create(service=service, description=f"Price {i}", amount=Decimal("2.50"))
        ContactFactory(service=service, name=f"Contact {i}")
        ContextFactFactory().services.add(service)
        ServiceFactory(
            organisation=organisation, status=ServiceStatus.ENDED if i % 3 else ServiceStatus.ACTIVE
        )
    return service


@pytest.mark.parametrize("n", SIZES)
def test_service_page_queries_are_fixed_and_none_once_read(client, django_assert_max_num_queries, n):
    service = service_with(n)

    with django_assert_max_num_queries(SERVICE_PAGE_FIRST):
        first = client.get(service.get_absolute_url())
    with django_assert_max_num_queries(0):
        again = client.get(service.get_absolute_url())

    assert first.status_code == again.status_code == 200
    assert len(first.context["service"].contacts.all()) == n
    assert again.content == first.content


@pytest.mark.parametrize("n", SIZES)
def test_service_page_with_figures_stays_fixed(client, django_assert_max_num_queries, n):
    service = service_with(1)
    for _ in range(n):
        figure = DataPointFactory(indicator=IndicatorServiceFactory(service=service).indicator)
        StatedComparison.objects.create(
            data_point=figure, comparator=AreaFactory(), relation=ComparisonRelation.HIGHER, wording="England"
        )

    # the indicators, their figures, and the figures' comparisons with their areas: at most 12 in all
    with django_assert_max_num_queries(SERVICE_PAGE_FIRST + 2):
        response = client.get(service.get_absolute_url())

    assert len(response.context["evidence"]) == n
    with django_assert_max_num_queries(0):  # each comparison came with its area
        assert {
            comparison.comparator.name
            for indicator in response.context["evidence"]
            for figure in indicator.figures
            for comparison in figure.stated_comparisons.all()
        }


@pytest.mark.parametrize("n", SIZES)
def test_organisation_page_queries_are_fixed_and_none_once_read(client, django_assert_max_num_queries, n):
    organisation = service_with(n).organisation

    with django_assert_max_num_queries(ORGANISATION_PAGE_FIRST):
        first = client.get(organisation.get_absolute_url())
    with django_assert_max_num_queries(0):
        again = client.get(organisation.get_absolute_url())

    shown = len(first.context["current_services"]) + len(first.context["past_services"])
    assert shown == n + 1
    assert again.content == first.content


def test_an_edit_shows_at_once(client):
    service = service_with(1)
    client.get(service.get_absolute_url())

    service.name = "A new name"
    service.save()
    service.organisation.name = "A renamed trust"
    service.organisation.save()

    assert "A new name" in client.get(service.get_absolute_url()).content.decode()
    assert "A renamed trust" in client.get(service.organisation.get_absolute_url()).content.decode()


def test_a_hidden_service_is_gone_at_once(client):
    service = service_with(1)
    assert client.get(service.get_absolute_url()).status_code == 200

    service.publication_state = PublicationState.DRAFT
    service.save()

    assert client.get(service.get_absolute_url()).status_code == 404


def test_a_session_over_since_the_page_was_read_is_not_shown(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False)
    service = ServiceFactory(kind="event")
    now = timezone.now()
    DatedSessionFactory(
        service=service,
        title="Nearly over",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(seconds=20),
    )
    assert "Nearly over" in client.get(service.get_absolute_url()).content.decode()

    time_machine.move_to(now + datetime.timedelta(seconds=30), tick=False)  # the page is still cached

    assert "Nearly over" not in client.get(service.get_absolute_url()).content.decode()
