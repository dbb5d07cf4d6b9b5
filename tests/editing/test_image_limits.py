"""Uploaded images cost bounded memory and time (issue 13): pixel caps, reduced decoding, a few at once.

A JPEG as cameras save it is decoded at reduced scale and may be large; PNG, WebP and progressive
JPEG are decoded whole and have a lower cap; and a busy server asks the editor to try again shortly
rather than working on every upload at once. The other image rules are in tests/initiatives/test_images.py.
"""

import io
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile

from initiatives import images
from initiatives.editing.models import RevisionFile
from initiatives.images import processing_slots, validate_and_process_image
from tests.helpers.image_files import image_bytes, jpeg_with_gps, png_bomb, upload

from .forms_helper import read_form

EDIT = "/manage/services/{}/edit/"
SMALL_CAP = 10_000  # pixels, so the tests below need only small images: 200 x 100 is 20,000


def processed(content: bytes, name="picture.jpg", size="photo") -> Image.Image:
    stored = validate_and_process_image(upload(name, content), size=size)
    return Image.open(io.BytesIO(stored.read()))


def refusal(content: bytes, name="picture.png"):
    with pytest.raises(ValidationError) as refused:
        validate_and_process_image(upload(name, content))
    return refused.value


@pytest.fixture
def never_decode(monkeypatch):
    def fail(image):
        pytest.fail("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", fail)


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The size each image was decoded at: after a JPEG's draft, smaller than the file's."""
    sizes, real_load = [], ImageFile.ImageFile.load

    def load(image):
        if image.tile:  # not yet decoded
            sizes.append(image.size)
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


# ---- how many pixels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, name",
    [
        pytest.param(image_bytes("PNG", size=(200, 100)), "logo.png", id="png"),
        pytest.param(image_bytes("WEBP", size=(200, 100)), "photo.webp", id="webp"),
        pytest.param(
            image_bytes("JPEG", size=(200, 100), progressive=True), "web.jpg", id="progressive-jpeg"
        ),
    ],
)
def test_images_decoded_whole_are_refused_unread_over_their_lower_cap(settings, never_decode, content, name):
    settings.MAX_IMAGE_PIXELS_DECODED_WHOLE = SMALL_CAP

    error = refusal(content, name=name)

    assert error.code == "too_many_pixels"
    assert "10,000" in error.message


def test_a_jpeg_as_cameras_save_it_may_have_more_pixels(settings):
    settings.MAX_IMAGE_PIXELS_DECODED_WHOLE = SMALL_CAP

    assert processed(jpeg_with_gps(size=(200, 100)), name="camera.jpg").size == (200, 100)


def test_the_message_for_a_png_says_what_a_png_may_have(never_decode):
    error = refusal(png_bomb(4100, 3100), name="screenshot.png")  # 12.7 million pixels

    assert error.message == (
        "This image has too many pixels to handle: a PNG or WebP image may have up to 12,500,000. "
        "Choose a smaller image, for example one saved for the web, or a JPEG photo."
    )


def test_the_message_for_a_progressive_jpeg_says_to_use_the_photo_as_the_camera_saved_it(
    settings, never_decode
):
    settings.MAX_IMAGE_PIXELS_DECODED_WHOLE = SMALL_CAP

    error = refusal(image_bytes("JPEG", size=(200, 100), progressive=True), name="web.jpg")

    assert error.message == (
        "This JPEG is saved in a way (such as “progressive”) that we can only handle up to 10,000 pixels. "
        "Choose a smaller image, or the photo just as your camera or phone saved it."
    )


def test_a_12_megapixel_png_is_still_accepted():
    assert processed(png_bomb(4032, 3024), name="phone.png").size == (1200, 900)


# ---- a JPEG is decoded at reduced scale -------------------------------------------------------


def two_colours(size) -> bytes:
    """A JPEG red on its left half and blue on its right."""
    picture = Image.new("RGB", size, (220, 20, 20))
    picture.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=90)
    return output.getvalue()


@pytest.mark.parametrize(
    "size, source, result, decoded",
    [
        pytest.param("photo", (4000, 3000), (1200, 900), (2000, 1500), id="phone-photo-at-half-scale"),
        pytest.param("logo", (4000, 3000), (400, 300), (500, 375), id="logo-at-an-eighth"),
        pytest.param("photo", (12000, 300), (1200, 30), (1500, 38), id="long-thin-at-an-eighth"),
    ],
)
def test_a_large_jpeg_is_decoded_at_reduced_scale_and_comes_out_right(
    decoded_sizes, size, source, result, decoded
):
    image = processed(two_colours(source), size=size)

    assert decoded_sizes == [decoded]
    assert image.size == result
    red, blue = image.getpixel((2, result[1] // 2)), image.getpixel((result[0] - 3, result[1] // 2))
    assert red[0] > 180 and red[2] < 60
    assert blue[2] > 180 and blue[0] < 60


# ---- a few at once --------------------------------------------------------------------------


@pytest.fixture
def every_turn_taken(settings):
    """Every turn at processing an image in this process taken, as by other editors' uploads."""
    settings.IMAGE_PROCESSING_WAIT_SECONDS = 0.05
    slots = processing_slots()
    taken = [slots.acquire(blocking=False) for _ in range(settings.IMAGE_PROCESSING_AT_ONCE)]
    assert all(taken)
    yield slots
    for _ in taken:
        slots.release()


def test_when_the_server_is_busy_with_images_the_editor_is_asked_to_try_again_shortly(
    every_turn_taken, manager_client, service_a
):
    form = read_form(manager_client.get(EDIT.format(service_a.slug))).set("photo_alt", "Our team")

    response = manager_client.post(
        EDIT.format(service_a.slug), {**form.as_post(), "photo": upload("team.png", image_bytes("PNG"))}
    )

    assert response.status_code == 400
    assert (
        "We are busy with other images at the moment, so this one was not saved. "
        "Wait a minute, then choose the image again and save."
    ) in response.content.decode()
    assert not RevisionFile.objects.exists()


def test_an_upload_waits_for_a_turn_that_comes_free(every_turn_taken, settings):
    settings.IMAGE_PROCESSING_WAIT_SECONDS = 5
    threading.Timer(0.2, every_turn_taken.release).start()

    started = time.monotonic()
    assert processed(image_bytes("PNG"), name="logo.png").size == (64, 48)
    assert time.monotonic() - started >= 0.15
    every_turn_taken.acquire()  # the fixture gives back every turn it took


def test_a_damaged_image_gives_its_turn_back(settings):
    settings.IMAGE_PROCESSING_AT_ONCE = 1
    settings.IMAGE_PROCESSING_WAIT_SECONDS = 0
    damaged = image_bytes("JPEG", size=(400, 400))
    damaged = damaged[: len(damaged) // 2]

    assert refusal(damaged, name="half.jpg").code == "damaged_image"
    assert processed(image_bytes("PNG"), name="logo.png").size == (64, 48)


def test_no_more_than_the_setting_are_processed_at_once(settings, monkeypatch):
    settings.IMAGE_PROCESSING_AT_ONCE = 2
    settings.IMAGE_PROCESSING_WAIT_SECONDS = 10
    lock, working, most = threading.Lock(), [0], [0]
    real = images._clean_pixels

    def slow_clean_pixels(image, box):
        with lock:
            working[0] += 1
            most[0] = max(most[0], working[0])
        time.sleep(0.1)
        with lock:
            working[0] -= 1
        return real(image, box)

    monkeypatch.setattr(images, "_clean_pixels", slow_clean_pixels)
    results = []
    uploads = [
        threading.Thread(target=lambda: results.append(processed(image_bytes("PNG"), name="logo.png").size))
        for _ in range(5)
    ]
    for thread in uploads:
        thread.start()
    for thread in uploads:
        thread.join()

    assert results == [(64, 48)] * 5
    assert most[0] == 2
