"""Staff's listing actions in the admin (publish, archive, mark as checked), one path for every
publishable record: organisations, services, indicators and context facts."""

import datetime

import pytest
from django.urls import reverse

from initiatives.models import AuditEntry
from initiatives.publishing import PublicationState
from initiatives.services import ListingAction
from tests.factories import PUBLISHABLE_LISTINGS, IndicatorFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ACTIONS = [
    pytest.param("publish_selected", ListingAction.PUBLISH, PublicationState.PUBLISHED, id="publish"),
    pytest.param("archive_selected", ListingAction.ARCHIVE, PublicationState.ARCHIVED, id="archive"),
]
# The day a listing is checked, and its next review six months on: the same day of the month, or the
# last day of a shorter month. Days in the past, so the staff session begun today is still open then.
CHECKED_AND_DUE = [
    pytest.param(datetime.date(2026, 3, 10), datetime.date(2026, 9, 10), id="10-march-to-10-september"),
    pytest.param(datetime.date(2025, 8, 31), datetime.date(2026, 2, 28), id="31-august-to-28-february"),
    pytest.param(
        datetime.date(2023, 8, 31), datetime.date(2024, 2, 29), id="31-august-to-29-february-in-a-leap-year"
    ),
]


def post_action(client, app_label, model_name, action, records):
    return client.post(
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        {"action": action, "_selected_action": [record.pk for record in records]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("factory, app_label, model_name", PUBLISHABLE_LISTINGS)
@pytest.mark.parametrize("action, audit_action, state", ACTIONS)
def test_state_actions_change_the_selected_records_only_and_audit_each(
    staff_client, staff_user, factory, app_label, model_name, action, audit_action, state
):
    records = factory.create_batch(2, publication_state=PublicationState.PENDING)
    untouched = factory(publication_state=PublicationState.PENDING)

    response = post_action(staff_client, app_label, model_name, action, records)

    for record in records:
        record.refresh_from_db()
        assert record.publication_state == state
        entry = AuditEntry.objects.get(object_id=record.pk, content_type__model=model_name)
        assert (entry.action, entry.actor) == (audit_action, staff_user)
    untouched.refresh_from_db()
    assert untouched.publication_state == PublicationState.PENDING
    plural = records[0]._meta.verbose_name_plural
    assert messages_of(response) == [f"2 {plural} {audit_action.label.lower()}."]


@pytest.mark.parametrize("factory, app_label, model_name", PUBLISHABLE_LISTINGS)
@pytest.mark.parametrize("today, due", CHECKED_AND_DUE)
def test_mark_as_checked_sets_today_and_a_review_six_months_on(
    staff_client, staff_user, settings, freeze_today, factory, app_label, model_name, today, due
):
    settings.REVIEW_PERIOD_MONTHS = 6
    freeze_today(today)
    record = factory(publication_state=PublicationState.PUBLISHED)

    post_action(staff_client, app_label, model_name, "mark_selected_checked", [record])

    record.refresh_from_db()
    assert (record.last_verified_on, record.review_due_on) == (today, due)
    assert record.publication_state == PublicationState.PUBLISHED
    entry = AuditEntry.objects.get(object_id=record.pk, content_type__model=model_name)
    assert (entry.action, entry.actor) == (ListingAction.VERIFY, staff_user)


@pytest.mark.parametrize(
    ("factory", "app_label", "model_name", "blank_field", "error"),
    [
        pytest.param(
            ServiceFactory,
            "initiatives",
            "service",
            "description",
            "description: This field cannot be blank.",
            id="service",
        ),
        pytest.param(
            IndicatorFactory,
            "indicators",
            "indicator",
            "why_it_matters",
            "why_it_matters: This field cannot be blank.",
            id="indicator",
        ),
    ],
)
def test_an_incomplete_record_stops_the_action_with_a_message_and_nothing_changes(
    staff_client, factory, app_label, model_name, blank_field, error
):
    complete = factory(publication_state=PublicationState.DRAFT)
    incomplete = factory(publication_state=PublicationState.DRAFT, **{blank_field: ""})

    response = post_action(staff_client, app_label, model_name, "publish_selected", [complete, incomplete])

    assert response.status_code == 200
    [message] = messages_of(response)
    assert message.startswith("Nothing was changed, because this one is not complete: ")
    assert error in message
    for record in (complete, incomplete):
        record.refresh_from_db()
        assert record.publication_state == PublicationState.DRAFT
    assert not AuditEntry.objects.exists()
