"""A proposed photo or logo travels with its revision: private until approved, then on the listing."""

from django.test import Client

from initiatives.editing.models import RevisionFile
from initiatives.editing.moderation import revision_approve
from tests.helpers.image_files import image_bytes, upload

from .forms_helper import read_form

EDIT = "/manage/services/{}/edit/"


def propose_photo(client, service, alt="Two people at a laptop"):
    form = read_form(client.get(EDIT.format(service.slug))).set("photo_alt", alt)
    return client.post(
        EDIT.format(service.slug), {**form.as_post(), "photo": upload("me.png", image_bytes("PNG"))}
    )


def test_a_proposed_photo_is_kept_privately_beside_the_revision(manager_client, service_a):
    assert propose_photo(manager_client, service_a).status_code == 302

    kept = RevisionFile.objects.get()
    assert kept.field_name == "photo" and kept.file.name.startswith("revisions/")
    assert kept.file.read().startswith(b"\x89PNG")
    assert kept.revision.data["photo"] == kept.file.name
    service_a.refresh_from_db()
    assert not service_a.photo
    assert Client().get(f"/images/{kept.file.name}").status_code == 404


def test_staff_see_the_proposed_photo_and_approval_puts_it_on_the_public_page(
    client, staff_user, manager_client, service_a
):
    propose_photo(manager_client, service_a)
    kept = RevisionFile.objects.get()
    client.force_login(staff_user)
    review = client.get(f"/admin/editing/revision/{kept.revision_id}/change/").content.decode()
    assert f'src="/images/{kept.file.name}"' in review
    assert "Two people at a laptop" in review

    revision_approve(revision=kept.revision, reviewer=staff_user)

    service_a.refresh_from_db()
    assert service_a.photo.name.startswith("service-photos/")
    assert service_a.photo.read().startswith(b"\x89PNG")
    assert service_a.photo_alt == "Two people at a laptop"
    public = Client().get(service_a.get_absolute_url()).content.decode()
    assert f"/images/{service_a.photo.name}" in public and 'alt="Two people at a laptop"' in public


def test_a_photo_without_a_description_is_refused(manager_client, service_a):
    response = propose_photo(manager_client, service_a, alt="")

    assert response.status_code == 400
    assert not RevisionFile.objects.exists()


def test_sending_again_without_a_new_photo_keeps_the_one_waiting(manager_client, service_a):
    propose_photo(manager_client, service_a)
    form = read_form(manager_client.get(EDIT.format(service_a.slug))).set("phone", "01908 333333")

    manager_client.post(EDIT.format(service_a.slug), form.as_post())

    kept = RevisionFile.objects.get()
    assert kept.revision.status == "pending" and kept.revision.data["phone"] == "01908 333333"
    assert kept.revision.data["photo"] == kept.file.name
