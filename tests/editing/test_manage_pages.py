"""What the manage area shows an editor: their organisations, each listing's state, in plain words."""

import datetime

import pytest
from django.utils import timezone

from initiatives.publishing import PublicationState
from tests.factories import EnquiryFactory, RevisionFactory, ServiceFactory


def test_the_dashboard_lists_only_my_organisations_with_what_needs_attention(
    manager_client, org_a, org_b, service_a, manager_a
):
    RevisionFactory(service=service_a, author=manager_a, changes={"summary": "x"})
    ServiceFactory(organisation=org_a, review_due_on=timezone.localdate())

    page = manager_client.get("/manage/").content.decode()

    assert "Alpha Aid" in page and "Beta Trust" not in page
    assert "2 listings · 1 change waiting for review · 1 due for a check" in page


@pytest.mark.parametrize(
    ("state", "pending", "due", "expected"),
    [
        (PublicationState.PUBLISHED, False, False, ["Published"]),
        (PublicationState.PUBLISHED, True, False, ["Published", "Changes waiting for review"]),
        (PublicationState.PUBLISHED, False, True, ["Published", "Due for a check"]),
        (PublicationState.DRAFT, False, False, ["Draft: not shown on the site"]),
        (PublicationState.DRAFT, True, False, ["New: waiting for review"]),
        (PublicationState.ARCHIVED, False, False, ["Archived: not shown on the site"]),
    ],
    ids=["published", "changes-waiting", "due-for-a-check", "draft", "new-waiting", "archived"],
)
def test_each_listing_says_its_state(manager_client, org_a, state, pending, due, expected):
    due_on = timezone.localdate() - datetime.timedelta(days=1) if due else None
    service = ServiceFactory(
        organisation=org_a, publication_state=state, review_due_on=due_on, name="The listing"
    )
    if pending:
        RevisionFactory(service=service, changes={"summary": "x"})

    response = manager_client.get(f"/manage/organisations/{org_a.slug}/")

    row = next(s for s in response.context["services"] if s.pk == service.pk)
    assert row.states == expected
    for words in expected:
        assert words in response.content.decode()


def test_an_archived_listing_has_no_edit_form(manager_client, org_a):
    service = ServiceFactory(organisation=org_a, publication_state=PublicationState.ARCHIVED)

    assert manager_client.get(f"/manage/services/{service.slug}/edit/").status_code == 404


@pytest.mark.parametrize("services", [2, 12], ids=["few-services", "many-services"])
def test_the_organisation_page_runs_the_same_queries_however_many_listings(
    manager_client, org_a, services, django_assert_max_num_queries
):
    for _ in range(services):
        RevisionFactory(service=ServiceFactory(organisation=org_a), changes={"summary": "x"})

    with django_assert_max_num_queries(8):
        assert manager_client.get(f"/manage/organisations/{org_a.slug}/").status_code == 200


def test_the_service_form_offers_every_field_an_editor_manages(manager_client, service_a):
    page = manager_client.get(f"/manage/services/{service_a.slug}/edit/").content.decode()

    for label in [
        "Summary",
        "Needs",
        "Audiences",
        "Eligibility",
        "Minimum age",
        "In person",
        "Contact them yourself",
        "Free",
        "Service area",
        "Starts on",
        "Languages",
        "Accessibility",
        "Opening times",
        "Day",
        "Charges",
        "New places",
        "Sessions on particular dates",
        "Named contacts",
    ]:
        assert f">{label}" in page, label


def test_the_dashboard_counts_new_messages_to_my_organisations_only(manager_client, service_a, service_b):
    EnquiryFactory(service=service_a)
    EnquiryFactory(service=service_a, closed=True)
    EnquiryFactory(service=service_b)

    page = manager_client.get("/manage/").content.decode()

    assert "1 new message from residents to answer" in page
