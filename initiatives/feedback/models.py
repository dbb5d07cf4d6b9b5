"""Problems residents report with a public listing: "this phone number no longer works"."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from initiatives.models import Organisation, Service
from initiatives.notices import EmailNotice
from initiatives.references import reference_field


class ProblemReportQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved_at__isnull=True)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)

    def with_listing(self):
        """What a list of reports shows of each: the organisation and the service it is about."""
        return self.select_related("organisation", "service")

    def visible_to(self, user):
        """Reports about the organisations this person edits (staff: every one)."""
        return self.filter(organisation__in=Organisation.objects.editable_by(user))


class ProblemReport(models.Model):
    """A resident's note that something on an organisation's or a service's page is wrong."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="problem_reports",
        help_text="The organisation whose listing it is about (for a service, the one running it).",
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="problem_reports",
        help_text="Empty when the report is about the organisation's own page.",
    )
    reference = reference_field(about="report")
    text = models.TextField("what is wrong", max_length=2000)
    contact_email = models.EmailField(blank=True, help_text="Given by the resident if they want a reply.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.TextField(
        "what was done",
        max_length=2000,
        blank=True,
        help_text="Written when the report is marked resolved; seen by the organisation's editors "
        "and staff, never sent to the resident.",
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="problem_report_has_text"),
            models.CheckConstraint(
                condition=Q(resolved_by__isnull=True) | Q(resolved_at__isnull=False),
                name="problem_report_resolver_has_date",
            ),
        ]

    def __str__(self):
        return f"Problem with {self.listing} on {self.created_at:%d %b %Y}"

    @property
    def listing(self):
        return self.service or self.organisation

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class NoticeAudience(models.TextChoices):
    EDITORS = "editors", "Organisation's editors"
    STAFF = "staff", "Directory's staff"
    RESIDENT = "resident", "Resident who reported it"


class ProblemReportNotice(EmailNotice):
    """One email about a report, stored with it, so a mail server that is down loses none of them.

    `manage.py send_problem_report_notices` (from cron) tries those not sent yet again.
    """

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="notices")
    audience = models.CharField(max_length=10, choices=NoticeAudience.choices)

    class Meta(EmailNotice.Meta):
        constraints = [
            models.UniqueConstraint(fields=["report", "audience"], name="problem_report_notice_unique"),
            models.CheckConstraint(
                condition=Q(audience__in=NoticeAudience.values), name="problem_report_notice_audience_valid"
            ),
        ]

    def __str__(self):
        return f"Email to {self.get_audience_display()} ({self.state})"
