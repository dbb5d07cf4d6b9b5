"""Uploaded logos and photos: checked by content, capped, stripped, resized, randomly named, private."""

import io
import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms import modelform_factory
from django.test import RequestFactory
from PIL import Image, ImageFile

from initiatives.admin import OrganisationAdmin, ServiceAdmin
from initiatives.editing.models import Revision, RevisionFile
from initiatives.images import ImageUploadField, image_storage, validate_and_process_image
from initiatives.models import Organisation, Service
from initiatives.publishing import PublicationState
from tests.factories import MembershipFactory, OrganisationFactory, ServiceFactory, UserFactory
from tests.helpers.image_files import image_bytes, jpeg_with_gps, png_bomb, upload

RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg)$")


def processed(content: bytes, name="picture.png", size="photo") -> Image.Image:
    stored = validate_and_process_image(upload(name, content), size=size)
    return Image.open(io.BytesIO(stored.read()))


def refusal(content: bytes, name="picture.png", content_type="image/png") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        validate_and_process_image(upload(name, content, content_type))
    return refused.value


# What is accepted, and what comes out ------------------------------------------------------------


@pytest.mark.parametrize(
    "image_format, name, stored_as",
    [
        pytest.param("PNG", "logo.png", "PNG", id="png"),
        pytest.param("JPEG", "photo.jpg", "JPEG", id="jpeg"),
        pytest.param("WEBP", "photo.webp", "JPEG", id="webp"),
    ],
)
def test_png_jpeg_and_webp_are_accepted_and_stored_as_png_or_jpeg(image_format, name, stored_as):
    stored = validate_and_process_image(upload(name, image_bytes(image_format)))

    assert RANDOM_NAME.match(stored.name)
    assert Image.open(io.BytesIO(stored.read())).format == stored_as


def test_transparency_is_kept():
    image = processed(image_bytes("WEBP", mode="RGBA"), name="logo.webp")

    assert image.format == "PNG"
    assert image.mode == "RGBA"


@pytest.mark.parametrize(
    "size, source, expected",
    [
        pytest.param("photo", (3000, 1000), (1200, 400), id="wide-photo-to-1200-wide"),
        pytest.param("photo", (900, 2400), (450, 1200), id="tall-photo-to-1200-high"),
        pytest.param("logo", (1000, 1000), (400, 400), id="logo-to-400"),
        pytest.param("logo", (120, 60), (120, 60), id="small-logo-never-enlarged"),
    ],
)
def test_images_are_shrunk_to_the_size_the_pages_use(size, source, expected):
    assert processed(image_bytes("JPEG", size=source), name="x.jpg", size=size).size == expected


def test_the_stored_name_is_random_whatever_the_upload_was_called():
    content = image_bytes("PNG")
    first = validate_and_process_image(upload("Our Family at 12 Acacia Avenue.png", content))
    second = validate_and_process_image(upload("Our Family at 12 Acacia Avenue.png", content))

    assert RANDOM_NAME.match(first.name)
    assert first.name != second.name


# Metadata ----------------------------------------------------------------------------------------


def test_gps_and_other_exif_data_are_removed():
    source = Image.open(io.BytesIO(jpeg_with_gps()))
    assert source.getexif().get_ifd(0x8825), "the test image should carry GPS data"

    image = processed(jpeg_with_gps(), name="holiday.jpg")

    assert not image.getexif()
    assert "exif" not in image.info
    assert b"Test Camera Co" not in image.tobytes()


def test_a_photo_taken_sideways_is_turned_upright_before_its_exif_goes():
    image = processed(jpeg_with_gps(size=(80, 40), orientation=6), name="sideways.jpg")

    assert image.size == (40, 80)


# What is refused ---------------------------------------------------------------------------------


def test_a_text_file_renamed_as_png_is_refused():
    error = refusal(b"<?php system($_GET['c']); ?> just text", name="evil.png", content_type="image/png")

    assert error.code == "not_an_image"
    assert "not a PNG, JPEG or WebP" in error.message


@pytest.mark.parametrize(
    "image_format, name",
    [
        pytest.param("GIF", "animation.gif", id="gif"),
        pytest.param("GIF", "disguised.png", id="gif-named-png"),
        pytest.param("BMP", "bitmap.jpg", id="bmp-named-jpg"),
        pytest.param("TIFF", "scan.tiff", id="tiff"),
    ],
)
def test_other_image_formats_are_refused(image_format, name):
    assert refusal(image_bytes(image_format), name=name).code == "not_an_image"


def test_a_damaged_image_is_refused_with_a_message():
    truncated = image_bytes("PNG", size=(400, 400))[:200]

    assert refusal(truncated).code == "damaged_image"


def test_a_file_over_5_mb_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(Image, "open", pytest.fail)
    too_big = image_bytes("PNG") + bytes(5 * 1024 * 1024)

    error = refusal(too_big, name="huge.png")

    assert error.code == "file_too_large"
    assert "larger than 5 MB" in error.message


@pytest.mark.parametrize(
    "width, height",
    [
        pytest.param(20000, 20000, id="20000x20000-pillow-bomb-error"),
        pytest.param(10000, 10000, id="10000x10000-pillow-bomb-warning"),
        pytest.param(8000, 6000, id="8000x6000-over-our-cap"),
    ],
)
def test_an_image_with_too_many_pixels_is_refused_without_decoding_it(monkeypatch, width, height):
    def never_decode(image):
        pytest.fail("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never_decode)
    bomb = png_bomb(width, height)
    assert len(bomb) < 1024 * 1024  # small on disk, vast in memory

    assert refusal(bomb, name="innocent.png").code == "too_many_pixels"


# Forms -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model_admin, model, field_name",
    [
        pytest.param(OrganisationAdmin, Organisation, "logo", id="organisation-logo"),
        pytest.param(ServiceAdmin, Service, "photo", id="service-photo"),
    ],
)
def test_admin_forms_use_the_checked_upload_field(model_admin, model, field_name):
    request = RequestFactory().get("/")
    request.user = UserFactory.build(staff=True)
    form_class = model_admin(model, admin.site).get_form(request)

    field = form_class.base_fields[field_name]
    assert isinstance(field, ImageUploadField)
    assert field.widget.attrs["accept"] == "image/png,image/jpeg,image/webp"


@pytest.mark.django_db
def test_any_model_form_stores_the_processed_copy_under_a_random_name():
    organisation = OrganisationFactory()
    form_class = modelform_factory(Organisation, fields=["logo"])
    form = form_class(
        {}, {"logo": upload("Our logo.jpg", jpeg_with_gps(), "image/jpeg")}, instance=organisation
    )

    assert form.is_valid(), form.errors
    form.save()

    organisation.refresh_from_db()
    assert re.match(r"^logos/[0-9a-f]{32}\.jpg$", organisation.logo.name)
    with organisation.logo.open("rb") as stored:
        assert not Image.open(stored).getexif()


@pytest.mark.django_db
def test_a_refused_upload_is_a_form_error_not_a_crash():
    form_class = modelform_factory(Organisation, fields=["logo"])
    form = form_class({}, {"logo": upload("evil.png", b"not an image")}, instance=OrganisationFactory())

    assert not form.is_valid()
    assert "not a PNG, JPEG or WebP" in form.errors["logo"][0]


# Alt text ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_photo_needs_a_description_in_the_form():
    form_class = modelform_factory(Service, fields=["photo", "photo_alt"])
    photo = upload("team.jpg", image_bytes("JPEG"), "image/jpeg")

    form = form_class({"photo_alt": "   "}, {"photo": photo}, instance=ServiceFactory())

    assert not form.is_valid()
    assert form.errors["photo_alt"] == ["Describe the photo for people who cannot see it."]


@pytest.mark.django_db
def test_a_photo_with_a_description_is_saved():
    form_class = modelform_factory(Service, fields=["photo", "photo_alt"])
    photo = upload("team.jpg", image_bytes("JPEG"), "image/jpeg")
    service = ServiceFactory()

    form = form_class({"photo_alt": "Two volunteers at a laptop"}, {"photo": photo}, instance=service)

    assert form.is_valid(), form.errors
    form.save()
    assert re.match(r"^service-photos/[0-9a-f]{32}\.jpg$", Service.objects.get(pk=service.pk).photo.name)


@pytest.mark.django_db
def test_the_database_refuses_a_photo_without_a_description():
    service = ServiceFactory()

    with pytest.raises(IntegrityError):
        Service.objects.filter(pk=service.pk).update(photo="service-photos/abc.jpg", photo_alt="")


# Who may see an image ----------------------------------------------------------------------------


def stored_image(folder: str) -> str:
    content = validate_and_process_image(upload("x.png", image_bytes("PNG")))
    return image_storage().save(f"{folder}/{content.name}", content)


@pytest.fixture
def draft_service():
    return ServiceFactory(
        publication_state=PublicationState.DRAFT,
        photo=stored_image("service-photos"),
        photo_alt="A volunteer at a laptop",
    )


@pytest.mark.django_db
class TestImageAccess:
    def test_a_published_services_photo_is_public_and_cacheable(self, client):
        service = ServiceFactory(photo=stored_image("service-photos"), photo_alt="A volunteer at a laptop")

        response = client.get(service.photo.url)

        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert "public" in response["Cache-Control"]
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "PNG"

    def test_a_drafts_photo_is_not_found_by_the_public(self, client, draft_service):
        assert client.get(draft_service.photo.url).status_code == 404

    @pytest.mark.parametrize(
        "state", [PublicationState.DRAFT, PublicationState.PENDING, PublicationState.ARCHIVED]
    )
    def test_an_unpublished_organisations_logo_is_not_found_by_the_public(self, client, state):
        organisation = OrganisationFactory(publication_state=state, logo=stored_image("logos"))

        assert client.get(organisation.logo.url).status_code == 404

    def test_a_published_service_of_an_unpublished_organisation_keeps_its_photo_private(self, client):
        service = ServiceFactory(
            organisation=OrganisationFactory(publication_state=PublicationState.DRAFT),
            photo=stored_image("service-photos"),
            photo_alt="A volunteer at a laptop",
        )

        assert client.get(service.photo.url).status_code == 404

    def test_the_organisations_editor_sees_the_drafts_photo_uncached(self, client, draft_service):
        editor = MembershipFactory(organisation=draft_service.organisation).user
        client.force_login(editor)

        response = client.get(draft_service.photo.url)

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_staff_see_the_drafts_photo(self, client, draft_service):
        client.force_login(UserFactory(staff=True))

        assert client.get(draft_service.photo.url).status_code == 200

    def test_an_editor_of_another_organisation_does_not(self, client, draft_service):
        client.force_login(MembershipFactory().user)

        assert client.get(draft_service.photo.url).status_code == 404

    def test_a_signed_in_person_with_no_organisation_does_not(self, client, draft_service):
        client.force_login(UserFactory())

        assert client.get(draft_service.photo.url).status_code == 404

    def test_an_image_waiting_in_a_revision_reaches_only_the_organisations_editors_and_staff(self, client):
        organisation = OrganisationFactory()
        revision = Revision.objects.create(organisation=organisation, data={"name": organisation.name})
        proposed_logo = stored_image("revisions")
        RevisionFile.objects.create(revision=revision, field_name="logo", file=proposed_logo)
        url = image_storage().url(proposed_logo)

        assert client.get(url).status_code == 404
        client.force_login(MembershipFactory().user)
        assert client.get(url).status_code == 404
        client.force_login(MembershipFactory(organisation=organisation).user)
        assert client.get(url).status_code == 200
        client.force_login(UserFactory(staff=True))
        assert client.get(url).status_code == 200

    def test_a_replaced_logo_is_no_longer_public(self, client):
        old_logo = stored_image("logos")
        organisation = OrganisationFactory(logo=old_logo)
        Organisation.objects.filter(pk=organisation.pk).update(logo=stored_image("logos"))

        assert client.get(image_storage().url(old_logo)).status_code == 404

    def test_an_image_no_listing_uses_is_not_found_even_by_staff(self, client):
        client.force_login(UserFactory(staff=True))

        assert client.get(image_storage().url(stored_image("logos"))).status_code == 404

    @pytest.mark.parametrize(
        "path",
        [
            pytest.param("/images/../settings.py", id="dot-dot"),
            pytest.param("/images/logos/%2e%2e/%2e%2e/etc/passwd", id="encoded-dot-dot"),
            pytest.param("/images/logos/", id="folder"),
        ],
    )
    def test_odd_paths_are_not_found(self, client, path):
        assert client.get(path).status_code == 404


# Public pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_page_shows_the_photo_with_its_description(client):
    service = ServiceFactory(photo=stored_image("service-photos"), photo_alt="Two volunteers at a laptop")

    response = client.get(service.get_absolute_url())

    assert f'src="{service.photo.url}" alt="Two volunteers at a laptop"' in response.content.decode()


@pytest.mark.django_db
def test_the_organisation_page_shows_the_logo_as_decoration_beside_the_name(client):
    organisation = OrganisationFactory(logo=stored_image("logos"))

    response = client.get(organisation.get_absolute_url())

    assert f'src="{organisation.logo.url}" alt=""' in response.content.decode()
