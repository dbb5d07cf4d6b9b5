"""After sending a message the resident has a reference to quote and knows when to expect a reply,
on the thank-you page and in the email confirming it; the reference never gives away a row number."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from initiatives.enquiries.models import Enquiry
from tests.factories import EnquiryFactory, MembershipFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Sam Resident",
    "email": "sam@example.test",
    "phone": "",
    "message": "Can you help me with my CV?",
    "consent": "on",
    "website": "",
}
REFERENCE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")


@pytest.fixture
def service():
    service = ServiceFactory(name="CV clinic")
    MembershipFactory(organisation=service.organisation, user__email="editor@example.test")
    return service


def _send(client, service, **changes):
    url = reverse("enquiries:service_enquiry", args=[service.slug])
    return client.post(url, {**MESSAGE, **changes}, follow=True)


def test_the_thank_you_page_gives_the_reference_and_when_to_expect_a_reply(client, service, settings):
    settings.ENQUIRY_REPLY_DAYS = 3

    page = _send(client, service).content.decode()

    reference = Enquiry.objects.get().reference
    assert REFERENCE.match(reference)
    assert f'Your reference is <strong class="reference">{reference}</strong>' in page
    assert "within 3 working days" in page


def test_the_confirming_email_gives_the_reference_and_when_to_expect_a_reply(client, service, settings):
    settings.ENQUIRY_REPLY_DAYS = 3

    _send(client, service)

    reference = Enquiry.objects.get().reference
    [acknowledgement] = [message for message in mail.outbox if message.to == ["sam@example.test"]]
    assert reference in acknowledgement.subject
    assert f"Your reference is {reference}" in acknowledgement.body
    assert "within 3 working days" in acknowledgement.body
    [to_editors] = [message for message in mail.outbox if message.to == ["editor@example.test"]]
    assert reference in to_editors.subject, "the editors can match the resident's reference"


def test_a_message_to_the_directory_has_a_reference_too(client, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@example.test"]

    page = client.post(reverse("enquiries:contact"), MESSAGE, follow=True).content.decode()

    reference = Enquiry.objects.get().reference
    assert f'Your reference is <strong class="reference">{reference}</strong>' in page
    assert any(reference in message.body for message in mail.outbox if message.to == ["sam@example.test"])


def test_the_thank_you_page_address_holds_no_row_number(client, service):
    response = client.post(reverse("enquiries:service_enquiry", args=[service.slug]), MESSAGE)

    assert response["Location"] == reverse("enquiries:service_enquiry_sent", args=[service.slug])


def test_references_are_random_not_counted():
    references = [EnquiryFactory().reference for _ in range(30)]

    assert all(REFERENCE.match(reference) for reference in references)
    assert len(set(references)) == 30
    assert references != sorted(references), "references in the order the rows were made give away a count"


def test_a_robot_sees_a_reference_too_but_nothing_is_kept(client, service):
    page = _send(client, service, website="http://spam.example").content.decode()

    assert re.search(r'Your reference is <strong class="reference">[A-Z2-9]{4}-[A-Z2-9]{4}</strong>', page)
    assert not Enquiry.objects.exists()


def test_opening_the_thank_you_page_without_sending_shows_no_reference(client, service):
    page = client.get(reverse("enquiries:service_enquiry_sent", args=[service.slug])).content.decode()

    assert "Your reference is" not in page
