"""Who reaches what: an editor of A never reaches B, by address, by form field or through the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from initiatives.accounts.models import Invitation
from initiatives.editing.models import Revision, RevisionStatus
from initiatives.editing.moderation import revision_approve
from initiatives.editing.snapshots import snapshot_of
from initiatives.models import OrganisationMembership, Service
from tests.factories import LocationFactory, MembershipFactory, RevisionFactory, UserFactory, editor_of

from .forms_helper import read_form

# Every manage address, named by what it is; "{org}", "{service}", "{revision}", "{membership}"
# are filled in with organisation A's or B's records.
ADDRESSES = {
    "organisation": "/manage/organisations/{org}/",
    "organisation details form": "/manage/organisations/{org}/edit/",
    "new service form": "/manage/organisations/{org}/services/new/",
    "team and invitation form": "/manage/organisations/{org}/team/",
    "remove a colleague": "/manage/organisations/{org}/team/{membership}/remove/",
    "service form": "/manage/services/{service}/edit/",
    "a change sent for review": "/manage/changes/{revision}/",
    "withdraw a change": "/manage/changes/{revision}/withdraw/",
}
POST_ONLY = {"remove a colleague", "withdraw a change"}
ANY_POST = {
    "name": "Taken over",
    "summary": "Taken over",
    "description": "Taken over",
    "email": "intruder@example.test",
    "role": "manager",
    "version": "",
}


@pytest.fixture
def addresses_of(org_a, org_b, service_a, service_b, revision_b, manager_a, manager_b, editor_a):
    revision_a = RevisionFactory(service=service_a, author=manager_a, changes={"summary": "A's change"})
    records = {
        "a": {
            "org": org_a.slug,
            "service": service_a.slug,
            "revision": revision_a.pk,
            "membership": org_a.memberships.get(user=editor_a).pk,
        },
        "b": {
            "org": org_b.slug,
            "service": service_b.slug,
            "revision": revision_b.pk,
            "membership": org_b.memberships.get(user=manager_b).pk,
        },
    }
    return lambda owner, name: ADDRESSES[name].format(**records[owner])


def world_state(org_b, service_b):
    """Everything an intruder might try to change, to compare before and after."""
    return {
        "revisions": list(Revision.objects.values_list("pk", "status")),
        "memberships": list(OrganisationMembership.objects.values_list("pk", "role")),
        "invitations": Invitation.objects.count(),
        "services": Service.objects.count(),
        "organisation b": snapshot_of(org_b),
        "service b": snapshot_of(service_b),
    }


@pytest.mark.parametrize("name", ADDRESSES, ids=list(ADDRESSES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_of_a_gets_not_found_for_every_address_of_b_and_changes_nothing(
    manager_client, addresses_of, org_b, service_b, name, method
):
    before = world_state(org_b, service_b)

    response = getattr(manager_client, method)(
        addresses_of("b", name), ANY_POST if method == "post" else None
    )

    assert response.status_code == 404
    assert world_state(org_b, service_b) == before


@pytest.mark.parametrize("name", ADDRESSES, ids=list(ADDRESSES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, addresses_of, org_b, service_b, name, method):
    before = world_state(org_b, service_b)
    address = addresses_of("b", name)

    response = getattr(client, method)(address, ANY_POST if method == "post" else None)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={address}"
    assert world_state(org_b, service_b) == before


PAGES = [name for name in ADDRESSES if name not in POST_ONLY]


@pytest.mark.parametrize("name", PAGES, ids=PAGES)
def test_staff_reach_every_organisation(staff_client, addresses_of, name):
    assert staff_client.get(addresses_of("b", name)).status_code == 200


@pytest.mark.parametrize("name", PAGES, ids=PAGES)
def test_editor_of_a_reaches_every_page_of_a(manager_client, addresses_of, name):
    assert manager_client.get(addresses_of("a", name)).status_code == 200


def test_an_editor_of_several_organisations_reaches_each(client, org_a, org_b, service_b):
    editor = editor_of(org_a)
    MembershipFactory(user=editor, organisation=org_b)
    client.force_login(editor)

    assert client.get(f"/manage/services/{service_b.slug}/edit/").status_code == 200
    assert client.get("/manage/organisations/alpha-aid/").status_code == 200


# Ids of B's records posted into A's forms --------------------------------------------------------


def test_a_place_of_b_posted_into_a_service_form_is_refused(manager_client, service_a, place_b):
    form = read_form(manager_client.get(f"/manage/services/{service_a.slug}/edit/"))
    form.check("locations", str(place_b.pk))

    response = manager_client.post(f"/manage/services/{service_a.slug}/edit/", form.as_post())

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Revision.objects.filter(service=service_a).exists()


def test_a_place_of_b_posted_as_an_opening_times_place_is_refused(manager_client, org_a, service_a, place_b):
    LocationFactory(organisation=org_a)  # so the form offers a choice of place at all
    form = read_form(manager_client.get(f"/manage/services/{service_a.slug}/edit/"))
    form.set("schedules-0-weekday", "0").set("schedules-0-opens_at", "09:00").set(
        "schedules-0-closes_at", "12:00"
    )
    form.set("schedules-0-location", str(place_b.pk))

    response = manager_client.post(f"/manage/services/{service_a.slug}/edit/", form.as_post())

    assert response.status_code == 400
    assert not Revision.objects.filter(service=service_a).exists()


def test_a_shared_venue_and_a_place_of_a_may_be_chosen(manager_client, org_a, service_a):
    own, shared = LocationFactory(organisation=org_a), LocationFactory(organisation=None)
    form = read_form(manager_client.get(f"/manage/services/{service_a.slug}/edit/"))
    form.check("locations", str(own.pk)).check("locations", str(shared.pk))

    response = manager_client.post(f"/manage/services/{service_a.slug}/edit/", form.as_post())

    assert response.status_code == 302
    assert Revision.objects.get(service=service_a).data["locations"] == sorted([own.pk, shared.pk])


def test_an_organisation_id_of_b_posted_with_a_new_service_is_ignored(manager_client, org_a, org_b):
    form = read_form(manager_client.get(f"/manage/organisations/{org_a.slug}/services/new/"))
    form.set("name", "New club").set("summary", "A new club.").set("description", "About the club.")
    form.set("organisation", str(org_b.pk))

    response = manager_client.post(f"/manage/organisations/{org_a.slug}/services/new/", form.as_post())

    assert response.status_code == 302
    assert Service.objects.get(name="New club").organisation == org_a
    assert not org_b.services.filter(name="New club").exists()


def test_a_membership_of_b_cannot_be_removed_through_a_team_page(manager_client, org_a, org_b, manager_b):
    membership_b = org_b.memberships.get(user=manager_b)

    response = manager_client.post(f"/manage/organisations/{org_a.slug}/team/{membership_b.pk}/remove/")

    assert response.status_code == 404
    assert OrganisationMembership.objects.filter(pk=membership_b.pk).exists()


# Roles within an organisation --------------------------------------------------------------------


@pytest.fixture
def editor_client(client, editor_a):
    client.force_login(editor_a)
    return client


def test_an_editor_who_is_not_a_manager_cannot_invite(editor_client, org_a):
    response = editor_client.post(
        f"/manage/organisations/{org_a.slug}/team/", {"email": "x@example.test", "role": "editor"}
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_editor_who_is_not_a_manager_cannot_remove_a_colleague(editor_client, org_a, manager_a):
    membership = org_a.memberships.get(user=manager_a)

    response = editor_client.post(f"/manage/organisations/{org_a.slug}/team/{membership.pk}/remove/")

    assert response.status_code == 403
    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_an_editor_cannot_withdraw_a_colleagues_change(editor_client, service_a, manager_a):
    revision = RevisionFactory(service=service_a, author=manager_a)

    response = editor_client.post(f"/manage/changes/{revision.pk}/withdraw/")

    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING


# Only staff approve, and editors have no admin ---------------------------------------------------


def test_an_editor_is_sent_to_the_admin_sign_in_and_cannot_approve(
    manager_client, revision_b, service_a, manager_a
):
    own_revision = RevisionFactory(service=service_a, author=manager_a, changes={"summary": "Mine"})

    assert manager_client.get("/admin/")["Location"].startswith("/admin/login/")
    response = manager_client.post(f"/admin/editing/revision/{own_revision.pk}/change/", {"_approve": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    own_revision.refresh_from_db()
    assert own_revision.status == RevisionStatus.PENDING
    assert service_a.summary != "Mine"


def test_the_admin_sign_in_refuses_an_editors_correct_password(client, manager_a):
    manager_a.set_password("correct-horse-battery")
    manager_a.save()

    response = client.post("/admin/login/", {"username": "manager-a", "password": "correct-horse-battery"})

    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_approval_service_refuses_anyone_but_staff(revision_b, manager_b):
    with pytest.raises(PermissionDenied):
        revision_approve(revision=revision_b, reviewer=manager_b)

    revision_b.refresh_from_db()
    assert revision_b.status == RevisionStatus.PENDING


def test_staff_without_the_approve_permission_can_look_but_not_approve(client, revision_b):
    viewer = UserFactory(staff=True, is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_revision"))
    client.force_login(viewer)

    assert client.get(f"/admin/editing/revision/{revision_b.pk}/change/").status_code == 200
    response = client.post(f"/admin/editing/revision/{revision_b.pk}/change/", {"_approve": "1"})

    assert response.status_code == 403
    revision_b.refresh_from_db()
    assert revision_b.status == RevisionStatus.PENDING


def test_a_refusal_says_why_in_plain_words(editor_client, org_a):
    response = editor_client.post(f"/manage/organisations/{org_a.slug}/team/", {"email": "x@example.test"})

    assert response.status_code == 403
    assert "Only managers can invite or remove colleagues." in response.content.decode()
