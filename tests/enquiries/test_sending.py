"""A resident sends an enquiry: validated, stored first, then editors and resident are emailed."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from initiatives.enquiries.models import Enquiry, EnquiryNotice, NoticeKind
from tests.factories import MembershipFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Sam Resident",
    "email": "sam@example.test",
    "phone": "",
    "message": "Can you help me write a CV? My details: sam@example.test",
    "consent": "on",
    "website": "",
}


@pytest.fixture
def service():
    service = ServiceFactory(name="CV clinic")
    MembershipFactory(organisation=service.organisation, user=UserFactory(email="editor@example.test"))
    return service


def _url(service):
    return reverse("enquiries:service_enquiry", args=[service.slug])


def test_form_explains_who_sees_the_message_and_how_long_it_is_kept(client, service):
    page = client.get(_url(service)).content.decode()
    assert service.organisation.name in page
    assert "Who will see your message" in page
    assert "90 days" in page


def test_enquiry_is_stored_and_editors_get_a_notice_without_the_message(client, service):
    response = client.post(_url(service), VALID)

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.service, enquiry.name, enquiry.email) == (service, "Sam Resident", "sam@example.test")
    assert enquiry.consented_at is not None
    editors_mail, acknowledgement = mail.outbox
    assert editors_mail.to == ["editor@example.test"]
    assert reverse("enquiries:manage_detail", args=[enquiry.pk]) in editors_mail.body
    for secret in ("Sam", "sam@example.test", "CV?"):
        assert secret not in editors_mail.body and secret not in editors_mail.subject
    assert acknowledgement.to == ["sam@example.test"]
    assert set(EnquiryNotice.objects.values_list("kind", "attempts")) == {
        (NoticeKind.EDITORS, 1),
        (NoticeKind.ACKNOWLEDGEMENT, 1),
    }
    assert not EnquiryNotice.objects.unsent().exists()


def test_phone_only_enquiry_gets_no_acknowledgement(client, service):
    client.post(_url(service), {**VALID, "email": "", "phone": "07700 900123"})
    assert Enquiry.objects.get().phone == "07700 900123"
    assert [message.to for message in mail.outbox] == [["editor@example.test"]]


def test_organisation_without_editors_reaches_staff_with_a_link_to_the_admin(client, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@example.test"]
    service = ServiceFactory()
    client.post(_url(service), {**VALID, "email": "", "phone": "01908 123456"})

    [staff_mail] = mail.outbox
    assert staff_mail.to == ["staff@example.test"]
    assert f"Please send it to {service.organisation.name}" in staff_mail.body
    enquiry = Enquiry.objects.get()
    assert reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]) in staff_mail.body
    assert EnquiryNotice.objects.get().kind == NoticeKind.STAFF


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"email": "", "phone": ""}, "email", "Enter an email address or a phone number"),
        ({"email": "not-an-email"}, "email", "Enter an email address like name@example.com"),
        ({"email": "", "phone": "12345"}, "phone", "Enter a UK phone number"),
        ({"email": "", "phone": "+1 212 555 0100"}, "phone", "Enter a UK phone number"),
        ({"consent": ""}, "consent", "Tick the box to agree"),
        ({"name": ""}, "name", "Enter your name"),
        ({"message": ""}, "message", "Enter your message"),
        ({"message": "x" * 2001}, "message", "2,000 characters or fewer"),
    ],
    ids=[
        "no-reply-route",
        "bad-email",
        "short-phone",
        "foreign-phone",
        "no-consent",
        "no-name",
        "no-message",
        "long-message",
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, service, change, field, message):
    data = {key: value for key, value in {**VALID, **change}.items() if value != "" or key in VALID}
    response = client.post(_url(service), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}"' in page
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert not Enquiry.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "phone", ["01908 123456", "07700900123", "+44 7700 900123", "(01908) 123-456"], ids=str
)
def test_uk_phone_numbers_are_accepted(client, service, phone):
    response = client.post(_url(service), {**VALID, "email": "", "phone": phone})
    assert response.status_code == 302


def test_honeypot_pretends_to_succeed_but_stores_and_sends_nothing(client, service):
    response = client.post(_url(service), {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Enquiry.objects.exists()
    assert mail.outbox == []


def test_rate_limit_per_address_answers_429(client, service, settings):
    settings.ENQUIRY_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(_url(service), VALID).status_code == 302
    response = client.post(_url(service), VALID, REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert Enquiry.objects.count() == 2
    # Another address is not held back.
    assert client.post(_url(service), VALID, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_rate_limit_keeps_no_raw_address(client, service):
    from django.core.cache import cache

    client.post(_url(service), VALID, REMOTE_ADDR="203.0.113.9")
    keys = list(cache._cache.keys())  # LocMemCache: the stored keys themselves
    assert keys and not any("203.0.113.9" in key for key in keys)


def test_general_enquiry_reaches_staff(client, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@example.test"]
    response = client.post(reverse("enquiries:contact"), VALID)

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.service is None
    staff_mail = mail.outbox[0]
    assert staff_mail.to == ["staff@example.test"]
    assert reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]) in staff_mail.body
    assert "Sam" not in staff_mail.body


def test_email_failure_loses_nothing_and_the_command_retries(client, service, settings):
    settings.EMAIL_BACKEND = "tests.helpers.failing_email.FailingBackend"
    response = client.post(_url(service), VALID)

    assert response.status_code == 302  # the resident's message is safe even though mail is down
    enquiry = Enquiry.objects.get()
    # The first failure stops the rest, so a silent mail server costs the resident one wait, not two.
    notices = list(EnquiryNotice.objects.unsent())
    assert [notice.attempts for notice in notices] == [1, 0]
    assert "SMTP" in notices[0].last_error

    call_command("send_enquiry_notices", stdout=_Quiet())
    assert EnquiryNotice.objects.unsent().count() == 2  # still down: still kept
    assert list(EnquiryNotice.objects.values_list("attempts", flat=True)) == [2, 1]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_enquiry_notices", stdout=_Quiet())
    assert not EnquiryNotice.objects.unsent().exists()
    assert sorted(message.to[0] for message in mail.outbox) == ["editor@example.test", "sam@example.test"]

    call_command("send_enquiry_notices", stdout=_Quiet())  # nothing is sent twice
    assert len(mail.outbox) == 2
    assert Enquiry.objects.get() == enquiry


class _Quiet:
    def write(self, text):
        pass
