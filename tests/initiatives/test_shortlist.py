"""My list: save and remove without JavaScript or an account, print it, share it by a link that
carries nothing about the person; only published services are ever shown."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from initiatives.public.shortlist import MAX_SERVICES, SESSION_KEY
from initiatives.publishing import PublicationState
from tests.factories import LocationFactory, ScheduleFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MY_LIST = reverse("initiatives:my_list")
ADD = reverse("initiatives:shortlist_add")
REMOVE = reverse("initiatives:shortlist_remove")
CLEAR = reverse("initiatives:shortlist_clear")
SERVICES = reverse("initiatives:service_list")


def save(client, service, next_url=SERVICES):
    return client.post(ADD, {"service": service.pk, "next": next_url})


def saved_names(client) -> list[str]:
    return [service.name for service in client.get(MY_LIST).context["services"]]


@pytest.fixture
def job_club():
    service = ServiceFactory(name="Job club", phone="01908 000000", email="jobs@example.test")
    hall = LocationFactory(name="Test Hall", address="1 Example Street\nFakeville", postcode="MK9 3XX")
    service.locations.add(hall)
    ScheduleFactory(service=service, weekday=1, opens_at=datetime.time(9, 30), closes_at=datetime.time(12))
    return service


def test_save_goes_back_to_the_page_with_a_confirmation(client, job_club):
    response = save(client, job_club, f"{SERVICES}?mode=in_person#service-{job_club.slug}")

    assert response.status_code == 302
    assert response["Location"] == f"{SERVICES}?mode=in_person#service-{job_club.slug}"
    page = client.get(response["Location"]).content.decode()
    assert "“Job club” is saved in your list." in page
    assert "Saved in <a" in page and "Remove from my list</button>" in page, "the card shows it is saved"
    assert saved_names(client) == ["Job club"]


def test_the_service_page_has_the_save_button_too(client, job_club):
    page = client.get(job_club.get_absolute_url()).content.decode()

    assert f'action="{ADD}"' in page
    assert f'name="service" value="{job_club.pk}"' in page
    assert "{#" not in page and "#}" not in page, "no template comment leaks onto the page"


def test_saving_twice_keeps_one(client, job_club):
    save(client, job_club)
    save(client, job_club)

    assert saved_names(client) == ["Job club"]


def test_saving_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    service = ServiceFactory()

    response = save(client, service)

    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_saving_is_a_post(client, job_club):
    assert client.get(ADD, {"service": job_club.pk}).status_code == 405


@pytest.mark.parametrize(
    "next_url",
    [
        pytest.param("https://evil.example/phish", id="another-site"),
        pytest.param("//evil.example/", id="scheme-relative"),
        pytest.param("javascript:alert(1)", id="script"),
        pytest.param("", id="none"),
    ],
)
def test_unsafe_or_missing_next_goes_to_my_list(client, job_club, next_url):
    response = save(client, job_club, next_url)

    assert response["Location"] == MY_LIST


@pytest.mark.parametrize(
    "state", [PublicationState.DRAFT, PublicationState.PENDING, PublicationState.ARCHIVED], ids=str
)
def test_a_hidden_service_cannot_be_saved(client, state):
    hidden = ServiceFactory(publication_state=state)

    response = save(client, hidden)

    assert response.status_code == 400
    assert "cannot be saved" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("service", ["abc", "", "-1"], ids=["word", "empty", "negative"])
def test_nonsense_is_a_400(client, service):
    assert client.post(ADD, {"service": service}).status_code == 400


def test_remove_and_clear(client, job_club):
    other = ServiceFactory(name="Advice line")
    save(client, job_club)
    save(client, other)

    response = client.post(REMOVE, {"service": job_club.pk, "next": MY_LIST})

    assert response["Location"] == MY_LIST
    assert "“Job club” is no longer in your list." in client.get(MY_LIST).content.decode()
    assert saved_names(client) == ["Advice line"]

    client.post(CLEAR)

    page = client.get(MY_LIST).content.decode()
    assert "Your list is empty." in page
    assert saved_names(client) == []


def test_a_service_unpublished_after_saving_silently_drops_out(client, job_club):
    other = ServiceFactory(name="Advice line")
    save(client, job_club)
    save(client, other)
    shared = client.get(MY_LIST).context["share_url"]

    job_club.publication_state = PublicationState.DRAFT
    job_club.save()

    assert saved_names(client) == ["Advice line"]
    assert "Job club" not in Client().get(shared).content.decode()


def test_the_list_is_capped_with_a_clear_message(client):
    services = ServiceFactory.create_batch(MAX_SERVICES + 1)
    for service in services[:MAX_SERVICES]:
        save(client, service)

    response = save(client, services[-1])

    assert len(client.session[SESSION_KEY]) == MAX_SERVICES
    page = client.get(response["Location"]).content.decode()
    assert f"Your list is full: it holds up to {MAX_SERVICES} services." in page


def test_a_full_list_makes_room_when_some_saved_services_were_taken_down(client):
    services = ServiceFactory.create_batch(MAX_SERVICES + 1)
    for service in services[:MAX_SERVICES]:
        save(client, service)
    services[0].publication_state = PublicationState.ARCHIVED
    services[0].save()

    save(client, services[-1])

    assert services[-1].pk in client.session[SESSION_KEY]
    assert services[0].pk not in client.session[SESSION_KEY]


def test_my_list_prints_what_a_resident_needs_to_act(client, job_club):
    save(client, job_club)

    page = client.get(MY_LIST).content.decode()

    for needed in ["Job club", "01908 000000", "jobs@example.test", "Test Hall, 1 Example Street, Fakeville"]:
        assert needed in page
    assert "Tuesday 09:30–12:00" in page
    assert f"Full details: http://testserver{job_club.get_absolute_url()}" in page


def test_print_styles_hide_the_forms_and_keep_entries_whole():
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    print_rules = css[css.index("@media print") :]

    assert re.search(r"form,[^{]*\.no-print[^{]*\{ display: none", print_rules)
    assert re.search(r"\.list-entry[^{]*\{ break-inside: avoid", print_rules)
    assert "size: A4" in print_rules


def test_the_share_link_names_services_only_and_opens_for_anyone(client, job_club):
    other = ServiceFactory(name="Advice line")
    save(client, job_club)
    save(client, other)

    share = client.get(MY_LIST).context["share_url"]

    parts = urlsplit(share)
    assert parts.path == reverse("initiatives:shortlist_shared")
    assert parse_qs(parts.query) == {"s": [job_club.slug, other.slug]}
    assert client.session.session_key not in share
    stranger = Client()
    page = stranger.get(share).content.decode()
    assert page.index("Job club") < page.index("Advice line")
    assert "01908 000000" in page
    assert f'action="{REMOVE}"' not in page, "a shared list is read-only"
    assert SESSION_KEY not in stranger.session


def test_a_share_link_ignores_unknown_and_repeated_names(client, job_club):
    response = client.get(
        reverse("initiatives:shortlist_shared"), {"s": [job_club.slug, "nope", job_club.slug]}
    )

    assert response.status_code == 200
    assert [service.name for service in response.context["services"]] == ["Job club"]


def test_an_empty_share_link_says_so(client):
    response = client.get(reverse("initiatives:shortlist_shared"))

    assert response.status_code == 200
    assert "There are no services to show from this link." in response.content.decode()


@pytest.mark.parametrize("n", [2, 20], ids=["2", "20"])
def test_my_list_and_its_share_link_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, n):
    for _ in range(n):
        service = ServiceFactory()
        service.locations.add(LocationFactory())
        ScheduleFactory(service=service)
        save(client, service)
    share = client.get(MY_LIST).context["share_url"]

    # the session, the services, and one query per kind of detail printed
    with django_assert_max_num_queries(12):
        assert len(client.get(MY_LIST).context["services"]) == n
    with django_assert_max_num_queries(11):
        assert len(Client().get(share).context["services"]) == n
