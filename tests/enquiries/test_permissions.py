"""Editors see and answer their own organisations' enquiries; nobody else can reach them."""

import pytest
from django.urls import reverse

from initiatives.enquiries.models import EnquiryStatus
from initiatives.models import AuditEntry
from tests.factories import EnquiryFactory, MembershipFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("enquiries:manage_list")


def _detail(enquiry):
    return reverse("enquiries:manage_detail", args=[enquiry.pk])


@pytest.fixture
def two_organisations():
    """Organisation A and B, each with an editor and one enquiry."""
    enquiry_a = EnquiryFactory(name="Alex Asker", message="Message for A")
    enquiry_b = EnquiryFactory(name="Billie Bee", message="Message for B")
    editor_a = MembershipFactory(organisation=enquiry_a.service.organisation).user
    editor_b = MembershipFactory(organisation=enquiry_b.service.organisation).user
    return enquiry_a, enquiry_b, editor_a, editor_b


def test_editor_sees_only_their_organisations_enquiries(client, two_organisations):
    enquiry_a, _, editor_a, _ = two_organisations
    client.force_login(editor_a)

    page = client.get(LIST).content.decode()
    assert "Alex Asker" in page and "Billie Bee" not in page

    detail = client.get(_detail(enquiry_a)).content.decode()
    assert "Message for A" in detail and enquiry_a.email in detail


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_editor_gets_404_by_id(client, two_organisations, method):
    enquiry_a, _, _, editor_b = two_organisations
    client.force_login(editor_b)

    response = getattr(client, method)(_detail(enquiry_a), {"status": "closed", "private_note": "x"})

    assert response.status_code == 404
    assert b"Message for A" not in response.content
    enquiry_a.refresh_from_db()
    assert enquiry_a.status == EnquiryStatus.NEW and enquiry_a.private_note == ""


def test_editor_of_several_organisations_sees_each(client, two_organisations):
    enquiry_a, enquiry_b, editor_a, _ = two_organisations
    MembershipFactory(user=editor_a, organisation=enquiry_b.service.organisation)
    client.force_login(editor_a)
    page = client.get(LIST).content.decode()
    assert "Alex Asker" in page and "Billie Bee" in page


def test_signed_out_visitors_are_sent_to_sign_in(client, two_organisations):
    enquiry_a = two_organisations[0]
    for url in (LIST, _detail(enquiry_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_a_user_with_no_organisation_sees_none(client, two_organisations):
    client.force_login(UserFactory())
    page = client.get(LIST).content.decode()
    assert "Alex Asker" not in page and "Billie Bee" not in page
    assert client.get(_detail(two_organisations[0])).status_code == 404


def test_general_enquiries_are_not_shown_to_editors(client, two_organisations):
    EnquiryFactory(service=None, name="Gene Ral")
    client.force_login(two_organisations[2])
    assert "Gene Ral" not in client.get(LIST).content.decode()


def test_editor_sets_status_and_private_note_and_it_is_audited(client, two_organisations):
    enquiry_a, _, editor_a, _ = two_organisations
    client.force_login(editor_a)

    response = client.post(_detail(enquiry_a), {"status": "in_progress", "private_note": "Rang back Tuesday"})
    assert response.status_code == 302
    enquiry_a.refresh_from_db()
    assert (enquiry_a.status, enquiry_a.private_note, enquiry_a.closed_at) == (
        EnquiryStatus.IN_PROGRESS,
        "Rang back Tuesday",
        None,
    )

    client.post(_detail(enquiry_a), {"status": "closed", "private_note": "Done"})
    enquiry_a.refresh_from_db()
    assert enquiry_a.status == EnquiryStatus.CLOSED and enquiry_a.closed_at is not None

    entries = AuditEntry.objects.filter(action="enquiry_status").order_by("created_at")
    assert [entry.detail["status_after"] for entry in entries] == ["in_progress", "closed"]
    for entry in entries:  # no personal data in the log
        assert "Alex" not in entry.object_repr and "Alex" not in str(entry.detail)


def test_invalid_status_is_refused_with_a_message(client, two_organisations):
    enquiry_a, _, editor_a, _ = two_organisations
    client.force_login(editor_a)
    response = client.post(_detail(enquiry_a), {"status": "lost", "private_note": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_list_filters_by_status(client, two_organisations):
    enquiry_a, _, editor_a, _ = two_organisations
    EnquiryFactory(
        service=enquiry_a.service, name="Closed Case", status="closed", closed_at="2025-01-01T00:00Z"
    )
    client.force_login(editor_a)
    page = client.get(LIST, {"status": "closed"}).content.decode()
    assert "Closed Case" in page and "Alex Asker" not in page


def test_staff_read_general_enquiries_in_the_admin(client):
    enquiry = EnquiryFactory(service=None, name="Gene Ral", message="A question for staff")
    client.force_login(UserFactory(staff=True))
    assert "Gene Ral" not in client.get(reverse("admin:enquiries_enquiry_changelist")).content.decode()
    page = client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])).content.decode()
    assert "A question for staff" in page


def test_list_page_query_count_is_constant(client, two_organisations, django_assert_max_num_queries):
    enquiry_a, _, editor_a, _ = two_organisations
    client.force_login(editor_a)
    for _ in range(20):
        EnquiryFactory(service=ServiceFactory(organisation=enquiry_a.service.organisation))
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_manage_dashboard_links_to_enquiries(client, two_organisations):
    client.force_login(two_organisations[2])
    assert LIST in client.get(reverse("editing:dashboard")).content.decode()
