"""Publication state shared by every public record, so visibility lives in one place."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PublicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Only records the public may see."""
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def due_for_review(self, on=None):
        """Published records whose review date has arrived."""
        on = on or timezone.localdate()
        return self.published().filter(review_due_on__lte=on)


class Publishable(models.Model):
    """Fields every moderated, publicly listed record carries."""

    publication_state = models.CharField(
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
        help_text="Only published records appear on the public site.",
    )
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="When someone last confirmed these details are right."
    )
    review_due_on = models.DateField(
        null=True, blank=True, help_text="When the details should next be checked."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED

    def months_between_checks(self) -> int:
        """How long a check holds before the next is due; models with their own period override this."""
        return settings.REVIEW_PERIOD_MONTHS

    @property
    def is_long_overdue(self) -> bool:
        """Past its review date by so long that residents should be warned."""
        if not self.review_due_on:
            return False
        return (timezone.localdate() - self.review_due_on).days > settings.LONG_OVERDUE_DAYS

    @classmethod
    def state_constraint(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=models.Q(publication_state__in=PublicationState.values), name=name
        )
