"""Messages residents send to a service or to the directory's staff, and the emails that announce them.

An enquiry holds personal data, so it is kept only as long as needed: closed enquiries are deleted
after settings.ENQUIRY_RETENTION_DAYS, and nothing personal is copied into emails to editors or into
the audit log.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from initiatives.models import Organisation, OrganisationMembership, Service
from initiatives.notices import EmailNotice
from initiatives.references import reference_field
from initiatives.text_rules import single_line


class EnquiryStatus(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class EnquiryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Enquiries to the services of organisations this person edits (staff: every service)."""
        return self.filter(service__organisation__in=Organisation.objects.editable_by(user))

    def for_staff(self):
        """Open messages the directory's staff read rather than an organisation's editors.

        Those to the directory itself, and those to an organisation with no editor we can email,
        which staff pass on: the rule of readers.py.
        """
        editors = OrganisationMembership.objects.filter(
            organisation=OuterRef("service__organisation")
        ).reachable_by_email()
        return self.exclude(status=EnquiryStatus.CLOSED).filter(Q(service__isnull=True) | ~Exists(editors))

    def past_retention(self, now=None):
        """Closed enquiries whose retention period has run out."""
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(days=settings.ENQUIRY_RETENTION_DAYS)
        return self.filter(status=EnquiryStatus.CLOSED, closed_at__lt=cutoff)


class Enquiry(models.Model):
    """A resident's message: to a service's organisation, or (with no service) to the directory's staff."""

    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # archive a service rather than lose its enquiries
        related_name="enquiries",
        help_text="Empty for a general enquiry to the directory's staff.",
    )
    reference = reference_field(about="message")
    name = models.CharField(max_length=100, validators=[single_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[single_line])
    message = models.TextField()
    consented_at = models.DateTimeField(help_text="When the resident agreed to how their message is used.")
    status = models.CharField(max_length=12, choices=EnquiryStatus.choices, default=EnquiryStatus.NEW)
    private_note = models.TextField(
        blank=True, help_text="Only the organisation's editors see this, never the resident."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="enquiry_has_reply_route"),
            models.CheckConstraint(condition=Q(status__in=EnquiryStatus.values), name="enquiry_status_valid"),
            models.CheckConstraint(
                condition=Q(status=EnquiryStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=EnquiryStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="enquiry_closed_at_when_closed",
            ),
        ]

    def __str__(self):
        # No name or contact details: this text ends up in audit entries and admin messages.
        about = self.service.name if self.service_id else "the directory"
        return f"Enquiry {self.reference} about {about}"

    @property
    def organisation(self) -> Organisation | None:
        return self.service.organisation if self.service_id else None


class NoticeKind(models.TextChoices):
    EDITORS = "editors", "Notice to the organisation's editors"
    STAFF = "staff", "Notice to the directory's staff"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement to the resident"


class EnquiryNotice(EmailNotice):
    """One email about an enquiry, kept until it has gone, so a failed send can be retried.

    Retrying stops, and staff are told in the log, once it has failed too often or with an error
    that sending again cannot mend.
    """

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)

    class Meta(EmailNotice.Meta):
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "kind"], name="enquiry_notice_unique_kind"),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="enquiry_notice_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.state})"
