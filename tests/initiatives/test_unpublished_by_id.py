"""No lookup by id or slug shows the public a draft, pending or archived listing's name or details.

Ids run in sequence and slugs are guessable, so each public address that takes one is tried with
a hidden service, a published service of a hidden organisation, a hidden organisation and a hidden
indicator: the answer is "not found" (or a plain refusal) and never names it.
"""

import pytest
from django.urls import reverse

from initiatives.enquiries.models import Enquiry
from initiatives.feedback.models import ProblemReport
from initiatives.images import image_storage, validate_and_process_image
from initiatives.opendata.identifiers import service_at_location_id
from initiatives.public.shortlist import SESSION_KEY
from initiatives.publishing import PublicationState
from tests.factories import (
    IndicatorFactory,
    IndicatorServiceFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
)
from tests.helpers.image_files import image_bytes, upload

pytestmark = pytest.mark.django_db

HIDDEN_STATES = [PublicationState.DRAFT, PublicationState.PENDING, PublicationState.ARCHIVED]
SECRET_SERVICE = "Hushed Hands Service"
SECRET_ORGANISATION = "Hushed Hands Trust"


def stored_image(folder: str) -> str:
    content = validate_and_process_image(upload("x.png", image_bytes("PNG")))
    return image_storage().save(f"{folder}/{content.name}", content)


def assert_not_named(response, *names, status=None):
    if status is not None:
        assert response.status_code == status
    text = response.content.decode()
    for name in names:
        assert name not in text


@pytest.fixture
def need():
    return NeedFactory(name="Find work", slug="find-work")


@pytest.fixture(
    params=[pytest.param(("service", state), id=f"{state}-service") for state in HIDDEN_STATES]
    + [
        pytest.param(("organisation", state), id=f"service-of-{state}-organisation")
        for state in HIDDEN_STATES
    ]
)
def hidden_service(request, need):
    """A service the public may not see: its own state is hidden, or its organisation's is."""
    hidden, state = request.param
    organisation = OrganisationFactory(
        name=SECRET_ORGANISATION if hidden == "organisation" else "Open Door Trust",
        publication_state=state if hidden == "organisation" else PublicationState.PUBLISHED,
    )
    return ServiceFactory(
        organisation=organisation,
        name=SECRET_SERVICE,
        slug="hushed-hands",
        needs=[need],
        phone="01908 999999",
        photo=stored_image("service-photos"),
        photo_alt="A volunteer",
        publication_state=state if hidden == "service" else PublicationState.PUBLISHED,
    )


# My list: add, remove, the list itself and a shared link --------------------------------------------


def test_saving_it_by_id_does_not_name_it(client, hidden_service):
    response = client.post(
        reverse("initiatives:shortlist_add"), {"service": hidden_service.pk, "next": "/"}, follow=True
    )

    assert_not_named(response, SECRET_SERVICE, status=400)


def test_removing_it_by_id_does_not_name_it(client, hidden_service):
    response = client.post(
        reverse("initiatives:shortlist_remove"), {"service": hidden_service.pk, "next": "/"}, follow=True
    )

    assert_not_named(response, SECRET_SERVICE, SECRET_ORGANISATION, status=200)
    assert "That service is no longer in your list." in response.content.decode()


def test_removing_it_after_it_was_saved_does_not_name_it(client, hidden_service):
    session = client.session
    session[SESSION_KEY] = [hidden_service.pk]
    session.save()

    response = client.post(
        reverse("initiatives:shortlist_remove"), {"service": hidden_service.pk, "next": "/"}, follow=True
    )

    assert_not_named(response, SECRET_SERVICE, status=200)


def test_my_list_and_its_print_do_not_show_it_once_hidden(client, hidden_service):
    session = client.session
    session[SESSION_KEY] = [hidden_service.pk]
    session.save()

    assert_not_named(client.get(reverse("initiatives:my_list")), SECRET_SERVICE, "01908 999999", status=200)


def test_a_shared_link_naming_its_slug_does_not_show_it(client, hidden_service):
    response = client.get(reverse("initiatives:shortlist_shared"), {"s": hidden_service.slug})

    assert_not_named(response, SECRET_SERVICE, SECRET_ORGANISATION, "01908 999999", status=200)


# Its pages and forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "initiatives:service_detail",
        "enquiries:service_enquiry",
        "enquiries:service_enquiry_sent",
        "feedback:service_report",
        "feedback:service_report_sent",
    ],
)
def test_its_pages_are_not_found(client, hidden_service, url_name):
    response = client.get(reverse(url_name, args=[hidden_service.slug]))

    assert_not_named(response, SECRET_SERVICE, SECRET_ORGANISATION, status=404)


@pytest.mark.parametrize("url_name", ["enquiries:service_enquiry", "feedback:service_report"])
def test_its_forms_take_no_message(client, hidden_service, url_name):
    data = {"name": "Test Resident", "email": "resident@example.test", "message": "Hello", "text": "Wrong"}

    response = client.post(reverse(url_name, args=[hidden_service.slug]), data)

    assert_not_named(response, SECRET_SERVICE, status=404)
    assert not Enquiry.objects.exists()
    assert not ProblemReport.objects.exists()


def test_its_photo_is_not_found(client, hidden_service):
    assert client.get(hidden_service.photo.url).status_code == 404


def test_pages_that_link_to_it_do_not_name_it(client, hidden_service, need):
    indicator = IndicatorFactory()
    IndicatorServiceFactory(indicator=indicator, service=hidden_service)

    for url in (need.get_absolute_url(), indicator.get_absolute_url(), reverse("initiatives:service_list")):
        assert_not_named(client.get(url), SECRET_SERVICE, SECRET_ORGANISATION, status=200)


def test_the_sitemap_does_not_list_it(client, hidden_service):
    assert_not_named(client.get("/sitemap.xml"), hidden_service.slug, status=200)


# The open data API --------------------------------------------------------------------------------------


def test_the_api_does_not_find_it_by_id(client, hidden_service):
    assert_not_named(client.get(f"/api/services/{hidden_service.uuid}"), SECRET_SERVICE, status=404)


def test_the_api_does_not_find_it_at_its_place(client, hidden_service):
    place = LocationFactory()
    hidden_service.locations.add(place)
    link_id = service_at_location_id(hidden_service.uuid, place.uuid)
    response = client.get(f"/api/service_at_locations/{link_id}")
    assert_not_named(response, SECRET_SERVICE, SECRET_ORGANISATION, status=404)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("search=hushed", id="search"),
        pytest.param("organization_id={organisation}", id="by-organisation"),
        pytest.param("per_page=100", id="everything"),
    ],
)
@pytest.mark.parametrize("endpoint", ["services", "service_at_locations"])
def test_the_api_does_not_list_it(client, hidden_service, endpoint, query):
    query = query.format(organisation=hidden_service.organisation.uuid)

    response = client.get(f"/api/{endpoint}?{query}")

    assert_not_named(response, SECRET_SERVICE, str(hidden_service.uuid), status=200)


# Organisations ------------------------------------------------------------------------------------------


@pytest.fixture(params=[pytest.param(state, id=str(state)) for state in HIDDEN_STATES])
def hidden_organisation(request):
    organisation = OrganisationFactory(
        name=SECRET_ORGANISATION,
        slug="hushed-hands-trust",
        logo=stored_image("logos"),
        publication_state=request.param,
    )
    OrganisationFactory(name="Open Branch", slug="open-branch", parent=organisation)
    partner = OrganisationFactory(name="Open Partner", slug="open-partner")
    partner.partners.add(organisation)
    return organisation


@pytest.mark.parametrize(
    "url_name",
    [
        "initiatives:organisation_detail",
        "feedback:organisation_report",
        "feedback:organisation_report_sent",
    ],
)
def test_its_organisation_pages_are_not_found(client, hidden_organisation, url_name):
    response = client.get(reverse(url_name, args=[hidden_organisation.slug]))

    assert_not_named(response, SECRET_ORGANISATION, status=404)


def test_its_logo_is_not_found(client, hidden_organisation):
    assert client.get(hidden_organisation.logo.url).status_code == 404


@pytest.mark.parametrize("slug", ["open-branch", "open-partner"])
def test_its_branches_and_partners_do_not_name_it(client, hidden_organisation, slug):
    response = client.get(reverse("initiatives:organisation_detail", args=[slug]))

    assert_not_named(response, SECRET_ORGANISATION, hidden_organisation.slug, status=200)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/api/organizations/{uuid}", 404, id="api-by-id"),
        pytest.param("/api/organizations?per_page=100", 200, id="api-list"),
        pytest.param("/sitemap.xml", 200, id="sitemap"),
        pytest.param("/organisations/", 200, id="organisation-list"),
    ],
)
def test_the_api_lists_and_sitemap_do_not_show_it(client, hidden_organisation, url, status):
    response = client.get(url.format(uuid=hidden_organisation.uuid))

    assert_not_named(
        response, SECRET_ORGANISATION, hidden_organisation.slug, str(hidden_organisation.uuid), status=status
    )


# Indicators ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", HIDDEN_STATES, ids=str)
@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/indicators/{slug}/", id="page"),
        pytest.param("/indicators/{slug}.csv", id="csv"),
        pytest.param("/indicators/{slug}.json", id="json"),
        pytest.param("/api/indicators/{slug}", id="api"),
    ],
)
def test_a_hidden_indicator_is_not_found(client, state, url):
    indicator = IndicatorFactory(title="Hushed figure", slug="hushed-figure", publication_state=state)

    assert_not_named(client.get(url.format(slug=indicator.slug)), "Hushed figure", status=404)
