"""The base of the history tables django-simple-history keeps for organisations and services."""

from django.db import models


class ListingVersion(models.Model):
    """One version of a listing: the model's own columns, plus everything an editor can change.

    `snapshot` holds the editable fields as editing.snapshots writes them, including the needs,
    audiences, places and opening times that the copied columns alone do not capture, so a
    version can be compared and restored whole.
    """

    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
