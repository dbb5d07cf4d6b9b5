"""Writes to public records that must be recorded: one path for staff, editors and commands."""

import calendar
import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry
from .publishing import PublicationState, Publishable


class ListingAction(models.TextChoices):
    PUBLISH = "publish", "Published"
    ARCHIVE = "archive", "Archived"
    WITHDRAW = "withdraw", "Withdrawn"
    VERIFY = "verify", "Marked as checked"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def review_due_after(checked_on: datetime.date, *, listing: Publishable) -> datetime.date:
    return add_months(checked_on, listing.months_between_checks())


def audit_record(*, actor, action: str, record: models.Model, detail: dict | None = None) -> AuditEntry:
    """Write one audit entry saying who did what to `record`."""
    return AuditEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        object_repr=str(record)[:200],
        detail=detail or {},
    )


@transaction.atomic
def listings_apply_action(*, listings: Iterable[Publishable], action: str, actor) -> int:
    """Publish, archive, withdraw or mark as checked each listing, recording who did it and when.

    Withdrawing takes a published listing off the site and leaves any other as it is.
    """
    today = timezone.localdate()
    count = 0
    for listing in listings:
        before = listing.publication_state
        if action == ListingAction.PUBLISH:
            listing.publication_state = PublicationState.PUBLISHED
        elif action == ListingAction.ARCHIVE:
            listing.publication_state = PublicationState.ARCHIVED
        elif action == ListingAction.WITHDRAW:
            if not listing.is_published:
                continue
            # Pending review rather than draft: approving an editor's change publishes only a draft.
            listing.publication_state = PublicationState.PENDING
        elif action == ListingAction.VERIFY:
            listing.last_verified_on = today
            listing.review_due_on = review_due_after(today, listing=listing)
        else:
            raise ValueError(f"Unknown listing action: {action}")
        try:
            listing.full_clean()
        except ValidationError as error:
            # Name the record and its fields, so a bulk action can say what needs fixing.
            problems = [f"{field}: {' '.join(found)}" for field, found in error.message_dict.items()]
            raise ValidationError(f"{listing} ({'; '.join(problems)})") from error
        listing.save()
        audit_record(
            actor=actor,
            action=action,
            record=listing,
            detail={"state_before": before, "state_after": listing.publication_state},
        )
        count += 1
    return count
