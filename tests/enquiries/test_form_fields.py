"""The message form on a phone: the right keyboard and the resident's saved details for each box,
errors said once without the label repeated, and plain words for the contact page."""

import re

import pytest
from django.urls import reverse

from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

CONTACT = reverse("enquiries:contact")


def _input(page: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', page)
    assert match, f"no input #{field_id}"
    return match.group(0)


@pytest.mark.parametrize(
    "field_id, attributes",
    [
        pytest.param("id_name", ['type="text"', 'autocomplete="name"'], id="name"),
        pytest.param("id_email", ['type="email"', 'autocomplete="email"', 'spellcheck="false"'], id="email"),
        pytest.param("id_phone", ['type="tel"', 'autocomplete="tel"'], id="phone"),
    ],
)
def test_each_box_asks_for_the_right_keyboard_and_saved_details(client, field_id, attributes):
    service = ServiceFactory()
    for url in (CONTACT, reverse("enquiries:service_enquiry", args=[service.slug])):
        tag = _input(client.get(url).content.decode(), field_id)
        for attribute in attributes:
            assert attribute in tag


def test_an_error_is_said_without_repeating_the_label(client):
    response = client.post(CONTACT, {"name": "", "email": "sam@example.test", "message": "Hello"})
    page = response.content.decode()

    assert response.status_code == 400
    assert '<a href="#id_name">Enter your name</a>' in page, "the summary links to the box, message only"
    assert '<span class="visually-hidden">Error: </span>Enter your name</p>' in page
    assert "Your name: Enter your name" not in page
    assert page.count("Enter your name") == 2  # once in the summary, once beside the box


def test_the_contact_page_is_called_contact(client):
    page = client.get(CONTACT).content.decode()
    home = client.get(reverse("initiatives:home")).content.decode()

    assert "<title>Contact MK Directory – MK Directory</title>" in page
    assert "<h1>Contact MK Directory</h1>" in page
    assert f'<a href="{CONTACT}">Contact</a>' in home
    assert "Make an enquiry" not in page + home
