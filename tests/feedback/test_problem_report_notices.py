"""A problem report's emails are stored with it and tried again until they go, or need a person."""

import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command

from initiatives.feedback.models import NoticeAudience, ProblemReportNotice
from initiatives.feedback.services import problem_report_submit
from initiatives.notices import NOTICE_MAX_ATTEMPTS
from tests.factories import MembershipFactory, ServiceFactory

pytestmark = pytest.mark.django_db

FAILING = "tests.helpers.failing_email.FailingBackend"


@pytest.fixture
def service(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@directory.test"]
    service = ServiceFactory(name="CV clinic")
    MembershipFactory(organisation=service.organisation, user__email="editor@works.test")
    return service


def submit(service, contact_email="sam@example.test"):
    return problem_report_submit(
        listing=service, text="The phone number is wrong.", contact_email=contact_email
    )


def retry() -> str:
    out = io.StringIO()
    call_command("send_problem_report_notices", stdout=out)
    return out.getvalue()


def test_each_email_a_report_owes_is_stored_and_marked_sent(service):
    report = submit(service)

    notices = list(report.notices.order_by("pk").values_list("audience", "attempts"))
    assert notices == [(NoticeAudience.EDITORS, 1), (NoticeAudience.STAFF, 1), (NoticeAudience.RESIDENT, 1)]
    assert not ProblemReportNotice.objects.unsent().exists()
    assert retry() == "0 sent, 0 not sent; 0 given up in all (see the admin).\n"
    assert len(mail.outbox) == 3, "nothing is sent twice"


def test_no_email_is_owed_to_someone_with_no_address(service, settings):
    settings.STAFF_NOTIFICATION_EMAILS = []

    report = submit(service, contact_email="")

    assert list(report.notices.values_list("audience", flat=True)) == [NoticeAudience.EDITORS]


def test_after_the_first_failure_the_rest_wait_for_the_command(service, settings, caplog):
    settings.EMAIL_BACKEND = FAILING

    with caplog.at_level(logging.ERROR, logger="initiatives.notices"):
        report = submit(service)

    assert dict(report.notices.values_list("audience", "attempts")) == {
        NoticeAudience.EDITORS: 1,
        NoticeAudience.STAFF: 0,
        NoticeAudience.RESIDENT: 0,
    }
    assert "will try again" in caplog.text
    assert "SMTPServerDisconnected" in report.notices.get(audience=NoticeAudience.EDITORS).last_error


def test_a_retry_reaches_the_editors_of_the_day(service, settings):
    settings.EMAIL_BACKEND = FAILING
    report = submit(service, contact_email="")
    MembershipFactory(organisation=service.organisation, user__email="new.editor@works.test")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    retry()

    [to_editors] = [message for message in mail.outbox if "staff@directory.test" not in message.to]
    assert sorted(to_editors.to) == ["editor@works.test", "new.editor@works.test"]
    assert not report.notices.unsent().exists()


def test_once_every_editor_has_left_the_email_to_them_is_given_up(service, settings, caplog):
    settings.EMAIL_BACKEND = FAILING
    report = submit(service, contact_email="")
    service.organisation.memberships.all().delete()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with caplog.at_level(logging.ERROR, logger="initiatives.notices"):
        output = retry()

    assert output == "1 sent, 1 not sent; 1 given up in all (see the admin).\n"
    editors = report.notices.get(audience=NoticeAudience.EDITORS)
    assert editors.given_up_at is not None and "No one to send it to" in editors.last_error
    assert "given up" in caplog.text
    assert [message.to for message in mail.outbox] == [["staff@directory.test"]]


def test_a_mail_server_that_stays_down_is_tried_a_bounded_number_of_times(service, settings):
    settings.EMAIL_BACKEND = FAILING
    report = submit(service, contact_email="")

    for _ in range(NOTICE_MAX_ATTEMPTS + 3):
        retry()

    for notice in report.notices.all():
        assert notice.attempts == NOTICE_MAX_ATTEMPTS
        assert notice.given_up_at is not None and notice.sent_at is None


def test_staff_see_each_email_and_its_error_on_the_report_in_the_admin(service, settings, staff_client):
    settings.EMAIL_BACKEND = FAILING
    report = submit(service, contact_email="")

    page = staff_client.get(f"/admin/feedback/problemreport/{report.pk}/change/").content.decode()

    assert "Organisation&#x27;s editors" in page
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
