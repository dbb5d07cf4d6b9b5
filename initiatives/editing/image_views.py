"""Serve uploaded logos and photos to whoever may see them.

Images are stored outside MEDIA_ROOT (see initiatives.images), so this view is the only way in.
A published listing's current image is public; any other (a draft's, an archived listing's, one
replaced since, one proposed in a revision waiting for review) only reaches the listing's editors
and staff, through `editable_by`.
"""

import mimetypes

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from initiatives.editing.models import Revision, RevisionFile
from initiatives.images import image_storage
from initiatives.models import Organisation, Service

# Every image column, and the listings it belongs to.
IMAGE_FIELDS = [(Organisation, "logo"), (Service, "photo")]
PUBLIC_CACHE_SECONDS = 60 * 60


@require_safe
def serve_image(request, name: str):
    """Send the image stored as `name`, or 404 to anyone who may not see it."""
    audience = image_audience(name, request.user)
    if audience is None:
        raise Http404("No such image.")
    storage = image_storage()
    try:
        image = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("No such image.") from error
    content_type, _ = mimetypes.guess_type(name)
    response = FileResponse(image, content_type=content_type or "application/octet-stream")
    if audience == "public":
        patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def image_audience(name: str, user) -> str | None:
    """'public' if a published listing shows the image, 'editors' if `user` may edit one that has it."""
    for model, field in IMAGE_FIELDS:
        if model.objects.published().filter(**{field: name}).exists():
            return "public"
    for model, field in IMAGE_FIELDS:
        if model.objects.editable_by(user).filter(**{field: name}).exists():
            return "editors"
    if RevisionFile.objects.filter(file=name, revision__in=Revision.objects.visible_to(user)).exists():
        return "editors"
    return None
