"""Only published records are public: drafts, pending and archived ones are nowhere to be seen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import ServiceKind, ServiceStatus
from initiatives.publishing import PublicationState
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    ContextFactFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorNeedFactory,
    IndicatorServiceFactory,
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_STATES = [
    pytest.param(PublicationState.DRAFT, id="draft"),
    pytest.param(PublicationState.PENDING, id="pending"),
    pytest.param(PublicationState.ARCHIVED, id="archived"),
]
SERVICE_LIST = reverse("initiatives:service_list")


def page_text(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def facet_count(response, facet_name, value) -> int:
    facet = next(facet for facet in response.context["facets"] if facet.name == facet_name)
    return next(choice.count for choice in facet.options if choice.value == value)


@pytest.fixture
def need():
    return NeedFactory(name="Find work", slug="find-work")


@pytest.fixture
def audience():
    return AudienceFactory(name="Women", slug="women")


def tagged_service(name, need, audience, **fields):
    return ServiceFactory(
        name=name, needs=[need], audiences=[audience], kind=ServiceKind.EVENT, by_phone=True, **fields
    )


# ---- services -------------------------------------------------------------------------------


@pytest.fixture(params=HIDDEN_STATES)
def hidden_service(request, need, audience):
    tagged_service("Public job club", need, audience)
    return tagged_service("Secret job club", need, audience, publication_state=request.param)


def test_hidden_service_page_is_404(client, hidden_service):
    assert client.get(hidden_service.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="everything"),
        pytest.param({"q": "secret"}, id="searched-by-name"),
        pytest.param({"need": "find-work"}, id="by-need"),
        pytest.param({"include_ended": "on", "sort": "checked"}, id="ended-included"),
    ],
)
def test_hidden_service_is_not_listed(client, hidden_service, params):
    assert "Secret job club" not in page_text(client, SERVICE_LIST, params)


def test_hidden_service_is_not_counted(client, hidden_service):
    response = client.get(SERVICE_LIST)

    assert response.context["paginator"].count == 1
    assert facet_count(response, "need", "find-work") == 1
    assert facet_count(response, "audience", "women") == 1
    assert facet_count(response, "mode", "phone") == 1
    assert facet_count(response, "kind", "event") == 1
    assert facet_count(response, "access", "self_referral") == 1


def test_hidden_service_is_not_on_its_need_page(client, hidden_service, need):
    child = NeedFactory(parent=need)
    ServiceFactory(
        name="Secret coding club", needs=[child], publication_state=hidden_service.publication_state
    )

    text = page_text(client, need.get_absolute_url())

    assert "Public job club" in text
    assert "Secret" not in text
    assert "See all 1 service " in text


def test_hidden_service_is_not_on_its_organisation_page_or_counted(client, need, audience):
    organisation = OrganisationFactory(name="Example Trust")
    tagged_service("Public job club", need, audience, organisation=organisation)
    for state in (PublicationState.DRAFT, PublicationState.PENDING, PublicationState.ARCHIVED):
        tagged_service(
            f"Secret {state} club", need, audience, organisation=organisation, publication_state=state
        )
    ServiceFactory(
        name="Secret past event",
        organisation=organisation,
        status=ServiceStatus.ENDED,
        publication_state=PublicationState.ARCHIVED,
    )

    detail = page_text(client, organisation.get_absolute_url())
    listing = client.get(reverse("initiatives:organisation_list"))

    assert "Public job club" in detail
    assert "Secret" not in detail
    assert [org.service_count for org in listing.context["organisations"]] == [1]


def test_hidden_service_is_not_on_its_indicator_page(client, hidden_service):
    indicator = IndicatorFactory()
    public = ServiceFactory(name="Public careers club")
    IndicatorServiceFactory(indicator=indicator, service=public)
    IndicatorServiceFactory(indicator=indicator, service=hidden_service)

    text = page_text(client, indicator.get_absolute_url())

    assert "Public careers club" in text
    assert "Secret job club" not in text


def test_hidden_general_advice_service_is_not_suggested(client, settings):
    advice = NeedFactory(slug=settings.GENERAL_ADVICE_NEED_SLUG)
    ServiceFactory(name="Public advice line", needs=[advice])
    ServiceFactory(name="Secret advice line", needs=[advice], publication_state=PublicationState.DRAFT)

    text = page_text(client, SERVICE_LIST, {"q": "nothing matches this"})

    assert "Public advice line" in text
    assert "Secret advice line" not in text


# ---- organisations --------------------------------------------------------------------------


@pytest.fixture(params=HIDDEN_STATES)
def hidden_organisation(request, need, audience):
    organisation = OrganisationFactory(name="Secret Trust", publication_state=request.param)
    tagged_service("Trust job club", need, audience, organisation=organisation)
    tagged_service("Public job club", need, audience)
    return organisation


def test_hidden_organisation_page_is_404(client, hidden_organisation):
    assert client.get(hidden_organisation.get_absolute_url()).status_code == 404


def test_hidden_organisation_is_not_listed(client, hidden_organisation):
    assert "Secret Trust" not in page_text(client, reverse("initiatives:organisation_list"))


def test_published_service_of_hidden_organisation_is_404(client, hidden_organisation):
    service = hidden_organisation.services.get()

    assert service.publication_state == PublicationState.PUBLISHED
    assert client.get(service.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "params",
    [pytest.param({}, id="everything"), pytest.param({"q": "trust"}, id="searched-by-organisation")],
)
def test_published_service_of_hidden_organisation_is_not_listed(client, hidden_organisation, params):
    text = page_text(client, SERVICE_LIST, params)

    assert "Trust job club" not in text
    assert "Secret Trust" not in text


def test_published_service_of_hidden_organisation_is_not_counted(client, hidden_organisation):
    response = client.get(SERVICE_LIST)

    assert response.context["paginator"].count == 1
    assert facet_count(response, "need", "find-work") == 1
    assert facet_count(response, "audience", "women") == 1
    assert facet_count(response, "mode", "phone") == 1
    assert facet_count(response, "kind", "event") == 1


def test_published_service_of_hidden_organisation_is_not_on_need_page(client, hidden_organisation, need):
    text = page_text(client, need.get_absolute_url())

    assert "Public job club" in text
    assert "Trust job club" not in text


def test_hidden_partner_parent_and_branch_are_not_named(client, hidden_organisation):
    organisation = OrganisationFactory(name="Public Trust", parent=hidden_organisation)
    organisation.partners.add(hidden_organisation)
    OrganisationFactory(name="Secret Branch", parent=organisation, publication_state=PublicationState.DRAFT)

    text = page_text(client, organisation.get_absolute_url())

    assert "Public Trust" in text
    assert "Secret" not in text


# ---- indicators and cited facts -------------------------------------------------------------


@pytest.fixture(params=HIDDEN_STATES)
def hidden_indicator(request, need):
    home = AreaFactory(home=True)
    public = IndicatorFactory(title="Public rate", headline_position=1)
    hidden = IndicatorFactory(title="Secret rate", headline_position=2, publication_state=request.param)
    for indicator in (public, hidden):
        DataPointFactory(indicator=indicator, area=home)
        IndicatorNeedFactory(indicator=indicator, need=need)
    return hidden


def test_hidden_indicator_page_is_404(client, hidden_indicator):
    assert client.get(hidden_indicator.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(reverse("indicators:indicator_list"), id="indicator-list"),
        pytest.param(reverse("initiatives:home"), id="home"),
        pytest.param(reverse("initiatives:need_detail", args=["find-work"]), id="need-page"),
    ],
)
def test_hidden_indicator_is_not_shown(client, hidden_indicator, url):
    text = page_text(client, url)

    assert "Public rate" in text
    assert "Secret rate" not in text


def test_hidden_indicator_is_not_on_a_service_page(client, hidden_indicator):
    service = ServiceFactory()
    IndicatorServiceFactory(indicator=hidden_indicator, service=service)
    IndicatorServiceFactory(indicator=IndicatorFactory(title="Public rate"), service=service)

    text = page_text(client, service.get_absolute_url())

    assert "Public rate" in text
    assert "Secret rate" not in text


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_context_fact_is_not_cited(client, need, state):
    service = ServiceFactory(needs=[need])
    public = ContextFactFactory(title="Public fact")
    hidden = ContextFactFactory(title="Secret fact", publication_state=state)
    for fact in (public, hidden):
        fact.services.add(service)
        fact.needs.add(need)

    for url in (service.get_absolute_url(), need.get_absolute_url()):
        text = page_text(client, url)
        assert "Public fact" in text
        assert "Secret fact" not in text


# ---- ended services -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"status": ServiceStatus.ENDED}, id="status-ended"),
        pytest.param({"ends_on": datetime.date(2020, 1, 31)}, id="end-date-passed"),
    ],
)
def test_ended_service_page_still_shows_with_an_ended_notice(client, fields):
    service = ServiceFactory(name="Careers fair", kind=ServiceKind.EVENT, **fields)

    text = page_text(client, service.get_absolute_url())

    assert "Careers fair" in text
    assert "has ended" in text


def test_service_ending_today_has_no_ended_notice(client):
    service = ServiceFactory(name="Careers fair", ends_on=timezone.localdate())

    assert "has ended" not in page_text(client, service.get_absolute_url())
