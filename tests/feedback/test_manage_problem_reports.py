"""Editors read the problems residents report with their own organisations' pages under /manage/ and
mark them resolved; nobody reaches another organisation's reports."""

import pytest
from django.core import mail
from django.urls import reverse

from initiatives.feedback.models import ProblemReport
from initiatives.models import AuditEntry
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProblemReportFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("feedback:manage_list")


def detail_url(report) -> str:
    return reverse("feedback:manage_detail", args=[report.pk])


@pytest.fixture
def report_a(db):
    """An open report about Alpha Aid's job club, whose editor is `editor_a`."""
    service = ServiceFactory(
        organisation=OrganisationFactory(name="Alpha Aid", slug="alpha-aid"), name="Alpha job club"
    )
    return ProblemReportFactory(service=service, text="The phone number for A is wrong.")


@pytest.fixture
def report_b(db):
    organisation = OrganisationFactory(name="Beta Trust", slug="beta-trust")
    return ProblemReportFactory(service=None, organisation=organisation, text="Beta's times have changed.")


@pytest.fixture
def editor_a(report_a):
    return MembershipFactory(organisation=report_a.organisation, user__first_name="Ed").user


@pytest.fixture
def editor_client(client, editor_a):
    client.force_login(editor_a)
    return client


def resolve(client, report, note="Changed the phone number."):
    return client.post(detail_url(report), {"resolution_note": note})


# The list -----------------------------------------------------------------------------------------


def test_an_editor_sees_the_reports_about_their_own_organisations_only(editor_client, report_a, report_b):
    page = editor_client.get(LIST).content.decode()

    assert "Alpha job club" in page and "The phone number for A is wrong." in page
    assert "Beta" not in page
    assert f'href="{detail_url(report_a)}"' in page


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        pytest.param("open", "Still wrong", "Fixed already", id="open"),
        pytest.param("resolved", "Fixed already", "Still wrong", id="resolved"),
    ],
)
def test_the_list_narrows_to_open_or_resolved_reports(
    editor_client, report_a, editor_a, status, shown, hidden
):
    organisation = report_a.organisation
    ProblemReportFactory(service=None, organisation=organisation, text="Still wrong")
    ProblemReportFactory(
        service=None, organisation=organisation, text="Fixed already", resolved_at="2025-01-06T12:00Z"
    )

    page = editor_client.get(LIST, {"status": status}).content.decode()

    assert shown in page and hidden not in page


def test_a_status_the_list_does_not_know_shows_every_report(editor_client, report_a):
    response = editor_client.get(LIST, {"status": "<script>"})

    assert response.status_code == 200
    assert "The phone number for A is wrong." in response.content.decode()


def test_the_list_for_one_organisation_comes_from_its_manage_page(editor_client, editor_a, report_a):
    other = ProblemReportFactory(text="About my other organisation")
    MembershipFactory(user=editor_a, organisation=other.organisation)
    organisation_page = editor_client.get(reverse("editing:organisation", args=["alpha-aid"]))
    link = f"{LIST}?organisation=alpha-aid&amp;status=open"
    assert link in organisation_page.content.decode()

    page = editor_client.get(LIST, {"organisation": "alpha-aid", "status": "open"}).content.decode()

    assert "Problems reported about Alpha Aid" in page
    assert "The phone number for A is wrong." in page and "About my other organisation" not in page


def test_another_organisations_list_is_not_found(editor_client, report_b):
    response = editor_client.get(LIST, {"organisation": "beta-trust"})

    assert response.status_code == 404
    assert "Beta" not in response.content.decode()


@pytest.mark.parametrize("reports", [1, 30], ids=["one-report", "thirty-reports"])
def test_the_list_runs_a_fixed_number_of_queries(
    editor_client, report_a, reports, django_assert_max_num_queries
):
    for _ in range(reports):
        ProblemReportFactory(service=ServiceFactory(organisation=report_a.organisation))

    # Session, user, the page's count and its reports (with their listings).
    with django_assert_max_num_queries(4):
        assert editor_client.get(LIST).status_code == 200


# One report, and marking it resolved ---------------------------------------------------------------


def test_the_report_page_shows_what_is_wrong_and_how_to_reply(editor_client, report_a):
    report_a.contact_email = "resident@example.test"
    report_a.save()

    page = editor_client.get(detail_url(report_a)).content.decode()

    assert "Problem with Alpha job club" in page
    assert report_a.reference in page
    assert "The phone number for A is wrong." in page
    assert 'href="mailto:resident@example.test"' in page
    assert '<label for="id_resolution_note">What was done (optional)</label>' in page
    assert "Mark as resolved</button>" in page


def test_marking_a_report_resolved_records_who_when_and_what_was_done(editor_client, editor_a, report_a):
    response = resolve(editor_client, report_a)

    assert response.status_code == 302
    assert response["Location"] == detail_url(report_a)
    report_a.refresh_from_db()
    assert report_a.is_resolved and report_a.resolved_by == editor_a
    assert report_a.resolution_note == "Changed the phone number."
    entry = AuditEntry.objects.get(action="problem_resolved")
    assert (entry.actor, entry.object_id) == (editor_a, report_a.pk)

    page = editor_client.get(response["Location"]).content.decode()
    assert "Marked as resolved." in page
    assert "Marked as resolved on" in page and "by Ed" in page
    assert "Changed the phone number." in page
    assert 'name="resolution_note"' not in page
    assert "Resolved" in editor_client.get(LIST).content.decode()


def test_a_report_resolved_already_is_not_resolved_again(editor_client, report_a):
    resolve(editor_client, report_a, note="First note")

    response = resolve(editor_client, report_a, note="Second note")

    assert response.status_code == 400
    page = response.content.decode()
    assert "This report was already marked as resolved on" in page
    assert "First note" in page and "Second note" not in page
    report_a.refresh_from_db()
    assert report_a.resolution_note == "First note"
    assert AuditEntry.objects.filter(action="problem_resolved").count() == 1


def test_a_note_too_long_is_refused_with_a_message(editor_client, report_a):
    response = resolve(editor_client, report_a, note="x" * 2001)

    assert response.status_code == 400
    assert "Keep it to 2,000 characters or fewer" in response.content.decode()
    report_a.refresh_from_db()
    assert not report_a.is_resolved


# Who may see and resolve --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_report_is_not_found_and_left_alone(editor_client, report_b, method):
    response = getattr(editor_client, method)(detail_url(report_b), {"resolution_note": "Not mine"})

    assert response.status_code == 404
    assert "Beta's times have changed." not in response.content.decode()
    report_b.refresh_from_db()
    assert not report_b.is_resolved and report_b.resolution_note == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_signed_out_is_sent_to_sign_in_and_nothing_changes(client, report_a, method):
    for address in (LIST, detail_url(report_a)):
        response = getattr(client, method)(address, {"resolution_note": "x"})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    report_a.refresh_from_db()
    assert not report_a.is_resolved


def test_staff_see_and_resolve_every_organisations_reports(client, report_a, report_b):
    staff = UserFactory(staff=True)
    client.force_login(staff)

    page = client.get(LIST).content.decode()
    assert "Alpha job club" in page and "Beta Trust" in page

    assert resolve(client, report_b, note="Asked Beta to check").status_code == 302
    assert ProblemReport.objects.get(pk=report_b.pk).resolved_by == staff


# Where editors hear of them -----------------------------------------------------------------------


def test_the_dashboard_counts_the_open_reports_about_my_organisations(editor_client, report_a, report_b):
    ProblemReportFactory(service=None, organisation=report_a.organisation)
    ProblemReportFactory(service=None, organisation=report_a.organisation, resolved_at="2025-01-06T12:00Z")

    page = editor_client.get(reverse("editing:dashboard")).content.decode()

    assert f'<a href="{LIST}?status=open">2 open problem reports to check</a>' in page


def test_with_no_open_reports_the_dashboard_still_links_to_past_ones(editor_client, report_a):
    resolve(editor_client, report_a)

    page = editor_client.get(reverse("editing:dashboard")).content.decode()

    assert "No open problem reports." in page
    assert f'<a href="{LIST}">See the reports residents have sent</a>' in page


def test_the_editors_email_links_to_the_report_in_the_manage_area(client, settings):
    settings.SITE_URL = "https://directory.example"
    service = ServiceFactory()
    MembershipFactory(organisation=service.organisation, user__email="editor@alpha.test")

    client.post(
        reverse("feedback:service_report", args=[service.slug]),
        {"text": "The address is wrong.", "contact_email": "", "website": ""},
    )

    [to_editors] = [message for message in mail.outbox if message.to == ["editor@alpha.test"]]
    report = ProblemReport.objects.get()
    assert f"https://directory.example{detail_url(report)}" in to_editors.body
    assert "mark it resolved" in to_editors.body
