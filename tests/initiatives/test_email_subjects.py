"""Email subjects are plain text on one line, and a failed email never undoes or hides a saved change."""

import logging

import pytest
from django.core import mail
from django.utils import timezone

from initiatives.accounts.services import invitation_send
from initiatives.editing.freshness import review_reminders_send
from initiatives.editing.models import RevisionStatus
from initiatives.editing.moderation import revision_approve, revision_reject
from initiatives.emails import render_email_subject
from initiatives.enquiries.services import enquiry_create, notices_send
from initiatives.feedback.services import problem_report_submit
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RevisionFactory,
    ServiceFactory,
    UserFactory,
)

NAME = "Citizens Advice's Tea & Toast"


@pytest.fixture
def staff_emails(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@example.test"]


def _outcome_of_a_change(capture):
    revision = RevisionFactory(
        service=ServiceFactory(name=NAME), author=UserFactory(email="editor@example.test")
    )
    with capture(execute=True):
        revision_approve(revision=revision, reviewer=UserFactory(staff=True))


def _review_reminder(capture):
    organisation = OrganisationFactory(name=NAME, review_due_on=timezone.localdate())
    MembershipFactory(organisation=organisation, user__email="editor@example.test")
    review_reminders_send()


def _invitation(capture):
    with capture(execute=True):
        invitation_send(
            organisation=OrganisationFactory(name=NAME),
            email="new@example.test",
            role="editor",
            invited_by=UserFactory(staff=True),
        )


def _problem_report(capture):
    problem_report_submit(listing=ServiceFactory(name=NAME), text="Wrong phone number.", contact_email="")


def _enquiry_to_editors(capture):
    service = ServiceFactory(name=NAME)
    MembershipFactory(organisation=service.organisation, user__email="editor@example.test")
    _enquire(service)


def _enquiry_passed_on_by_staff(capture):
    _enquire(ServiceFactory(organisation=OrganisationFactory(name=NAME)))


def _enquire(service):
    enquiry = enquiry_create(service=service, name="Sam", email="", phone="01908 123456", message="Help?")
    notices_send(notices=enquiry.notices.all())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "send",
    [
        _outcome_of_a_change,
        _review_reminder,
        _invitation,
        _problem_report,
        _enquiry_to_editors,
        _enquiry_passed_on_by_staff,
    ],
    ids=["change-outcome", "review-reminder", "invitation", "problem-report", "enquiry", "enquiry-staff"],
)
def test_apostrophes_and_ampersands_arrive_as_typed_in_every_subject(
    send, staff_emails, django_capture_on_commit_callbacks
):
    send(django_capture_on_commit_callbacks)

    subjects = [message.subject for message in mail.outbox]
    assert any(NAME in subject for subject in subjects), subjects
    assert not any("&#x27;" in subject or "&amp;" in subject for subject in subjects)


def test_a_subject_is_one_line_whatever_the_template_or_the_data_hold():
    subject = render_email_subject(
        "emails/review_reminder_subject.txt",
        {"organisation": {"name": "Tea &\n  Toast"}, "overdue": [1]},
    )
    assert subject == "Overdue: please check Tea & Toast's listings on MK Directory"


@pytest.fixture
def stale_revision(db):
    """A change sent before the one-line rule, proposing a name with a line break."""
    return RevisionFactory(author=UserFactory(email="editor@example.test"), changes={"name": "Tea\nToast"})


def test_a_change_sent_before_the_rule_still_gets_a_one_line_subject(
    stale_revision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revision_reject(revision=stale_revision, reviewer=UserFactory(staff=True), reason="Name?")

    [message] = mail.outbox
    assert message.subject == "Your change to Tea Toast was not approved"


def test_approving_a_change_sent_before_the_rule_tells_staff_which_field_to_mend(
    stale_revision, client, staff_user
):
    client.force_login(staff_user)

    response = client.post(f"/admin/editing/revision/{stale_revision.pk}/change/", {"_approve": "1"})

    assert response.status_code == 200
    assert "Name: This must be on one line" in response.content.decode()
    stale_revision.refresh_from_db()
    assert stale_revision.status == RevisionStatus.PENDING
    assert mail.outbox == []


# A failed email after the change is committed ------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # so the email is tried after a real commit, inside the request
def test_an_approval_whose_email_fails_stays_approved_and_staff_see_no_error(
    client, staff_user, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.helpers.failing_email.FailingBackend"
    service = ServiceFactory()
    revision = RevisionFactory(
        service=service, author=UserFactory(email="editor@example.test"), changes={"summary": "New words."}
    )
    client.force_login(staff_user)

    with caplog.at_level(logging.ERROR, logger="initiatives.emails"):
        response = client.post(f"/admin/editing/revision/{revision.pk}/change/", {"_approve": "1"})

    assert response.status_code == 302
    revision.refresh_from_db()
    service.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert service.summary == "New words."
    assert "not sent" in caplog.text
