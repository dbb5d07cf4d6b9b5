"""Changes to listings proposed by charity editors, kept until staff decide on them.

A revision holds the proposed listing as a JSON snapshot (see editing.snapshots) and the
snapshot of the live listing it was based on, so staff see exactly what changed and a later
approval never overwrites someone else's change without saying so. Uploaded files travel
beside the snapshot as RevisionFile rows until the revision is approved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from initiatives.images import RandomName, image_storage
from initiatives.models import Organisation, Service


class RevisionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RevisionKind(models.TextChoices):
    CHANGE = "change", "Change to a listing"
    NEW = "new", "New service"
    RESTORE = "restore", "Earlier version restored"


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RevisionStatus.PENDING)

    def visible_to(self, user):
        """Revisions of the organisations this person may edit (staff: all)."""
        return self.filter(organisation__in=Organisation.objects.editable_by(user))

    def of_listing(self, listing):
        """Revisions of one organisation's own details, or of one service."""
        if isinstance(listing, Service):
            return self.filter(service=listing)
        return self.filter(organisation=listing, service__isnull=True)

    def latest_pk_of(self, listing) -> int | None:
        return self.of_listing(listing).order_by("-pk").values_list("pk", flat=True).first()

    def latest_pk_subquery(self) -> models.Subquery:
        """The id of each service's latest revision, to annotate services with."""
        return models.Subquery(self.filter(service=models.OuterRef("pk")).order_by("-pk").values("pk")[:1])

    def for_review_page(self):
        return self.select_related("organisation", "service", "author", "reviewer")


class Revision(models.Model):
    """One proposed version of an organisation's details or of a service."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="revisions",
        help_text="The organisation the listing belongs to; decides who may see the revision.",
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
        help_text="Empty when the revision is of the organisation's own details.",
    )
    kind = models.CharField(max_length=10, choices=RevisionKind.choices, default=RevisionKind.CHANGE)
    data = models.JSONField(help_text="The proposed listing: every field an editor manages.")
    base = models.JSONField(
        default=dict, blank=True, help_text="The live listing when the change was submitted."
    )
    note = models.TextField(blank=True, help_text="What the editor said about the change.")
    status = models.CharField(
        max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why it was approved or not, as told to the editor.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_revision", "Can approve or reject changes proposed by editors")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RevisionStatus.values), name="revision_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=RevisionKind.values), name="revision_kind_valid"),
            models.CheckConstraint(
                condition=Q(status=RevisionStatus.PENDING) | Q(decided_at__isnull=False),
                name="revision_decided_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.listing_name}"

    def get_absolute_url(self):
        return reverse("editing:revision_detail", args=[self.pk])

    @property
    def listing(self):
        return self.service if self.service_id else self.organisation

    @property
    def listing_name(self) -> str:
        return self.data.get("name") or str(self.listing)

    @property
    def is_pending(self) -> bool:
        return self.status == RevisionStatus.PENDING


class RevisionFile(models.Model):
    """A file (a logo or a photo) proposed by a revision, kept apart until the revision is approved."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="files")
    field_name = models.CharField(max_length=50)
    # Private storage under a random name: a proposed image is not public until approved.
    file = models.FileField(upload_to=RandomName("revisions"), storage=image_storage, max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "field_name"], name="revision_file_one_per_field")
        ]

    def __str__(self):
        return f"{self.field_name} of {self.revision}"


class DigestKind(models.TextChoices):
    REVISION = "revision", "Change waiting for review"
    PROBLEM_REPORT = "problem_report", "Problem reported by a resident"
    ENQUIRY = "enquiry", "Message for staff to answer or pass on"


class StaffDigestItem(models.Model):
    """One piece of work already told to staff in the daily digest, kept so it is never told twice.

    The unique constraint settles it when two runs of the digest overlap: the second cannot record
    the same item, so it sends nothing (see editing.digest).
    """

    kind = models.CharField(max_length=20, choices=DigestKind.choices)
    object_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                name="staff_digest_item_once",
                violation_error_message="This item has already been in a staff digest.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DigestKind.values), name="staff_digest_item_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}"
