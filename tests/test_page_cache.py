"""Whole public pages for visitors without a session (initiatives/page_cache.py): served from the cache
with no query at all, drawn afresh the moment anything they show changes, whatever made the change,
and never carrying anything of one visitor's to another."""

import datetime
import gzip

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.editing.moderation import revision_approve
from initiatives.models import Service
from initiatives.page_cache import page_key
from initiatives.public.shortlist import share_url
from tests.factories import (
    DataPointFactory,
    IndicatorFactory,
    NeedFactory,
    OrganisationFactory,
    RevisionFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_ADDRESSES = [
    "/",
    "/services/",
    "/services/?q=digital",
    "/organisations/",
    "/indicators/",
    "/about/",
    "/api/services",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.fixture
def service():
    return ServiceFactory(name="Digital skills drop-in", needs=[NeedFactory(slug="digital-skills")])


def queries_to_serve(client, address) -> int:
    """How many queries serving the page at `address` took (0: it came from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_a_public_page_is_served_again_from_the_cache_without_a_query(client, service, address):
    first = client.get(address)

    assert queries_to_serve(client, address) == 0
    assert client.get(address).content == first.content


def test_each_address_and_query_is_a_page_of_its_own(client, service):
    ServiceFactory(name="Debt advice line")
    client.get("/services/?q=digital")

    page = client.get("/services/?q=debt").content.decode()

    assert "Debt advice line" in page
    assert "Digital skills drop-in" not in page


def test_a_cached_page_sets_no_cookie_and_carries_no_csrf_token(client, service):
    for response in (client.get(service.get_absolute_url()), client.get(service.get_absolute_url())):
        assert response.cookies == {}
        assert b"csrfmiddlewaretoken" not in response.content
        assert b"Save to my list" in response.content


# Every way of changing the directory shows on the next request ------------------------------------


def test_a_saved_change_shows_on_the_next_request(client, service):
    client.get(service.get_absolute_url())

    service.name = "Computer help drop-in"
    service.save()

    assert "Computer help drop-in" in client.get(service.get_absolute_url()).content.decode()


def test_a_queryset_update_shows_on_the_next_request(client, service):
    client.get("/services/")

    Service.objects.filter(pk=service.pk).update(name="Computer help drop-in")

    assert "Computer help drop-in" in client.get("/services/").content.decode()


def test_a_bulk_create_shows_on_the_next_request(client, service):
    client.get("/services/")

    Service.objects.bulk_create([ServiceFactory.build(organisation=service.organisation, name="Job club")])

    assert "Job club" in client.get("/services/").content.decode()


def test_raw_sql_shows_on_the_next_request(client, service):
    client.get("/organisations/")

    with connection.cursor() as cursor:
        table = service.organisation._meta.db_table
        cursor.execute(f'UPDATE "{table}" SET name = %s', ["Renamed by hand"])

    assert "Renamed by hand" in client.get("/organisations/").content.decode()


def test_a_management_command_shows_on_the_next_request(client, service):
    client.get("/services/")

    call_command("load_demo", verbosity=0)

    assert "Works for Us" in client.get("/services/").content.decode()


def test_a_corrected_indicator_figure_shows_on_the_next_request(client):
    figure = DataPointFactory(indicator=IndicatorFactory(), year=2022, value=4.1)
    client.get(figure.indicator.get_absolute_url())

    figure.value = 7.5
    figure.save()

    page = client.get(figure.indicator.get_absolute_url()).content.decode()
    assert "7.5%" in page
    assert "4.1%" not in page


def test_a_staff_edit_in_the_admin_shows_on_the_next_request(client, staff_client, service):
    need = service.needs.get()
    client.get(need.get_absolute_url())
    change = f"/admin/initiatives/need/{need.pk}/change/"
    form = staff_client.get(change).context["adminform"].form
    fields = {name: value for name, value in form.initial.items() if value is not None}

    staff_client.post(change, {**fields, "name": "Computers and phones"})

    assert "Computers and phones" in client.get(need.get_absolute_url()).content.decode()


def test_an_editors_approved_change_shows_on_the_next_request(client, service, staff_user):
    client.get(service.get_absolute_url())
    revision = RevisionFactory(service=service, changes={"name": "Approved new name"})

    revision_approve(revision=revision, reviewer=staff_user)

    assert "Approved new name" in client.get(service.get_absolute_url()).content.decode()


def test_a_page_is_drawn_afresh_each_minute(client, service, time_machine):
    time_machine.move_to(timezone.now().replace(second=5), tick=False)
    client.get("/services/")
    assert queries_to_serve(client, "/services/") == 0

    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=1), tick=False)

    assert queries_to_serve(client, "/services/") > 0


def test_searching_does_not_empty_the_cache(client, service):
    client.get("/services/")
    client.get("/services/?q=zzzznothingmatches")  # logged as a search that found nothing

    assert queries_to_serve(client, "/services/") == 0


# Visitors with a session, and what is never kept -----------------------------------------------------


def test_a_visitor_with_a_list_gets_their_own_page_and_nobody_else_sees_it(service):
    saver, stranger = Client(), Client()
    stranger.get(service.get_absolute_url())  # kept in the cache for visitors without a session

    saver.post("/my-list/add/", {"service": service.pk, "next": service.get_absolute_url()})

    assert "Saved in" in saver.get(service.get_absolute_url()).content.decode()
    assert "Saved in" not in stranger.get(service.get_absolute_url()).content.decode()


def test_a_signed_in_editor_never_gets_the_cached_page(client, service):
    client.get("/services/")
    client.force_login(UserFactory(staff=True))

    assert "Sign out" in client.get("/services/").content.decode()


@pytest.mark.parametrize("address", ["/my-list/", "/contact/", "/accounts/login/", "/manage/"])
def test_private_pages_and_pages_with_a_form_of_their_own_are_never_kept(client, service, address):
    client.get(address, follow=True)

    assert cache.get(page_key(RequestFactory().get(address))) is None


# Compressed for browsers that ask ----------------------------------------------------------------


@pytest.mark.parametrize("address", ["/services/", "/api/services"])
def test_a_kept_page_is_sent_gzipped_to_a_browser_that_asks(client, service, address):
    first = client.get(address)

    again = client.get(address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert again["Content-Encoding"] == "gzip"
    assert len(again.content) < len(first.content)
    assert gzip.decompress(again.content) == first.content
    assert "Accept-Encoding" in again["Vary"] and "Accept-Encoding" in first["Vary"]


def test_a_browser_that_does_not_ask_for_gzip_gets_the_page_as_it_is(client, service):
    first = client.get("/services/")

    for accepted in ["", "identity", "br"]:
        again = client.get("/services/", HTTP_ACCEPT_ENCODING=accepted)
        assert not again.has_header("Content-Encoding")
        assert again.content == first.content


def test_a_page_drawn_for_a_visitor_with_a_session_is_never_compressed(client, service):
    """Pages with a CSRF token are not compressed: a compressed secret can be guessed (BREACH)."""
    client.post("/my-list/add/", {"service": service.pk})

    response = client.get("/my-list/", HTTP_ACCEPT_ENCODING="gzip")

    assert not response.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in response.content


# ETag and 304 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["/services/", "/api/services"])
def test_an_unchanged_page_is_answered_304_not_modified(client, service, address):
    first = client.get(address)

    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_page_is_sent_whole_to_a_visitor_with_the_old_copy(client, service):
    first = client.get("/services/")
    OrganisationFactory(name="Another charity")
    ServiceFactory(name="Brand new service")

    again = client.get("/services/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "Brand new service" in again.content.decode()


def test_a_visitor_with_a_session_gets_304_too(client, service):
    client.post("/my-list/add/", {"service": service.pk})
    client.get("/my-list/")  # shows, and so clears, the message that the service was saved
    first = client.get("/services/?q=debt")

    again = client.get("/services/?q=debt", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


# Nothing of the request's Host header ----------------------------------------------------------------


@pytest.fixture
def forged_host(settings):
    settings.SITE_URL = "https://directory.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    return "evil.example:8443"


def test_no_page_kept_for_everyone_carries_the_host_that_asked(client, service, forged_host):
    indicator = DataPointFactory(year=2022).indicator
    addresses = [
        "/robots.txt",
        "/sitemap.xml",
        f"{indicator.get_absolute_url().rstrip('/')}.json",
        share_url([service]),
        service.get_absolute_url(),
    ]
    for address in addresses:
        page = client.get(address, HTTP_HOST=forged_host).content.decode()

        assert "evil.example" not in page, address
        assert "https://directory.example.org/" in page, address


def test_the_share_link_of_a_list_starts_with_the_sites_address(client, service, forged_host):
    client.post("/my-list/add/", {"service": service.pk}, HTTP_HOST=forged_host)

    page = client.get("/my-list/", HTTP_HOST=forged_host).content.decode()

    assert "https://directory.example.org/my-list/shared/?s=" in page
    assert "evil.example" not in page
