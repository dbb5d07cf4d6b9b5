"""An enquiry email that keeps failing is retried a bounded number of times, then left for staff."""

import logging
from io import StringIO

import pytest
from django.core.mail import BadHeaderError
from django.core.management import call_command

from initiatives.enquiries.models import EnquiryNotice
from initiatives.enquiries.services import enquiry_create, notices_send
from initiatives.notices import NOTICE_MAX_ATTEMPTS
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@example.test"]
    enquiry = enquiry_create(
        service=ServiceFactory(), name="Sam", email="", phone="01908 123456", message="Help?"
    )
    return enquiry.notices.get()


def _retry():
    call_command("send_enquiry_notices", stdout=StringIO())


def test_an_email_that_can_never_be_sent_is_given_up_at_once(notice, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setattr("initiatives.notices.send_mail", refuse)
    with caplog.at_level(logging.ERROR, logger="initiatives.notices"):
        notices_send(notices=[notice])
    _retry()

    notice.refresh_from_db()
    assert notice.attempts == 1  # the command did not try it again
    assert notice.given_up_at is not None and notice.sent_at is None
    assert "BadHeaderError" in notice.last_error
    assert "given up" in caplog.text


def test_a_mail_server_that_stays_down_is_tried_a_bounded_number_of_times(notice, settings):
    settings.EMAIL_BACKEND = "tests.helpers.failing_email.FailingBackend"

    for _ in range(NOTICE_MAX_ATTEMPTS + 3):
        _retry()

    notice.refresh_from_db()
    assert notice.attempts == NOTICE_MAX_ATTEMPTS
    assert notice.given_up_at is not None
    assert EnquiryNotice.objects.unsent().get() == notice  # kept, with its error, for staff to see
