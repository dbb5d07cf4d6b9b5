"""Uploaded logos and photos: checked by content, stripped of metadata, resized, stored privately.

Every upload goes through `validate_and_process_image`. Forms get it through `ImageUploadField`,
the default form field of `ProcessedImageField`, so any ModelForm of Organisation or Service (the
admin's and the manage area's alike) processes images without being asked to. Files live in the
"images" storage, outside MEDIA_ROOT; `initiatives.editing.image_views.serve_image` decides who may see each.
"""

import functools
import io
import uuid
import warnings
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
    large in bytes or pixels (decompression bombs), another format, or a damaged image.
    """
    if upload.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is larger than {_size_limit()}. Choose an image of {_size_limit()} or less, "
            "for example one saved for the web.",
            code="file_too_large",
        )
    image = _open_image(upload)
    source_format = image.format
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
    return image


def _clean_pixels(image: Image.Image, box: ImageSize) -> Image.Image:
    """Shrink to fit the box, turn upright, and copy out the pixels alone: no EXIF, GPS or comments."""
    image.thumbnail((box.width, box.height))  # decodes JPEGs at reduced scale where it can
    image = ImageOps.exif_transpose(image)  # honour the camera's rotation before the EXIF goes
    mode = "RGBA" if image.has_transparency_data else "RGB"
    image = image.convert(mode)
    return Image.frombytes(mode, image.size, image.tobytes())


def _size_limit() -> str:
    return f"{settings.MAX_IMAGE_UPLOAD_BYTES / (1024 * 1024):g} MB"


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        f"This image has too many pixels to handle (the limit is {settings.MAX_IMAGE_PIXELS:,}). "
        "Choose a smaller image, for example one saved for the web.",
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
