"""No lost edits: a second editor is shown what changed meanwhile, and approval never overwrites silently."""

import pytest
from django.test import Client

from initiatives.editing.models import Revision, RevisionStatus
from initiatives.editing.moderation import RevisionConflict, revision_approve
from initiatives.models import Service
from tests.factories import RevisionFactory

from .forms_helper import read_form

EDIT = "/manage/services/{}/edit/"


@pytest.fixture
def second_client(editor_a):
    other = Client()
    other.force_login(editor_a)
    return other


def test_the_second_to_submit_sees_both_versions_and_nothing_is_overwritten(
    manager_client, second_client, service_a, staff_user
):
    mine = read_form(manager_client.get(EDIT.format(service_a.slug))).set("phone", "01908 555555")
    theirs = read_form(second_client.get(EDIT.format(service_a.slug))).set("summary", "Ed's summary")
    assert second_client.post(EDIT.format(service_a.slug), theirs.as_post()).status_code == 302

    response = manager_client.post(EDIT.format(service_a.slug), mine.as_post())

    page = response.content.decode()
    assert response.status_code == 409
    assert "This listing changed while you were editing it" in page
    assert "Sent by Ed" in page and "Ed&#x27;s summary" in page  # theirs
    assert "Your version" in page and "A service made up for tests." in page  # yours
    assert Revision.objects.filter(service=service_a).count() == 1

    again = read_form(response)
    assert again["phone"] == ["01908 555555"]
    assert manager_client.post(EDIT.format(service_a.slug), again.as_post()).status_code == 302
    for revision in Revision.objects.filter(service=service_a).order_by("pk"):
        revision_approve(revision=revision, reviewer=staff_user)
    service_a.refresh_from_db()
    assert (service_a.summary, service_a.phone) == ("Ed's summary", "01908 555555")


def test_a_change_to_the_live_listing_meanwhile_is_shown_beside_yours(manager_client, service_a):
    form = read_form(manager_client.get(EDIT.format(service_a.slug))).set("summary", "Mine")
    service_a.summary = "Staff fixed a typo"
    service_a.save()

    response = manager_client.post(EDIT.format(service_a.slug), form.as_post())

    page = response.content.decode()
    assert response.status_code == 409
    assert "Now on the site" in page and "Staff fixed a typo" in page and "Mine" in page
    assert not Revision.objects.exists()


def test_marking_a_listing_checked_is_not_a_conflict(manager_client, service_a):
    form = read_form(manager_client.get(EDIT.format(service_a.slug))).set("summary", "Mine")
    Service.objects.filter(pk=service_a.pk).update(last_verified_on="2026-01-01")

    assert manager_client.post(EDIT.format(service_a.slug), form.as_post()).status_code == 302


def test_an_editor_opening_a_listing_sees_a_colleagues_waiting_change(second_client, service_a, manager_a):
    revision = RevisionFactory(service=service_a, author=manager_a, changes={"summary": "Ann's"})

    page = second_client.get(EDIT.format(service_a.slug)).content.decode()

    assert "Ann" in page and "waiting for review" in page
    assert f"/manage/changes/{revision.pk}/" in page
    assert "Ann&#x27;s" in second_client.get(f"/manage/changes/{revision.pk}/").content.decode()


def test_approving_a_change_to_a_field_someone_else_changed_first_is_refused(client, service_a, staff_user):
    first = RevisionFactory(service=service_a, changes={"summary": "First"})
    second = RevisionFactory(service=service_a, changes={"summary": "Second", "phone": "01908 777777"})
    revision_approve(revision=first, reviewer=staff_user)

    with pytest.raises(RevisionConflict, match="Summary"):
        revision_approve(revision=second, reviewer=staff_user)

    service_a.refresh_from_db()
    assert (service_a.summary, service_a.phone) == ("First", "")
    second.refresh_from_db()
    assert second.status == RevisionStatus.PENDING
    client.force_login(staff_user)
    page = client.get(f"/admin/editing/revision/{second.pk}/change/").content.decode()
    assert "Someone else changed Summary differently" in page
    assert "Changed on the site since it was sent, to: First" in page


def test_changes_to_different_fields_both_apply(service_a, staff_user):
    one = RevisionFactory(service=service_a, changes={"summary": "One"})
    two = RevisionFactory(service=service_a, changes={"email": "two@example.test"})

    revision_approve(revision=one, reviewer=staff_user)
    revision_approve(revision=two, reviewer=staff_user)

    service_a.refresh_from_db()
    assert (service_a.summary, service_a.email) == ("One", "two@example.test")
