"""History: every published version kept with who and when; staff restore one, and that is recorded."""

import pytest

from initiatives.editing.models import Revision, RevisionKind, RevisionStatus
from initiatives.editing.moderation import revision_approve
from initiatives.models import AuditEntry
from tests.factories import NeedFactory, RevisionFactory, ScheduleFactory


@pytest.fixture
def changed_service(service_a, manager_a, staff_user):
    """service_a as created (version 1), then changed by an approved revision."""
    original_need, new_need = NeedFactory(name="Original need"), NeedFactory(name="Replacement need")
    service_a.needs.set([original_need])
    ScheduleFactory(service=service_a, weekday=4)
    revision = RevisionFactory(
        service=service_a,
        author=manager_a,
        changes={"summary": "Changed summary", "needs": [new_need.pk], "schedules": []},
    )
    revision_approve(revision=revision, reviewer=staff_user)
    return service_a


def test_each_version_is_kept_with_who_and_when(changed_service, staff_user):
    versions = list(changed_service.history.order_by("history_id"))

    assert versions[0].snapshot["summary"] == "A service made up for tests."
    assert [row["weekday"] for row in versions[0].snapshot["schedules"]] == [4]
    assert versions[-1].snapshot["summary"] == "Changed summary"
    assert versions[-1].snapshot["schedules"] == []
    assert versions[-1].history_user == staff_user


def test_staff_see_the_history_and_an_earlier_version_beside_the_current(staff_client, changed_service):
    first = changed_service.history.earliest("history_id")

    listing = staff_client.get(f"/admin/initiatives/service/{changed_service.pk}/history/").content.decode()
    version = staff_client.get(f"/admin/initiatives/service/{changed_service.pk}/history/{first.history_id}/")

    assert "staff-member" in listing
    page = version.content.decode()
    assert "Changed summary" in page and "A service made up for tests." in page
    assert "Original need" in page and "Replacement need" in page
    assert "Friday 09:00–17:00" in page
    assert "Restore this version" in page


def test_restoring_an_earlier_version_is_itself_a_recorded_change(staff_client, staff_user, changed_service):
    first = changed_service.history.earliest("history_id")
    versions_before = changed_service.history.count()

    response = staff_client.post(
        f"/admin/initiatives/service/{changed_service.pk}/history/{first.history_id}/"
    )

    assert response.status_code == 302
    changed_service.refresh_from_db()
    assert changed_service.summary == "A service made up for tests."
    assert list(changed_service.needs.values_list("name", flat=True)) == ["Original need"]
    assert [s.weekday for s in changed_service.schedules.all()] == [4]
    restore = Revision.objects.get(kind=RevisionKind.RESTORE)
    assert (restore.status, restore.author, restore.reviewer) == (
        RevisionStatus.APPROVED,
        staff_user,
        staff_user,
    )
    assert AuditEntry.objects.filter(action="version_restored", object_id=changed_service.pk).exists()
    assert changed_service.history.count() == versions_before + 1
    assert changed_service.history.latest("history_id").history_user == staff_user
    public = staff_client.get(changed_service.get_absolute_url()).content.decode()
    assert "A service made up for tests." in public and "Original need" in public


def test_editors_cannot_see_or_restore_history(manager_client, changed_service):
    first = changed_service.history.earliest("history_id")
    url = f"/admin/initiatives/service/{changed_service.pk}/history/{first.history_id}/"

    assert manager_client.get(url)["Location"].startswith("/admin/login/")
    manager_client.post(url)

    changed_service.refresh_from_db()
    assert changed_service.summary == "Changed summary"


def test_organisation_history_restores_too(client, staff_user, org_a):
    org_a.description = "A second description."
    org_a.save()
    first = org_a.history.earliest("history_id")
    client.force_login(staff_user)

    client.post(f"/admin/initiatives/organisation/{org_a.pk}/history/{first.history_id}/")

    org_a.refresh_from_db()
    assert org_a.description == "An organisation made up for tests."
