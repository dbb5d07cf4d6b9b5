"""My list: save and remove without JavaScript or an account, print it, share it by a link that
carries nothing about the person; only published services are ever shown."""

import datetime
import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

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
    assert "Saved in <a" in page and ">Remove from my list<" in page, "the card shows it is saved"
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
    assert f"Full details: {settings.SITE_URL}{job_club.get_absolute_url()}" in page


def test_my_list_names_what_a_listing_lacks_on_one_line(client):
    bare = ServiceFactory(name="Bare club", is_free=False, cost_description="")
    save(client, bare)

    page = client.get(MY_LIST).content.decode()

    assert "Not yet provided" not in page
    assert page.count("Not listed yet: where it happens, opening times and cost.") == 1


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


# Sharing from a phone, and the printout ------------------------------------------------------------


def _href(page: str, link_text: str) -> str:
    match = re.search(rf'<a href="([^"]*)">{re.escape(link_text)}</a>', page)
    assert match, f"no link “{link_text}”"
    return html.unescape(match.group(1))


@pytest.fixture
def shared_two(client, job_club):
    save(client, job_club)
    save(client, ServiceFactory(name="Advice line"))
    page = client.get(MY_LIST)
    return page.content.decode(), page.context["share_url"]


def test_share_by_email_opens_a_message_holding_the_whole_link(shared_two):
    page, share = shared_two

    href = _href(page, "Send the link by email")

    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", "")
    fields = parse_qs(parts.query, strict_parsing=True)
    assert set(fields) == {"subject", "body"}, "the link's own ? and & are encoded, not read as the mail's"
    assert fields["subject"] == ["Services saved on MK Directory"]
    assert fields["body"] == [f"Services saved on MK Directory: {share}"]
    assert "+" not in href, "spaces are %20: some mail apps show a + as it is"


def test_share_by_text_message_opens_a_message_holding_the_whole_link(shared_two):
    page, share = shared_two

    href = _href(page, "Send the link by text message")

    assert href.startswith("sms:?&body=")
    body = href.removeprefix("sms:?&body=")
    assert not set("?&= ") & set(body), "nothing in the message can end it early"
    assert unquote(body) == f"Services saved on MK Directory: {share}"


def test_the_link_is_shown_as_text_to_press_and_hold(shared_two):
    page, share = shared_two

    escaped = html.escape(share, quote=True)
    assert f'<a href="{escaped}">{escaped}</a>' in page
    assert "Ctrl" not in page
    assert "use your browser’s Print or Share option" in page


@pytest.mark.parametrize("shared", [False, True], ids=["my-list", "shared-list"])
def test_the_printout_says_when_it_was_printed(client, job_club, freeze_today, shared):
    freeze_today(datetime.date(2026, 11, 30))
    save(client, job_club)
    url = client.get(MY_LIST).context["share_url"] if shared else MY_LIST

    page = client.get(url).content.decode()

    assert '<p class="print-only">Printed on 30 November 2026 from MK Directory.</p>' in page


def test_the_printout_gives_each_service_a_way_to_act(client, job_club):
    quiet = ServiceFactory(name="Quiet service", phone="", email="", website="")
    save(client, job_club)
    save(client, quiet)

    page = client.get(MY_LIST).content.decode()
    entries = dict(re.findall(r'<li class="list-entry" id="service-([^"]+)">(.*?)</li>', page, re.S))

    assert 'Call <a href="tel:01908000000">01908 000000</a>' in entries[job_club.slug]
    assert 'Email <a href="mailto:jobs@example.test">jobs@example.test</a>' in entries[job_club.slug]
    message_url = reverse("enquiries:service_enquiry", args=[quiet.slug])
    assert f'<a href="{message_url}">Send a message' in entries[quiet.slug]
    assert f'<span class="print-inline"> at {settings.SITE_URL}{message_url}</span>' in entries[quiet.slug]


def test_an_ended_service_offers_no_message_in_the_printout(client, job_club):
    ended = ServiceFactory(name="Old course", status="ended")
    save(client, ended)

    page = client.get(MY_LIST).content.decode()

    assert "Old course" in page and "Ended" in page
    assert reverse("enquiries:service_enquiry", args=[ended.slug]) not in page


def test_print_styles_show_the_print_only_words_inline():
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    ours = css[css.index("/* Forms, My list and print */") :]

    assert re.search(r"^\.print-inline \{ display: none; \}", ours, re.M)
    assert re.search(r"@media print \{\s*\.print-inline \{ display: inline; \}", ours)
