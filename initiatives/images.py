"""Uploaded logos and photos: checked by content, stripped of metadata, resized, stored privately.

Every upload goes through `validate_and_process_image`. Forms get it through `ImageUploadField`,
the default form field of `ProcessedImageField`, so any ModelForm of Organisation or Service (the
admin's and the manage area's alike) processes images without being asked to. Files live in the
"images" storage, outside MEDIA_ROOT; `initiatives.editing.image_views.serve_image` decides who may see each.

Processing is bounded in memory and time (issue 13). A JPEG as cameras save it (in one scan) is
decoded straight at 1/2, 1/4 or 1/8 scale, so even MAX_IMAGE_PIXELS costs a few megabytes. PNG, WebP
and a progressive JPEG are decoded whole, so they may have only MAX_IMAGE_PIXELS_DECODED_WHOLE. And
one process works on at most IMAGE_PROCESSING_AT_ONCE images at a time.
"""

import functools
import io
import re
import threading
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps

# Pillow format names: only these decoders are ever tried, whatever the file is called.
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
ACCEPT_ATTRIBUTE = "image/png,image/jpeg,image/webp"


@dataclass(frozen=True)
class ImageSize:
    """The box an image is shrunk to fit: twice the size the pages show it, for sharp screens."""

    width: int
    height: int


IMAGE_SIZES = {
    "logo": ImageSize(400, 400),
    "photo": ImageSize(1200, 1200),
}


def validate_and_process_image(upload, *, size: str = "photo") -> ContentFile:
    """Return a clean copy of an uploaded PNG, JPEG or WebP: only its pixels, resized, randomly named.

    Raises ValidationError, with a message a person can act on, for anything else: a file too
    large in bytes or pixels (decompression bombs), another format, a damaged image, or a moment
    when the server is already busy with as many images as it may work on at once.
    """
    if upload.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is larger than {_size_limit()}. Choose an image of {_size_limit()} or less, "
            "for example one saved for the web.",
            code="file_too_large",
        )
    image = _open_image(upload)
    source_format = image.format
    with _processing_slot():
        try:
            pixels = _clean_pixels(image, IMAGE_SIZES[size])
        except Exception as error:
            # Pillow's decoders raise many kinds of error on damaged data (OSError, SyntaxError,
            # ValueError, struct.error...); each means the same to the person uploading.
            raise _damaged_image() from error
        as_png = source_format == "PNG" or pixels.mode == "RGBA"
        output = io.BytesIO()
        if as_png:
            pixels.save(output, "PNG", optimize=True)
        else:
            pixels.save(output, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{'png' if as_png else 'jpg'}")


def _open_image(upload) -> Image.Image:
    """Read only the image's header, and refuse it before decoding if it is not allowed or too big."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except Exception as error:  # UnidentifiedImageError, or a header a decoder chokes on
        raise ValidationError(
            "This file is not a PNG, JPEG or WebP image. Choose a photo or picture in one of those formats.",
            code="not_an_image",
        ) from error
    width, height = image.size
    if width * height > settings.MAX_IMAGE_PIXELS:
        raise _too_many_pixels()
    if width * height > settings.MAX_IMAGE_PIXELS_DECODED_WHOLE and not _decoded_reduced(image, upload):
        raise _too_many_pixels_decoded_whole(image.format)
    return image


def _decoded_reduced(image: Image.Image, upload) -> bool:
    """Whether this image can be decoded at reduced scale, costing a fraction of its full size.

    Only a JPEG in one sequential scan, as cameras and phones save them: libjpeg then decodes a band
    of rows at a time, straight at the scale `draft` asks for. A progressive JPEG, or one with a
    scan per colour, makes it keep every coefficient of the whole image (3 to 6 bytes a pixel)
    whatever the scale. PNG and WebP have no reduced decoding at all.
    """
    if image.format not in ("JPEG", "MPO"):  # MPO: a phone's JPEG with a second picture after it
        return False
    upload.seek(0)
    return _one_sequential_scan(upload.read())


# A marker after a scan's data: 0xFF then anything but a stuffed zero, a restart marker or a fill byte.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_SEQUENTIAL_FRAMES = {0xC0, 0xC1, 0xC9}  # baseline, extended and arithmetic-coded sequential


def _one_sequential_scan(data: bytes) -> bool:
    """Whether a JPEG's first picture is one sequential frame whose pixels all come in one scan.

    Walks the segments up to the first scan, then finds the marker after its data: the end of the
    picture (EOI) if there is only one scan. Anything unexpected counts as "no", the safe answer.
    """
    position, frame = 2, None  # after the start-of-image marker
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte before a marker
            position += 1
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            frame = marker
        elif marker == 0xDA:  # start of scan: its header, then its data
            following = _NEXT_MARKER.search(data, position + 2 + length)
            return frame in _SEQUENTIAL_FRAMES and (following is None or following.group()[1] == 0xD9)
        position += 2 + length
    return False


def _clean_pixels(image: Image.Image, box: ImageSize) -> Image.Image:
    """Shrink to fit the box, turn upright, and copy out the pixels alone: no EXIF, GPS or comments."""
    fitted = _fitted(image.size, box)
    if fitted != image.size:
        # A JPEG is decoded straight at the smallest of 1/2, 1/4 or 1/8 scale that is still at least
        # `fitted` (asked for the fitted size, not the box, so a long thin image shrinks too); other
        # formats ignore the draft. The box it returns keeps the edges exact when resizing.
        drafted = image.draft(None, fitted)
        image = image.resize(
            fitted, Image.Resampling.BICUBIC, box=drafted[1] if drafted else None, reducing_gap=2.0
        )
    image = ImageOps.exif_transpose(image)  # honour the camera's rotation before the EXIF goes
    mode = "RGBA" if image.has_transparency_data else "RGB"
    image = image.convert(mode)
    return Image.frombytes(mode, image.size, image.tobytes())


def _fitted(size: tuple[int, int], box: ImageSize) -> tuple[int, int]:
    """The size of an image shrunk to fit the box, keeping its shape; never enlarged."""
    width, height = size
    scale = min(box.width / width, box.height / height, 1)
    return max(round(width * scale), 1), max(round(height * scale), 1)


_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def processing_slots() -> threading.BoundedSemaphore:
    """This process's turns at processing an image: IMAGE_PROCESSING_AT_ONCE of them."""
    at_once = settings.IMAGE_PROCESSING_AT_ONCE
    with _slots_lock:
        if at_once not in _slots:
            _slots[at_once] = threading.BoundedSemaphore(at_once)
        return _slots[at_once]


@contextmanager
def _processing_slot():
    """Wait up to IMAGE_PROCESSING_WAIT_SECONDS for a turn; refuse, asking to try again, if none comes."""
    slots = processing_slots()
    if not slots.acquire(timeout=settings.IMAGE_PROCESSING_WAIT_SECONDS):
        raise ValidationError(
            "We are busy with other images at the moment, so this one was not saved. "
            "Wait a minute, then choose the image again and save.",
            code="busy",
        )
    try:
        yield
    finally:
        slots.release()


def _size_limit() -> str:
    return f"{settings.MAX_IMAGE_UPLOAD_BYTES / (1024 * 1024):g} MB"


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        f"This image has too many pixels to handle (the limit is {settings.MAX_IMAGE_PIXELS:,}). "
        "Choose a smaller image, for example one saved for the web.",
        code="too_many_pixels",
    )


def _too_many_pixels_decoded_whole(image_format: str) -> ValidationError:
    limit = f"{settings.MAX_IMAGE_PIXELS_DECODED_WHOLE:,}"
    if image_format in ("JPEG", "MPO"):
        return ValidationError(
            f"This JPEG is saved in a way (such as “progressive”) that we can only handle up to {limit} "
            "pixels. Choose a smaller image, or the photo just as your camera or phone saved it.",
            code="too_many_pixels",
        )
    return ValidationError(
        f"This image has too many pixels to handle: a PNG or WebP image may have up to {limit}. "
        "Choose a smaller image, for example one saved for the web, or a JPEG photo.",
        code="too_many_pixels",
    )


def _damaged_image() -> ValidationError:
    return ValidationError(
        "This image could not be read: it may be damaged or incomplete. Try saving it again.",
        code="damaged_image",
    )


class ImageUploadField(forms.FileField):
    """A form field that accepts only what `validate_and_process_image` passes, and cleans to its copy."""

    def __init__(self, *, size: str = "photo", **kwargs):
        self.size = size
        box = IMAGE_SIZES[size]
        # The model's help text, if any, comes in as help_text; an empty one gives way to this.
        kwargs["help_text"] = kwargs.get("help_text") or (
            f"A PNG, JPEG or WebP image of {_size_limit()} or less. "
            f"We shrink it to at most {box.width} by {box.height} pixels and remove hidden details "
            "such as where a photo was taken."
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT_ATTRIBUTE}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return validate_and_process_image(upload, size=self.size)


@functools.cache
def image_storage():
    """The private storage for uploaded images (a callable, so migrations name it rather than copy it).

    Cached, so the model fields and the serving view always share one instance: Django's `storages`
    builds a fresh one whenever a test changes STORAGES.
    """
    return storages["images"]


@deconstructible
class RandomName:
    """An `upload_to` that files every image in `folder` under a fresh random name, whatever it was called."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return f"{self.folder}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


class ProcessedImageField(models.ImageField):
    """An image column whose forms run `validate_and_process_image` and whose files stay private."""

    def __init__(self, *args, size: str = "photo", **kwargs):
        self.size = size
        kwargs.setdefault("storage", image_storage)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "size": self.size}

    def formfield(self, **kwargs):
        # The stored name is random, so the length of the uploaded file's name does not matter.
        return super().formfield(
            **{"form_class": ImageUploadField, "size": self.size, "max_length": None, **kwargs}
        )
