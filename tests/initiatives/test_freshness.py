"""Freshness: review dates, reminders to editors (once only), one-click "still correct", staff views."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from initiatives.editing.freshness import review_reminders_send
from initiatives.models import AuditEntry, Organisation, ReminderKind, ReviewReminder, Service
from initiatives.publishing import PublicationState
from initiatives.services import ListingAction, listings_apply_action
from tests.factories import MembershipFactory, OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)  # the day every test here runs on: the clock stops at noon on it
SIX_MONTHS_ON = datetime.date(2026, 9, 10)  # the next review after a check on TODAY, by default


@pytest.fixture(autouse=True)
def _today_is_10_march_2026(freeze_today):
    """Pages and commands read today's date; the reminder tests pass theirs: the same day for both."""
    freeze_today(TODAY)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def organisation():
    """An organisation checked recently, with one editor."""
    organisation = OrganisationFactory(
        name="Works for Test", review_due_on=TODAY + datetime.timedelta(days=1000)
    )
    MembershipFactory(organisation=organisation, user__email="editor@works.test")
    return organisation


def send(today=TODAY) -> list:
    before = len(mail.outbox)
    review_reminders_send(today=today)
    return mail.outbox[before:]


# Reminders ---------------------------------------------------------------------------------------


def test_a_listing_that_falls_due_is_reminded_once_and_only_once(organisation, settings):
    settings.SITE_URL = "https://directory.test"
    service = ServiceFactory(organisation=organisation, name="CV clinic", review_due_on=days_ago(1))

    first = send()
    second = send()
    third = send(TODAY + datetime.timedelta(days=3))

    assert len(first) == 1 and second == [] and third == []
    message = first[0]
    assert message.to == ["editor@works.test"]
    assert "CV clinic" in message.body
    assert f"https://directory.test/manage/services/{service.slug}/still-correct/" in message.body
    reminder = ReviewReminder.objects.get()
    assert (reminder.listing, reminder.kind, reminder.review_due_on) == (
        service,
        ReminderKind.DUE,
        days_ago(1),
    )


def test_the_command_is_safe_to_run_every_day(organisation):
    ServiceFactory(organisation=organisation, review_due_on=TODAY)
    OrganisationFactory(review_due_on=TODAY)  # due, but nobody to remind
    first, second = io.StringIO(), io.StringIO()

    call_command("send_review_reminders", stdout=first)
    call_command("send_review_reminders", stdout=second)

    assert len(mail.outbox) == 1
    assert "Review reminders: 1 email(s) sent." in first.getvalue()
    assert "1 organisation(s) have listings due but no editor to remind" in first.getvalue()
    assert "Review reminders: 0 email(s) sent." in second.getvalue()


def test_an_overdue_listing_is_reminded_again_then_never_more(organisation, settings):
    settings.REVIEW_OVERDUE_AFTER_DAYS = 30
    ServiceFactory(organisation=organisation, name="CV clinic", review_due_on=days_ago(0))

    due = send()
    still_due = send(TODAY + datetime.timedelta(days=29))
    overdue = send(TODAY + datetime.timedelta(days=30))
    later = send(TODAY + datetime.timedelta(days=60))

    assert len(due) == 1 and still_due == [] and len(overdue) == 1 and later == []
    assert not due[0].subject.startswith("Overdue")
    assert overdue[0].subject.startswith("Overdue")
    assert "more than 30 days ago" in overdue[0].body
    assert sorted(ReviewReminder.objects.values_list("kind", flat=True)) == ["due", "overdue"]


@pytest.mark.parametrize(
    "late_by, kind",
    [
        pytest.param(0, ReminderKind.DUE, id="due-today"),
        pytest.param(29, ReminderKind.DUE, id="29-days-late"),
        pytest.param(30, ReminderKind.OVERDUE, id="30-days-late"),
        pytest.param(400, ReminderKind.OVERDUE, id="long-overdue"),
    ],
)
def test_a_listing_first_seen_late_gets_the_reminder_for_how_late_it_is(organisation, late_by, kind):
    ServiceFactory(organisation=organisation, review_due_on=days_ago(late_by))

    assert len(send()) == 1
    assert ReviewReminder.objects.get().kind == kind


def test_listings_not_yet_due_or_without_a_date_are_not_reminded(organisation):
    ServiceFactory(organisation=organisation, review_due_on=TODAY + datetime.timedelta(days=1))
    ServiceFactory(organisation=organisation, review_due_on=None)

    assert send() == []


UNPUBLISHED = [
    pytest.param(PublicationState.DRAFT, id="draft"),
    pytest.param(PublicationState.PENDING, id="pending"),
    pytest.param(PublicationState.ARCHIVED, id="archived"),
]


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_services_are_never_reminded(organisation, state):
    ServiceFactory(organisation=organisation, publication_state=state, review_due_on=days_ago(5))

    assert send() == []
    assert not ReviewReminder.objects.exists()


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_organisations_and_their_services_are_never_reminded(state):
    organisation = OrganisationFactory(publication_state=state, review_due_on=days_ago(5))
    MembershipFactory(organisation=organisation)
    ServiceFactory(organisation=organisation, review_due_on=days_ago(5))

    assert send() == []
    assert not ReviewReminder.objects.exists()


def test_editors_hear_only_about_their_own_organisations(organisation):
    other = OrganisationFactory(name="MK Test Innovates")
    MembershipFactory(organisation=other, user__email="other@innovates.test")
    ServiceFactory(organisation=organisation, name="CV clinic", review_due_on=days_ago(1))
    ServiceFactory(organisation=other, name="STEM festival", review_due_on=days_ago(1))

    sent = {tuple(message.to): message.body for message in send()}

    assert set(sent) == {("editor@works.test",), ("other@innovates.test",)}
    assert "CV clinic" in sent[("editor@works.test",)]
    assert "STEM festival" not in sent[("editor@works.test",)]
    assert "CV clinic" not in sent[("other@innovates.test",)]


def test_one_email_per_organisation_lists_all_its_due_listings(organisation):
    MembershipFactory(organisation=organisation, user__email="colleague@works.test")
    Organisation.objects.filter(pk=organisation.pk).update(review_due_on=days_ago(2))
    ServiceFactory(organisation=organisation, name="CV clinic", review_due_on=days_ago(1))
    ServiceFactory(organisation=organisation, name="Digital skills", review_due_on=days_ago(45))

    [message] = send()

    assert sorted(message.to) == ["colleague@works.test", "editor@works.test"]
    for name in ["Works for Test", "CV clinic", "Digital skills"]:
        assert name in message.body
    assert ReviewReminder.objects.count() == 3


def test_inactive_editors_and_editors_without_email_are_left_out(organisation):
    MembershipFactory(organisation=organisation, user__email="gone@works.test", user__is_active=False)
    MembershipFactory(organisation=organisation, user__email="")
    ServiceFactory(organisation=organisation, review_due_on=days_ago(1))

    [message] = send()

    assert message.to == ["editor@works.test"]


def test_with_no_editor_nothing_is_sent_or_recorded_so_a_new_editor_hears_later():
    organisation = OrganisationFactory()
    ServiceFactory(organisation=organisation, review_due_on=days_ago(1))

    assert send() == []
    assert not ReviewReminder.objects.exists()

    MembershipFactory(organisation=organisation)
    assert len(send()) == 1


def test_a_failed_email_is_not_recorded_and_is_tried_again(organisation, settings):
    ServiceFactory(organisation=organisation, review_due_on=days_ago(1))
    settings.EMAIL_BACKEND = "tests.helpers.failing_email.FailingBackend"

    review_reminders_send(today=TODAY)

    assert not ReviewReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(send()) == 1


def test_a_new_check_starts_a_fresh_cycle_of_reminders(organisation):
    service = ServiceFactory(organisation=organisation, review_due_on=days_ago(1))
    assert len(send()) == 1

    Service.objects.filter(pk=service.pk).update(last_verified_on=TODAY, review_due_on=SIX_MONTHS_ON)
    assert send(SIX_MONTHS_ON - datetime.timedelta(days=1)) == []
    assert len(send(SIX_MONTHS_ON)) == 1


# Review periods ----------------------------------------------------------------------------------


def test_a_check_sets_the_next_review_six_months_on_by_default(organisation, settings):
    settings.REVIEW_PERIOD_MONTHS = 6
    service = ServiceFactory(organisation=organisation)

    listings_apply_action(listings=[service], action=ListingAction.VERIFY, actor=None)

    assert service.review_due_on == SIX_MONTHS_ON


def test_staff_can_set_a_shorter_period_for_an_organisation_and_its_services(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(review_period_months=3)
    organisation.refresh_from_db()
    service = ServiceFactory(organisation=organisation)

    listings_apply_action(listings=[organisation, service], action=ListingAction.VERIFY, actor=None)

    expected = datetime.date(2026, 6, 10)  # three months after TODAY
    assert (organisation.review_due_on, service.review_due_on) == (expected, expected)


def test_the_admin_lets_staff_change_an_organisations_period(client):
    client.force_login(UserFactory(staff=True))
    organisation = OrganisationFactory()

    response = client.get(reverse("admin:initiatives_organisation_change", args=[organisation.pk]))

    assert 'name="review_period_months"' in response.content.decode()


# One-click "still correct" -----------------------------------------------------------------------


def still_correct_url(listing) -> str:
    kind = "service" if isinstance(listing, Service) else "organisation"
    return reverse(f"editing:{kind}_still_correct", args=[listing.slug])


@pytest.fixture
def due_service(organisation):
    return ServiceFactory(organisation=organisation, name="CV clinic", review_due_on=days_ago(10))


@pytest.fixture
def editor(client, organisation):
    user = organisation.memberships.get().user
    client.force_login(user)
    return user


def test_an_editor_sees_the_confirmation_page_with_one_button(client, editor, due_service):
    response = client.get(still_correct_url(due_service))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Is “CV clinic” still correct?" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Yes, it is still correct" in page


@pytest.mark.parametrize("listing_name", ["due_service", "organisation"])
def test_one_click_records_a_check_by_the_editor(client, editor, request, listing_name):
    listing = request.getfixturevalue(listing_name)
    response = client.post(still_correct_url(listing), follow=True)

    listing.refresh_from_db()
    assert (listing.last_verified_on, listing.review_due_on) == (TODAY, SIX_MONTHS_ON)
    entry = AuditEntry.objects.get(action=ListingAction.VERIFY)
    assert (entry.actor, entry.object_id) == (editor, listing.pk)
    assert response.redirect_chain == [(still_correct_url(listing), 302)]
    assert "is marked as checked today" in response.content.decode()


def test_the_manage_page_offers_still_correct_for_listings_that_are_due(
    client, editor, organisation, due_service
):
    not_due = ServiceFactory(organisation=organisation, review_due_on=TODAY + datetime.timedelta(days=9))
    Organisation.objects.filter(pk=organisation.pk).update(review_due_on=days_ago(1))

    page = client.get(reverse("editing:organisation", args=[organisation.slug])).content.decode()

    assert f'action="{still_correct_url(due_service)}"' in page
    assert f'action="{still_correct_url(organisation)}"' in page
    assert f'action="{still_correct_url(not_due)}"' not in page


def test_the_button_returns_to_the_manage_page_it_was_on(client, editor, organisation, due_service):
    manage_page = reverse("editing:organisation", args=[organisation.slug])

    response = client.post(still_correct_url(due_service), {"next": manage_page})

    assert response["Location"] == manage_page


def test_the_button_never_sends_anyone_to_another_site(client, editor, due_service):
    response = client.post(still_correct_url(due_service), {"next": "https://evil.example/"})

    assert response["Location"] == still_correct_url(due_service)


def test_staff_may_confirm_any_listing(client, due_service):
    client.force_login(UserFactory(staff=True))

    assert client.post(still_correct_url(due_service)).status_code == 302
    due_service.refresh_from_db()
    assert due_service.last_verified_on == TODAY


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("listing_name", ["due_service", "organisation"])
def test_an_editor_of_another_organisation_gets_404_and_changes_nothing(
    client, request, method, listing_name
):
    listing = request.getfixturevalue(listing_name)
    client.force_login(MembershipFactory().user)

    response = getattr(client, method)(still_correct_url(listing))

    assert response.status_code == 404
    listing.refresh_from_db()
    assert listing.last_verified_on is None
    assert not AuditEntry.objects.exists()


def test_a_signed_in_person_without_an_organisation_gets_404(client, due_service):
    client.force_login(UserFactory())

    assert client.post(still_correct_url(due_service)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, settings, due_service):
    response = client.post(still_correct_url(due_service))

    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    due_service.refresh_from_db()
    assert due_service.last_verified_on is None


def test_the_confirmation_needs_a_csrf_token(organisation, due_service):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organisation.memberships.get().user)

    assert client.post(still_correct_url(due_service)).status_code == 403
    due_service.refresh_from_db()
    assert due_service.last_verified_on is None


def test_an_incomplete_listing_gets_a_message_not_an_error(client, editor, due_service):
    Service.objects.filter(pk=due_service.pk).update(summary="")

    response = client.post(still_correct_url(due_service))

    assert response.status_code == 400
    assert "cannot be marked as checked until it is complete" in response.content.decode()
    due_service.refresh_from_db()
    assert due_service.last_verified_on is None


# What staff and residents see --------------------------------------------------------------------


def admin_changelist(client, model_name: str, review: str) -> set[str]:
    response = client.get(reverse(f"admin:initiatives_{model_name}_changelist"), {"review": review})
    return {str(listing) for listing in response.context["cl"].result_list}


def test_staff_see_due_and_long_overdue_listings_in_the_admin(client, settings):
    settings.REVIEW_OVERDUE_AFTER_DAYS = 30
    client.force_login(UserFactory(staff=True))
    for name, late_by in [("due today", 0), ("late 29 days", 29), ("late 30 days", 30), ("late a year", 365)]:
        ServiceFactory(name=name, review_due_on=days_ago(late_by))

    assert admin_changelist(client, "service", "overdue") == {
        "due today",
        "late 29 days",
        "late 30 days",
        "late a year",
    }
    assert admin_changelist(client, "service", "late") == {"late 30 days", "late a year"}


def test_staff_see_which_reminders_were_sent(client, organisation, due_service):
    send()
    client.force_login(UserFactory(staff=True))

    response = client.get(reverse("admin:initiatives_reviewreminder_changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "CV clinic" in page


@pytest.mark.parametrize("listing_name", ["due_service", "organisation"])
def test_public_pages_say_when_a_listing_was_last_checked(client, request, listing_name):
    listing = request.getfixturevalue(listing_name)
    type(listing).objects.filter(pk=listing.pk).update(last_verified_on=datetime.date(2026, 1, 5))

    response = client.get(listing.get_absolute_url())

    assert "Last checked on 5 January 2026." in response.content.decode()


@pytest.mark.parametrize("listing_name", ["due_service", "organisation"])
def test_public_pages_warn_plainly_when_a_listing_is_long_overdue(client, request, settings, listing_name):
    settings.LONG_OVERDUE_DAYS = 90
    listing = request.getfixturevalue(listing_name)
    url = listing.get_absolute_url()
    warning = "This listing has not been checked for a long time."
    model = type(listing).objects.filter(pk=listing.pk)

    model.update(review_due_on=days_ago(90))
    assert warning not in client.get(url).content.decode()
    model.update(review_due_on=days_ago(91))
    assert warning in client.get(url).content.decode()
