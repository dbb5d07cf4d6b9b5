"""Every link in every email starts with MK_SITE_URL, whatever Host header the request carried.

Whoever sends a request writes its Host header (and its port): a link built from it could send a
password-reset token, or an editor's sign-in, to an address of theirs. Each request below names
evil.example:8443, a host Django is told to accept, so only building links from SITE_URL passes.
"""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from initiatives.models import MembershipRole
from tests.factories import (
    EnquiryFactory,
    MembershipFactory,
    OrganisationFactory,
    ProblemReportFactory,
    RevisionFactory,
    ServiceFactory,
    UserFactory,
    editor_of,
)
from tests.helpers.forms import ENQUIRY

pytestmark = pytest.mark.django_db

SITE_URL = "https://directory.example.org"
EVIL = "evil.example:8443"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@directory.test"]


def links(message) -> list[str]:
    return re.findall(r"\w+://\S+", message.body)


def assert_every_link_is_the_sites(messages, *, at_least: int = 1):
    """Each email's links all start with SITE_URL, and together they hold at least `at_least`."""
    found = [link for message in messages for link in links(message)]
    assert len(found) >= at_least, [message.body for message in messages]
    assert [link for link in found if not link.startswith(SITE_URL + "/")] == []
    assert not any("evil.example" in message.body + message.subject for message in messages)


def test_a_password_reset_link_goes_to_the_site_not_to_the_host_that_asked(client):
    UserFactory(username="known", email="known@example.test")

    response = client.post("/accounts/password_reset/", {"email": "known@example.test"}, HTTP_HOST=EVIL)

    assert response.status_code == 302
    [message] = mail.outbox
    assert_every_link_is_the_sites([message])
    [link] = links(message)
    assert client.get(link.removeprefix(SITE_URL)).status_code == 302, "the link works on the site itself"


def test_a_password_reset_link_keeps_the_sites_own_scheme_and_port(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    UserFactory(username="known", email="known@example.test")

    client.post("/accounts/password_reset/", {"email": "known@example.test"}, HTTP_HOST=EVIL)

    [link] = links(mail.outbox[0])
    assert link.startswith("http://127.0.0.1:8000/accounts/reset/")


def test_enquiry_notices_to_editors_and_the_residents_thanks(client):
    service = ServiceFactory()
    MembershipFactory(organisation=service.organisation, user__email="editor@example.test")

    client.post(f"/services/{service.slug}/get-in-touch/", ENQUIRY, HTTP_HOST=EVIL)

    assert [message.to for message in mail.outbox] == [["editor@example.test"], ["sam@example.test"]]
    assert_every_link_is_the_sites(mail.outbox)


def test_enquiry_notices_to_staff(client):
    client.post("/contact/", ENQUIRY, HTTP_HOST=EVIL)

    assert ["staff@directory.test"] in [message.to for message in mail.outbox]
    assert_every_link_is_the_sites(mail.outbox)


def test_problem_report_emails_to_editors_staff_and_the_resident(client):
    service = ServiceFactory()
    MembershipFactory(organisation=service.organisation, user__email="editor@example.test")
    report = {"text": "The phone number is wrong.", "contact_email": "sam@example.test", "website": ""}

    client.post(f"/services/{service.slug}/report-a-problem/", report, HTTP_HOST=EVIL)

    assert len(mail.outbox) == 3
    assert_every_link_is_the_sites(mail.outbox, at_least=2)


def test_an_invitation_to_edit(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    client.force_login(editor_of(organisation, role=MembershipRole.MANAGER, username="manager"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/manage/organisations/{organisation.slug}/team/",
            {"email": "colleague@example.test", "role": "editor"},
            HTTP_HOST=EVIL,
        )

    [message] = mail.outbox
    assert_every_link_is_the_sites([message])


def test_a_reviewers_decision_told_to_the_author(client, django_capture_on_commit_callbacks):
    revision = RevisionFactory(author=UserFactory(email="editor@example.test"), changes={"summary": "New."})
    client.force_login(UserFactory(staff=True, username="reviewer"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/editing/revision/{revision.pk}/change/", {"_approve": "1"}, HTTP_HOST=EVIL)

    [message] = mail.outbox
    assert message.to == ["editor@example.test"]
    assert_every_link_is_the_sites([message])


def test_review_reminders(db):
    organisation = OrganisationFactory(review_due_on=timezone.localdate() - datetime.timedelta(days=1))
    MembershipFactory(organisation=organisation, user__email="editor@example.test")

    call_command("send_review_reminders", stdout=io.StringIO())

    [message] = mail.outbox
    assert_every_link_is_the_sites([message], at_least=2)


def test_the_staff_digest(db):
    UserFactory(staff=True, username="reviewer", email="reviewer@directory.test")
    RevisionFactory()
    ProblemReportFactory()
    EnquiryFactory(service=None)

    call_command("send_staff_digest", stdout=io.StringIO())

    [message] = mail.outbox
    assert_every_link_is_the_sites([message], at_least=4)
