"""Every published, current service takes a message, and the resident is told who will read it:
the organisation's team when it has editors, otherwise our staff, who pass it on. The emails go to
exactly those people, whatever the case."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from initiatives.enquiries.models import EnquiryNotice
from initiatives.models import OrganisationMembership, ServiceKind, ServiceStatus
from initiatives.publishing import PublicationState
from tests.factories import MembershipFactory, OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Sam Resident",
    "email": "",
    "phone": "07700 900123",
    "message": "Can you help me with my CV?",
    "consent": "on",
    "website": "",
}
EDITORS_READ = "Works for Us’s team will read your message."
STAFF_PASS_ON = "MK Directory staff will read your message and pass it on to Works for Us."


def _form_url(service):
    return reverse("enquiries:service_enquiry", args=[service.slug])


@pytest.fixture
def works_for_us(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@directory.test"]
    return OrganisationFactory(name="Works for Us")


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({}, id="active-service"),
        pytest.param({"status": ServiceStatus.TEMPORARILY_CLOSED}, id="temporarily-closed"),
        pytest.param({"status": ServiceStatus.PLANNED}, id="planned"),
        pytest.param({"kind": ServiceKind.EVENT, "ends_on": datetime.date(2099, 1, 1)}, id="event-to-come"),
        pytest.param({"email": "", "phone": "", "website": ""}, id="no-contact-details"),
    ],
)
def test_every_published_current_service_takes_a_message(client, works_for_us, fields):
    service = ServiceFactory(organisation=works_for_us, **fields)

    response = client.get(_form_url(service))

    assert response.status_code == 200
    assert '<button type="submit">Send message</button>' in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"status": ServiceStatus.ENDED}, id="ended"),
        pytest.param({"ends_on": datetime.date(2000, 1, 1)}, id="end-date-passed"),
        pytest.param({"publication_state": PublicationState.DRAFT}, id="draft"),
        pytest.param({"publication_state": PublicationState.ARCHIVED}, id="archived"),
    ],
)
def test_ended_and_unpublished_services_take_none(client, works_for_us, fields):
    service = ServiceFactory(organisation=works_for_us, **fields)

    assert client.get(_form_url(service)).status_code == 404
    assert client.post(_form_url(service), MESSAGE).status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize(
    "has_editor, shown, recipients",
    [
        pytest.param(True, EDITORS_READ, ["editor@works.test"], id="editors-read"),
        pytest.param(False, STAFF_PASS_ON, ["staff@directory.test"], id="staff-pass-on"),
    ],
)
def test_the_reader_shown_is_the_reader_emailed(client, works_for_us, has_editor, shown, recipients):
    if has_editor:
        MembershipFactory(organisation=works_for_us, user__email="editor@works.test")
    service = ServiceFactory(organisation=works_for_us)

    form = client.get(_form_url(service)).content.decode()
    response = client.post(_form_url(service), MESSAGE, follow=True)

    assert shown in form
    assert shown in response.content.decode(), "the confirmation says the same"
    assert [message.to for message in mail.outbox] == [recipients]


@pytest.mark.parametrize(
    "editor",
    [
        pytest.param({"is_active": False}, id="deactivated"),
        pytest.param({"email": ""}, id="no-email-address"),
    ],
)
def test_an_editor_we_cannot_email_does_not_count(client, works_for_us, editor):
    MembershipFactory(organisation=works_for_us, user=UserFactory(**editor))
    service = ServiceFactory(organisation=works_for_us)

    assert STAFF_PASS_ON in client.get(_form_url(service)).content.decode()
    client.post(_form_url(service), MESSAGE)
    assert [message.to for message in mail.outbox] == [["staff@directory.test"]]


def test_an_editor_of_another_organisation_does_not_count(client, works_for_us):
    MembershipFactory(user__email="elsewhere@other.test")
    service = ServiceFactory(organisation=works_for_us)

    assert STAFF_PASS_ON in client.get(_form_url(service)).content.decode()


def test_a_message_to_the_directory_is_read_by_staff(client, works_for_us):
    page = client.get(reverse("enquiries:contact")).content.decode()
    client.post(reverse("enquiries:contact"), MESSAGE)

    assert "MK Directory staff will read your message." in page
    assert [message.to for message in mail.outbox] == [["staff@directory.test"]]


def test_if_every_editor_leaves_before_a_retry_staff_get_the_message(client, works_for_us, settings):
    MembershipFactory(organisation=works_for_us, user__email="editor@works.test")
    service = ServiceFactory(organisation=works_for_us)
    settings.EMAIL_BACKEND = "tests.helpers.failing_email.FailingBackend"
    client.post(_form_url(service), MESSAGE)
    OrganisationMembership.objects.all().delete()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_enquiry_notices", stdout=_Quiet())

    assert [message.to for message in mail.outbox] == [["staff@directory.test"]]
    assert not EnquiryNotice.objects.unsent().exists()


class _Quiet:
    def write(self, text):
        pass
