"""`manage.py send_staff_digest`: staff hear once about each new piece of work, and never about none."""

import io
import threading
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from initiatives.editing import digest
from initiatives.editing.digest import staff_digest_recipients, staff_digest_send
from initiatives.editing.models import StaffDigestItem
from tests.factories import (
    EnquiryFactory,
    OrganisationFactory,
    ProblemReportFactory,
    RevisionFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(settings):
    settings.SITE_URL = "https://directory.example"
    return UserFactory(staff=True, username="reviewer", email="reviewer@directory.test")


@pytest.fixture
def service(db):
    return ServiceFactory(name="Citizens' CV clinic", organisation=OrganisationFactory(name="Advice & Work"))


def run() -> str:
    out = io.StringIO()
    call_command("send_staff_digest", stdout=out)
    return out.getvalue()


def test_new_work_is_emailed_to_staff_with_a_link_to_each_item(reviewer, service):
    revision = RevisionFactory(service=service, changes={"summary": "New summary"})
    report = ProblemReportFactory(service=service, text="The phone\nnumber is wrong.")
    enquiry = EnquiryFactory(service=None)

    output = run()

    assert output == "Staff digest: 3 new item(s) sent to 1 staff.\n"
    [email] = mail.outbox
    assert email.to == ["reviewer@directory.test"]
    assert email.subject == "Work to do at MK Directory: 3 new items"
    body = email.body
    assert "Changes waiting for review: 1 new" in body
    assert "Change to a listing: Citizens' CV clinic (Advice & Work)" in body, "plain text, not escaped"
    assert f"https://directory.example{reverse('admin:editing_revision_change', args=[revision.pk])}" in body
    assert "Problem with Citizens' CV clinic: The phone number is wrong." in body
    assert f"https://directory.example{reverse('feedback:manage_detail', args=[report.pk])}" in body
    assert f"Message {enquiry.reference} to the directory" in body
    assert f"https://directory.example{reverse('editing:work_to_do')}" in body
    assert "Test Resident" not in body and "resident@example.test" not in body, "no personal details"


def test_nothing_is_sent_when_there_is_no_work(reviewer):
    assert run() == "Staff digest: nothing sent; no new work.\n"
    assert mail.outbox == []


def test_work_dealt_with_before_the_digest_is_not_announced(reviewer, service):
    ProblemReportFactory(service=service, resolved_at="2025-01-06T12:00Z")
    EnquiryFactory(service=service, closed=True)

    run()

    assert mail.outbox == []


def test_an_item_is_never_sent_twice(reviewer, service):
    RevisionFactory(service=service, changes={"summary": "New summary"})
    run()

    assert run() == "Staff digest: nothing sent; no new work.\n"
    assert len(mail.outbox) == 1


def test_work_that_arrives_later_is_sent_in_the_next_digest_alone(reviewer, service):
    ProblemReportFactory(service=service, text="First problem")
    run()
    ProblemReportFactory(service=service, text="Second problem")

    assert run() == "Staff digest: 1 new item(s) sent to 1 staff.\n"

    first, second = mail.outbox
    assert "First problem" in first.body
    assert "Second problem" in second.body and "First problem" not in second.body


def test_a_long_digest_lists_the_first_twenty_of_each_kind(reviewer, service):
    ProblemReportFactory.create_batch(23, service=service)

    run()

    [email] = mail.outbox
    assert "Problems reported by residents: 23 new" in email.body
    assert email.body.count("Problem with") == 20
    assert "…and 3 more." in email.body
    assert StaffDigestItem.objects.count() == 23, "every one is told, so none comes again tomorrow"


def test_it_goes_to_active_staff_with_an_email_who_review_changes(reviewer):
    can_approve = Permission.objects.get(codename="approve_revision")
    by_group = UserFactory(is_staff=True, email="group@directory.test")
    group = Group.objects.create(name="Reviewers")
    group.permissions.add(can_approve)
    by_group.groups.add(group)
    direct = UserFactory(is_staff=True, email="direct@directory.test")
    direct.user_permissions.add(can_approve)
    UserFactory(is_staff=True, email="viewer@directory.test")  # staff who do not review
    UserFactory(staff=True, email="left@directory.test", is_active=False)
    UserFactory(staff=True, email="")
    editor = UserFactory(email="editor@charity.test")
    editor.user_permissions.add(can_approve)  # not staff, so never a reviewer

    assert staff_digest_recipients() == [
        "direct@directory.test",
        "group@directory.test",
        "reviewer@directory.test",
    ]


def test_with_no_one_to_tell_nothing_is_recorded_so_the_work_waits(settings, service):
    ProblemReportFactory(service=service)

    assert "no active staff who review changes have an email address" in run()

    assert not StaffDigestItem.objects.exists()
    UserFactory(staff=True, email="new-staff@directory.test")
    run()
    assert len(mail.outbox) == 1


def test_a_failed_email_records_nothing_so_the_next_run_tries_again(reviewer, service):
    ProblemReportFactory(service=service)

    mail_server_down = mock.patch.object(digest, "send_mail", side_effect=ConnectionRefusedError("down"))
    with mail_server_down, pytest.raises(CommandError, match="the email could not be sent"):
        run()

    assert not StaffDigestItem.objects.exists()
    assert run() == "Staff digest: 1 new item(s) sent to 1 staff.\n"


def test_work_another_run_has_just_sent_is_not_sent_again(reviewer, service):
    report = ProblemReportFactory(service=service)
    real_new_work = digest._new_work

    def new_work_then_other_run_sends_it():
        work = real_new_work()
        StaffDigestItem.objects.create(kind="problem_report", object_id=report.pk)  # the other run
        return work

    with mock.patch.object(digest, "_new_work", new_work_then_other_run_sends_it):
        result = staff_digest_send()

    assert (result.items, result.reason) == (0, "another run sent the new work")
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one write at a time.")
def test_two_runs_at_once_send_one_digest(settings, service):
    UserFactory(staff=True, email="reviewer@directory.test")
    ProblemReportFactory(service=service)
    barrier, real_new_work = threading.Barrier(2), digest._new_work
    results = []

    def new_work_in_step():
        work = real_new_work()
        barrier.wait(timeout=10)  # both have read the same new work before either records it
        return work

    def send():
        try:
            results.append(staff_digest_send())
        finally:
            connection.close()

    with mock.patch.object(digest, "_new_work", new_work_in_step):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(result.items for result in results) == [0, 1]
    assert len(mail.outbox) == 1
    assert StaffDigestItem.objects.count() == 1
