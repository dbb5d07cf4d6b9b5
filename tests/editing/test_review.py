"""Review before publishing: the public page keeps the approved version until staff decide."""

import datetime

import pytest
from django.core import mail

from initiatives.editing.models import Revision, RevisionKind, RevisionStatus
from initiatives.editing.moderation import revision_approve, revision_reject
from initiatives.editing.snapshots import SERVICE_SPEC, compare
from initiatives.models import AuditEntry, Schedule, Service
from initiatives.publishing import PublicationState
from tests.factories import AudienceFactory, NeedFactory, RevisionFactory, ScheduleFactory

from .forms_helper import read_form

EDIT = "/manage/services/{}/edit/"


def submit_service_change(client, service, **changes) -> Revision:
    """Post the service form as the editor sees it, with some fields changed."""
    form = read_form(client.get(EDIT.format(service.slug)))
    for name, value in changes.items():
        form.set(name, *(value if isinstance(value, list) else [value]))
    response = client.post(EDIT.format(service.slug), form.as_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    return Revision.objects.filter(service=service).latest("pk")


def add_monday_hours(form_changes: dict, opens="10:00", closes="13:00") -> dict:
    return {
        **form_changes,
        "schedules-0-weekday": "0",
        "schedules-0-opens_at": opens,
        "schedules-0-closes_at": closes,
    }


def public_page(client, service) -> str:
    return client.get(service.get_absolute_url()).content.decode()


def test_a_submitted_change_waits_and_the_public_page_keeps_the_approved_version(
    manager_client, client, service_a
):
    revision = submit_service_change(
        manager_client, service_a, **add_monday_hours({"summary": "A brand new summary."})
    )

    assert revision.status == RevisionStatus.PENDING
    service_a.refresh_from_db()
    assert service_a.summary == "A service made up for tests."
    assert not service_a.schedules.exists()
    page = public_page(client, service_a)
    assert "A brand new summary." not in page
    assert "Monday 10:00" not in page


def test_the_editor_is_told_the_change_is_waiting(manager_client, service_a):
    form = read_form(manager_client.get(EDIT.format(service_a.slug))).set("summary", "Changed")

    response = manager_client.post(EDIT.format(service_a.slug), form.as_post(), follow=True)

    assert "waiting for review" in response.content.decode()
    assert (
        "Changes waiting for review"
        in manager_client.get("/manage/organisations/alpha-aid/").content.decode()
    )


def test_approval_publishes_every_changed_field_in_one_go(
    manager_client, client, service_a, staff_user, django_capture_on_commit_callbacks
):
    need, audience = NeedFactory(name="Money advice"), AudienceFactory(name="Carers")
    revision = submit_service_change(
        manager_client,
        service_a,
        **add_monday_hours(
            {"summary": "Now on Mondays.", "needs": [str(need.pk)], "audiences": [str(audience.pk)]}
        ),
    )

    with django_capture_on_commit_callbacks(execute=True):
        revision_approve(revision=revision, reviewer=staff_user, reason="Thanks!")

    page = public_page(client, service_a)
    assert "Now on Mondays." in page
    assert "Monday 10:00–13:00" in page
    assert "Money advice" in page and "Carers" in page
    revision.refresh_from_db()
    assert (revision.status, revision.reviewer, revision.reason) == (
        RevisionStatus.APPROVED,
        staff_user,
        "Thanks!",
    )
    assert AuditEntry.objects.filter(action="revision_approved", object_id=service_a.pk).exists()


def test_an_approved_change_counts_as_a_check_of_the_listing(
    manager_client, service_a, staff_user, freeze_today
):
    today = datetime.date(2026, 3, 10)
    freeze_today(today)
    Service.objects.filter(pk=service_a.pk).update(
        last_verified_on=datetime.date(2024, 1, 5), review_due_on=datetime.date(2024, 7, 5)
    )
    revision = submit_service_change(manager_client, service_a, summary="Checked and still right.")

    revision_approve(revision=revision, reviewer=staff_user)

    service_a.refresh_from_db()
    assert service_a.last_verified_on == today
    assert service_a.review_due_on > today
    assert (
        f"Last checked on {today:%-d %B %Y}"
        in manager_client.get(service_a.get_absolute_url()).content.decode()
    )


def test_the_editor_is_emailed_when_a_change_is_approved(
    manager_client, manager_a, service_a, staff_user, django_capture_on_commit_callbacks
):
    revision = submit_service_change(manager_client, service_a, summary="Approved summary")

    with django_capture_on_commit_callbacks(execute=True):
        revision_approve(revision=revision, reviewer=staff_user)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager_a.email]
    assert "now published" in message.subject
    assert f"/manage/changes/{revision.pk}/" in message.body


def test_rejection_leaves_the_listing_and_emails_the_reason(
    manager_client, manager_a, client, service_a, staff_user, django_capture_on_commit_callbacks
):
    revision = submit_service_change(manager_client, service_a, summary="Not quite right")

    with django_capture_on_commit_callbacks(execute=True):
        revision_reject(revision=revision, reviewer=staff_user, reason="Please give the address too.")

    service_a.refresh_from_db()
    assert service_a.summary != "Not quite right"
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.REJECTED
    assert [m.to for m in mail.outbox] == [[manager_a.email]]
    assert "was not approved" in mail.outbox[0].subject
    assert "Please give the address too." in mail.outbox[0].body
    page = manager_client.get("/manage/organisations/alpha-aid/").content.decode()
    assert "Please give the address too." in page


def test_a_rejection_needs_a_reason(service_a, staff_user):
    revision = RevisionFactory(service=service_a, changes={"summary": "x"})

    with pytest.raises(Exception, match="Say why"):
        revision_reject(revision=revision, reviewer=staff_user, reason="  ")

    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING


def test_staff_review_page_compares_old_and_new_readably(client, staff_user, service_a, manager_a):
    old_need, new_need = NeedFactory(name="Old need"), NeedFactory(name="Fresh need")
    service_a.needs.set([old_need])
    ScheduleFactory(service=service_a, weekday=1)
    revision = RevisionFactory(
        service=service_a,
        author=manager_a,
        changes={
            "summary": "Proposed summary",
            "needs": [new_need.pk],
            "schedules": [
                {"weekday": 2, "opens_at": "09:30:00", "closes_at": "12:00:00", "location": None, "note": ""}
            ],
        },
    )
    client.force_login(staff_user)

    page = client.get(f"/admin/editing/revision/{revision.pk}/change/").content.decode()

    assert "A service made up for tests." in page and "Proposed summary" in page
    assert "Old need" in page and "Fresh need" in page
    assert "Tuesday 09:00–17:00" in page and "Wednesday 09:30–12:00" in page
    assert "Approve and publish" in page


def test_staff_approve_and_reject_from_the_review_page(
    client, staff_user, service_a, django_capture_on_commit_callbacks
):
    approve = RevisionFactory(service=service_a, changes={"summary": "From the review page"})
    reject = RevisionFactory(service=service_a, changes={"phone": "01908 000000"})
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/editing/revision/{approve.pk}/change/", {"_approve": "1", "reason": ""})
        missing_reason = client.post(
            f"/admin/editing/revision/{reject.pk}/change/", {"_reject": "1", "reason": ""}
        )
        client.post(
            f"/admin/editing/revision/{reject.pk}/change/", {"_reject": "1", "reason": "Wrong number"}
        )

    assert "Say why" in missing_reason.content.decode()
    service_a.refresh_from_db()
    assert service_a.summary == "From the review page"
    assert service_a.phone == ""
    assert Revision.objects.get(pk=reject.pk).status == RevisionStatus.REJECTED


def test_bulk_approval_publishes_each_and_names_any_it_could_not(
    client, staff_user, org_a, org_b, service_a, service_b
):
    one = RevisionFactory(service=service_a, changes={"phone": "01908 222222"})
    two = RevisionFactory(service=service_b, changes={"summary": "Bulk two"})
    # Someone else's approved change reached the same field first:
    first = RevisionFactory(service=service_a, changes={"summary": "Got there first"})
    late = RevisionFactory(service=service_a, changes={"summary": "Late and different"})
    client.force_login(staff_user)

    response = client.post(
        "/admin/editing/revision/",
        {"action": "approve_selected", "_selected_action": [one.pk, two.pk, first.pk, late.pk]},
        follow=True,
    )

    statuses = dict(Revision.objects.values_list("pk", "status"))
    assert statuses[one.pk] == statuses[two.pk] == RevisionStatus.APPROVED
    assert {statuses[first.pk], statuses[late.pk]} == {RevisionStatus.APPROVED, RevisionStatus.PENDING}
    assert Service.objects.get(pk=service_b.pk).summary == "Bulk two"
    page = response.content.decode()
    assert "3 approved and published" in page
    assert "changed by someone else" in page


def test_a_trusted_organisations_change_publishes_on_submit_and_is_still_recorded(
    manager_client, client, org_a, service_a, manager_a
):
    org_a.is_trusted = True
    org_a.save()

    revision = submit_service_change(manager_client, service_a, summary="Trusted and live")

    assert revision.status == RevisionStatus.APPROVED
    assert revision.reviewer is None and revision.author == manager_a
    assert "Trusted and live" in public_page(client, service_a)
    assert AuditEntry.objects.filter(action="revision_submitted", object_id=service_a.pk).exists()
    latest = service_a.history.latest("history_id")
    assert latest.history_user == manager_a


def test_a_new_service_is_a_draft_until_approved(manager_client, client, org_a, staff_user):
    form = read_form(manager_client.get(f"/manage/organisations/{org_a.slug}/services/new/"))
    form.set("name", "Alpha CV clinic").set("summary", "Help with your CV.").set(
        "description", "Bring your CV."
    )

    manager_client.post(f"/manage/organisations/{org_a.slug}/services/new/", form.as_post())

    service = Service.objects.get(name="Alpha CV clinic")
    assert service.publication_state == PublicationState.DRAFT
    assert client.get(service.get_absolute_url()).status_code == 404
    assert "Alpha CV clinic" not in client.get("/services/").content.decode()
    revision = service.revisions.get()
    assert revision.kind == RevisionKind.NEW

    revision_approve(revision=revision, reviewer=staff_user)

    assert client.get(service.get_absolute_url()).status_code == 200


def test_withdrawing_a_new_service_archives_its_draft(manager_client, org_a):
    form = read_form(manager_client.get(f"/manage/organisations/{org_a.slug}/services/new/"))
    form.set("name", "Short-lived").set("summary", "Soon gone.").set("description", "Gone.")
    manager_client.post(f"/manage/organisations/{org_a.slug}/services/new/", form.as_post())
    revision = Revision.objects.get(service__name="Short-lived")

    manager_client.post(f"/manage/changes/{revision.pk}/withdraw/")

    revision.refresh_from_db()
    assert revision.status == RevisionStatus.WITHDRAWN
    assert revision.service.publication_state == PublicationState.ARCHIVED


def test_withdrawing_a_change_leaves_the_listing(manager_client, service_a):
    revision = submit_service_change(manager_client, service_a, summary="Never mind")

    manager_client.post(f"/manage/changes/{revision.pk}/withdraw/")

    revision.refresh_from_db()
    assert revision.status == RevisionStatus.WITHDRAWN
    assert Service.objects.get(pk=service_a.pk).publication_state == PublicationState.PUBLISHED


def test_sending_again_replaces_your_own_waiting_change(manager_client, service_a):
    first = submit_service_change(manager_client, service_a, summary="First try")
    form = read_form(manager_client.get(EDIT.format(service_a.slug)))
    assert form["summary"] == ["First try"]

    second = submit_service_change(manager_client, service_a, phone="01908 111111")

    first.refresh_from_db()
    assert first.status == RevisionStatus.WITHDRAWN
    assert second.data["summary"] == "First try" and second.data["phone"] == "01908 111111"


def test_nothing_changed_is_not_sent(manager_client, service_a):
    form = read_form(manager_client.get(EDIT.format(service_a.slug)))

    response = manager_client.post(EDIT.format(service_a.slug), form.as_post())

    assert response.status_code == 400
    assert "You have not changed anything" in response.content.decode()
    assert not Revision.objects.exists()


def test_impossible_opening_times_are_explained_beside_the_field(manager_client, service_a):
    form = read_form(manager_client.get(EDIT.format(service_a.slug)))
    form.set("schedules-0-weekday", "2").set("schedules-0-opens_at", "17:00").set(
        "schedules-0-closes_at", "09:00"
    )

    response = manager_client.post(EDIT.format(service_a.slug), form.as_post())

    page = response.content.decode()
    assert response.status_code == 400
    assert "The closing time must be after the opening time" in page
    assert 'href="#id_schedules-0-closes_at"' in page
    assert not Schedule.objects.exists()


def test_organisation_details_go_through_review_too(manager_client, client, org_a, staff_user):
    form = read_form(manager_client.get(f"/manage/organisations/{org_a.slug}/edit/"))
    form.set("description", "Our new description.").set("website", "alpha.example.org")

    manager_client.post(f"/manage/organisations/{org_a.slug}/edit/", form.as_post())

    revision = Revision.objects.get(organisation=org_a, service__isnull=True)
    assert "Our new description." not in client.get(org_a.get_absolute_url()).content.decode()
    revision_approve(revision=revision, reviewer=staff_user)
    page = client.get(org_a.get_absolute_url()).content.decode()
    assert "Our new description." in page
    assert "https://alpha.example.org" in page


def test_history_versions_record_who_approved(manager_client, service_a, staff_user):
    revision = submit_service_change(manager_client, service_a, summary="With history")

    revision_approve(revision=revision, reviewer=staff_user)

    latest = service_a.history.latest("history_id")
    assert latest.history_user == staff_user
    assert latest.snapshot["summary"] == "With history"
    assert f"revision {revision.pk}" in latest.history_change_reason


def test_dates_and_ages_round_trip_through_a_revision(manager_client, service_a, staff_user):
    revision = submit_service_change(
        manager_client,
        service_a,
        starts_on="2026-01-05",
        ends_on="2026-03-30",
        minimum_age="16",
        maximum_age="24",
    )

    revision_approve(revision=revision, reviewer=staff_user)

    service_a.refresh_from_db()
    assert (service_a.starts_on, service_a.ends_on) == (datetime.date(2026, 1, 5), datetime.date(2026, 3, 30))
    assert (service_a.minimum_age, service_a.maximum_age) == (16, 24)


def test_line_ends_sent_by_browsers_are_not_a_change(manager_client, service_a):
    service_a.description = "First paragraph.\n\nSecond paragraph."
    service_a.save()
    form = read_form(manager_client.get(EDIT.format(service_a.slug)))
    form.set("description", "First paragraph.\r\n\r\nSecond paragraph.").set("phone", "01908 444444")

    manager_client.post(EDIT.format(service_a.slug), form.as_post())

    revision = Revision.objects.get(service=service_a)
    assert revision.data["description"] == "First paragraph.\n\nSecond paragraph."
    assert [row.name for row in compare(SERVICE_SPEC, revision.base, revision.data)] == ["phone"]


@pytest.mark.parametrize(
    "post",
    [
        {"name": "Only a name"},
        {"name": "x", "needs": "not-a-number", "schedules-TOTAL_FORMS": "1", "schedules-INITIAL_FORMS": "0"},
        {"schedules-TOTAL_FORMS": "99999", "schedules-INITIAL_FORMS": "0", "minimum_age": "-4"},
    ],
    ids=["no-opening-times-management-form", "bad-need-id", "too-many-rows"],
)
def test_bad_posts_get_a_clear_400_and_change_nothing(manager_client, service_a, post):
    response = manager_client.post(EDIT.format(service_a.slug), post)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Revision.objects.exists()
