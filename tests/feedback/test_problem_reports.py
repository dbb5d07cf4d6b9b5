"""Report a problem: the form on every public listing, spam rules, emails, the resident's reference
and reply time, and staff resolving."""

import logging
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from initiatives.feedback.models import ProblemReport
from initiatives.models import AuditEntry
from initiatives.publishing import PublicationState
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProblemReportFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REPORT = {"text": "The phone number on this page no longer works.", "contact_email": "", "website": ""}


@pytest.fixture
def service(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@directory.test"]
    organisation = OrganisationFactory(name="Works for Test")
    MembershipFactory(organisation=organisation, user__email="editor@works.test")
    return ServiceFactory(organisation=organisation, name="CV clinic")


def report_url(listing) -> str:
    kind = "organisation" if listing.__class__.__name__ == "Organisation" else "service"
    return reverse(f"feedback:{kind}_report", args=[listing.slug])


def post(client, listing, address="203.0.113.7", follow=False, **changes):
    return client.post(report_url(listing), {**REPORT, **changes}, REMOTE_ADDR=address, follow=follow)


# The form on the public pages --------------------------------------------------------------------


@pytest.mark.parametrize("listing_name", ["service", "organisation"])
def test_every_public_listing_page_has_the_short_form(client, service, listing_name):
    listing = service if listing_name == "service" else service.organisation

    page = client.get(listing.get_absolute_url()).content.decode()

    assert "Report a problem with this page" in page
    assert f'action="{report_url(listing)}"' in page
    assert 'name="csrfmiddlewaretoken"' not in page  # a page kept for everyone: see same_origin.py
    assert '<label for="report_text">What is wrong?</label>' in page
    assert '<div class="trap" aria-hidden="true">' in page
    assert '<label for="report_website">Leave this empty</label>' in page
    assert 'tabindex="-1"' in page


def test_the_email_box_offers_the_residents_saved_address(client, service):
    page = client.get(report_url(service)).content.decode()

    email_box = re.search(r'<input[^>]*id="report_contact_email"[^>]*>', page).group(0)
    assert 'type="email"' in email_box
    assert 'autocomplete="email"' in email_box


# A valid report ----------------------------------------------------------------------------------


def test_a_valid_report_is_stored_and_thanked_for_after_a_redirect(client, service):
    response = post(client, service, contact_email="resident@example.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:service_report_sent", args=[service.slug])
    report = ProblemReport.objects.get()
    assert (report.service, report.organisation) == (service, service.organisation)
    assert report.text == REPORT["text"]
    assert report.contact_email == "resident@example.test"
    assert report.resolved_at is None
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in thanks
    assert "Works for Test" in thanks


def test_the_report_is_emailed_to_the_organisations_editors_and_to_staff(client, service):
    MembershipFactory(user__email="other-editor@elsewhere.test")

    post(client, service, contact_email="resident@example.test")

    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("editor@works.test",), ("resident@example.test",), ("staff@directory.test",)]
    for message in mail.outbox:
        if message.to == ["resident@example.test"]:
            continue  # the resident's confirmation, below
        assert "CV clinic" in message.subject
        assert REPORT["text"] in message.body
        assert "resident@example.test" in message.body
    staff_message = next(m for m in mail.outbox if m.to == ["staff@directory.test"])
    report = ProblemReport.objects.get()
    assert reverse("admin:feedback_problemreport_change", args=[report.pk]) in staff_message.body


# The resident's reference and when to expect a reply -----------------------------------------------


def test_the_thank_you_page_gives_the_reference_and_when_to_expect_a_reply(client, service, settings):
    settings.ENQUIRY_REPLY_DAYS = 3

    thanks = post(client, service, contact_email="resident@example.test", follow=True).content.decode()

    reference = ProblemReport.objects.get().reference
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    assert f'Your reference is <strong class="reference">{reference}</strong>' in thanks
    assert "within 3 working days" in thanks


def test_the_resident_who_left_an_address_gets_the_reference_by_email(client, service, settings):
    settings.ENQUIRY_REPLY_DAYS = 3

    post(client, service, contact_email="resident@example.test")

    reference = ProblemReport.objects.get().reference
    [confirmation] = [message for message in mail.outbox if message.to == ["resident@example.test"]]
    assert reference in confirmation.subject
    assert f"Your reference is {reference}" in confirmation.body
    assert "within 3 working days" in confirmation.body
    assert all(reference in message.subject for message in mail.outbox), "editors and staff can match it"


def test_no_address_no_confirmation_email(client, service):
    post(client, service)

    assert sorted(message.to[0] for message in mail.outbox) == ["editor@works.test", "staff@directory.test"]


def test_each_report_gets_its_own_reference(client, service):
    post(client, service)
    post(client, service)

    first, second = ProblemReport.objects.values_list("reference", flat=True)
    assert first != second


def test_a_report_about_an_organisation_reaches_its_editors(client, service):
    organisation = service.organisation

    response = post(client, organisation)

    assert response["Location"] == reverse("feedback:organisation_report_sent", args=[organisation.slug])
    report = ProblemReport.objects.get()
    assert (report.organisation, report.service) == (organisation, None)
    assert ["editor@works.test"] in [message.to for message in mail.outbox]


def test_with_no_staff_addresses_set_staff_find_reports_in_the_admin(client, service, settings, caplog):
    settings.STAFF_NOTIFICATION_EMAILS = []

    with caplog.at_level(logging.INFO, logger="initiatives.feedback.services"):
        post(client, service)

    assert [message.to for message in mail.outbox] == [["editor@works.test"]]
    assert "no staff to email" in caplog.text
    assert ProblemReport.objects.count() == 1


def test_a_report_is_kept_when_email_fails(client, service, settings, caplog):
    settings.EMAIL_BACKEND = "tests.helpers.failing_email.FailingBackend"

    with caplog.at_level(logging.ERROR, logger="initiatives.notices"):
        response = post(client, service)

    assert response.status_code == 302
    assert ProblemReport.objects.count() == 1
    assert "stored but not emailed" in caplog.text


@pytest.mark.parametrize(
    "state", [PublicationState.DRAFT, PublicationState.PENDING, PublicationState.ARCHIVED]
)
def test_unpublished_listings_take_no_reports(client, service, state):
    service.publication_state = state
    service.save()

    assert post(client, service).status_code == 404
    assert not ProblemReport.objects.exists()


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field, message",
    [
        pytest.param({"text": ""}, "report_text", "Say what is wrong on this page", id="empty"),
        pytest.param({"text": "   "}, "report_text", "Say what is wrong on this page", id="blank"),
        pytest.param({"text": "x" * 2001}, "report_text", "2,000 characters or fewer", id="too-long"),
        pytest.param(
            {"contact_email": "not-an-address"},
            "report_contact_email",
            "Enter an email address like name@example.com",
            id="bad-email",
        ),
    ],
)
def test_invalid_reports_are_shown_again_with_an_error_summary(client, service, changes, field, message):
    response = post(client, service, **changes)

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert f'href="#{field}"' in page
    assert message in page
    assert page.count(message) == 2  # in the summary and beside the field
    summary_link = re.search(rf'<a href="#{field}">([^<]*)</a>', page).group(1)
    assert message in summary_link
    for label in ("What is wrong?", "Your email address"):
        assert label not in summary_link, "the summary gives the message alone, not the label first"
    assert not ProblemReport.objects.exists()
    assert mail.outbox == []


# Spam --------------------------------------------------------------------------------------------


def test_a_filled_honeypot_stores_and_sends_nothing_and_says_why(client, service):
    response = post(client, service, website="http://cheap-pills.example")

    assert response.status_code == 400
    assert "Leave this empty" in response.content.decode()
    assert not ProblemReport.objects.exists()
    assert mail.outbox == []


def test_more_than_five_reports_an_hour_from_one_address_are_refused(client, service):
    for _ in range(5):
        assert post(client, service).status_code == 302

    refused = post(client, service)

    assert refused.status_code == 429
    assert "try again later" in refused.content.decode()
    assert ProblemReport.objects.count() == 5
    assert post(client, service, address="198.51.100.20").status_code == 302


def test_the_rate_limit_keeps_only_a_hash_of_the_address(client, service):
    post(client, service, address="203.0.113.99")

    cached = " ".join(str(key) for key in cache._cache)  # LocMemCache's own store
    assert cached
    assert "203.0.113.99" not in cached


# Staff -------------------------------------------------------------------------------------------


def test_staff_see_reports_in_the_admin_and_resolve_them(client, service):
    post(client, service)
    post(client, service.organisation, address="198.51.100.20")
    staff = UserFactory(staff=True)
    client.force_login(staff)
    changelist = reverse("admin:feedback_problemreport_changelist")

    listed = client.get(changelist, {"status": "open"})
    assert len(listed.context["cl"].result_list) == 2

    response = client.post(
        changelist,
        {
            "action": "resolve_selected",
            "_selected_action": list(ProblemReport.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )

    assert "2 problem reports marked as resolved." in [str(m) for m in response.context["messages"]]
    for report in ProblemReport.objects.all():
        assert report.resolved_by == staff
        assert report.resolved_at is not None
    assert AuditEntry.objects.filter(action="problem_resolved", actor=staff).count() == 2
    assert len(client.get(changelist, {"status": "open"}).context["cl"].result_list) == 0


def test_resolving_again_changes_nothing(client, service):
    post(client, service)
    first, second = UserFactory(staff=True), UserFactory(staff=True)
    changelist = reverse("admin:feedback_problemreport_changelist")
    selected = {"action": "resolve_selected", "_selected_action": [ProblemReport.objects.get().pk]}

    client.force_login(first)
    client.post(changelist, selected)
    client.force_login(second)
    client.post(changelist, selected)

    assert ProblemReport.objects.get().resolved_by == first


def test_a_report_is_read_only_in_the_admin(client, service):
    post(client, service)
    client.force_login(UserFactory(staff=True))
    report = ProblemReport.objects.get()

    response = client.get(reverse("admin:feedback_problemreport_change", args=[report.pk]))

    assert response.status_code == 200
    assert REPORT["text"] in response.content.decode()
    assert 'name="text"' not in response.content.decode()


def test_editors_see_only_their_own_organisations_reports(service):
    mine = ProblemReportFactory(service=service, text="Wrong times")
    ProblemReportFactory(service=None, organisation=OrganisationFactory(), text="Someone else's")
    editor = service.organisation.memberships.get().user

    assert list(ProblemReport.objects.visible_to(editor)) == [mine]
    assert not ProblemReport.objects.visible_to(AnonymousUser()).exists()
