"""Keeping listings fresh: review reminders to editors, and their one-click "still correct".

`review_reminders_send` is what `manage.py send_review_reminders` runs each day. Each published
listing whose review date has come gets one "due" reminder, and one "overdue" reminder once it is
REVIEW_OVERDUE_AFTER_DAYS late; ReviewReminder's unique constraint on (listing, kind, review date)
makes sure neither is ever sent twice, even by two runs at once. A check moves the review date, so
the next cycle starts afresh.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from initiatives.emails import render_email_subject
from initiatives.models import Organisation, OrganisationMembership, ReminderKind, ReviewReminder, Service
from initiatives.publishing import Publishable
from initiatives.services import ListingAction, listings_apply_action

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueListing:
    listing: Publishable
    kind: ReminderKind

    @property
    def confirm_url(self) -> str:
        return settings.SITE_URL + still_correct_url(self.listing)


def still_correct_url(listing: Publishable) -> str:
    name = "service_still_correct" if isinstance(listing, Service) else "organisation_still_correct"
    return reverse(f"editing:{name}", args=[listing.slug])


def reminder_kind(review_due_on: datetime.date, today: datetime.date) -> ReminderKind:
    late_by = (today - review_due_on).days
    return ReminderKind.OVERDUE if late_by >= settings.REVIEW_OVERDUE_AFTER_DAYS else ReminderKind.DUE


@dataclass(frozen=True)
class ReminderRun:
    sent: int  # emails, one per organisation
    without_editor: int  # organisations with listings due but nobody to remind


def review_reminders_send(*, today: datetime.date | None = None) -> ReminderRun:
    """Email each organisation's editors about listings newly due or overdue.

    Safe to run as often as you like: a reminder already sent is never sent again, and one that
    fails to send is not recorded, so the next run tries it again.
    """
    today = today or timezone.localdate()
    due_by_organisation = _unreminded_listings(today)
    editors = _editor_emails(due_by_organisation.keys())
    sent = without_editor = 0
    for organisation, due in due_by_organisation.items():
        recipients = editors.get(organisation.pk)
        if not recipients:
            without_editor += 1
            continue
        try:
            with transaction.atomic():
                _record(due, today=today, recipients=recipients)
                _send(organisation, due, recipients)
        except IntegrityError:
            logger.info("Reminders for %s were sent by another run.", organisation)
        except Exception:  # a mail failure of any kind: nothing recorded, so tomorrow's run retries
            logger.exception("Review reminder for %s not sent.", organisation)
        else:
            sent += 1
    return ReminderRun(sent=sent, without_editor=without_editor)


def _unreminded_listings(today: datetime.date) -> dict[Organisation, list[DueListing]]:
    """Published listings past their review date that have not had this kind of reminder yet."""
    found: dict[Organisation, list[DueListing]] = defaultdict(list)
    for queryset in (
        Organisation.objects.due_for_review(today),
        Service.objects.due_for_review(today).select_related("organisation"),
    ):
        listings = list(queryset)
        content_type = ContentType.objects.get_for_model(queryset.model)
        already_sent = set(
            ReviewReminder.objects.filter(
                content_type=content_type, object_id__in=[listing.pk for listing in listings]
            ).values_list("object_id", "kind", "review_due_on")
        )
        for listing in listings:
            kind = reminder_kind(listing.review_due_on, today)
            if (listing.pk, kind, listing.review_due_on) not in already_sent:
                owner = listing.organisation if isinstance(listing, Service) else listing
                found[owner].append(DueListing(listing, kind))
    return found


def _editor_emails(organisations) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = defaultdict(list)
    memberships = (
        OrganisationMembership.objects.filter(organisation__in=organisations)
        .reachable_by_email()
        .values_list("organisation_id", "user__email")
    )
    for organisation_id, email in memberships:
        emails[organisation_id].append(email)
    return emails


def _record(due: list[DueListing], *, today: datetime.date, recipients: list[str]) -> None:
    """Claim the reminders; the unique constraint refuses any another run has already claimed."""
    ReviewReminder.objects.bulk_create(
        ReviewReminder(
            listing=item.listing,
            kind=item.kind,
            review_due_on=item.listing.review_due_on,
            sent_to="\n".join(recipients),
        )
        for item in due
    )


def _send(organisation: Organisation, due: list[DueListing], recipients: list[str]) -> None:
    context = {
        "organisation": organisation,
        "due": [item for item in due if item.kind == ReminderKind.DUE],
        "overdue": [item for item in due if item.kind == ReminderKind.OVERDUE],
        "overdue_days": settings.REVIEW_OVERDUE_AFTER_DAYS,
        "manage_url": settings.SITE_URL + reverse("editing:organisation", args=[organisation.slug]),
    }
    subject = render_email_subject("emails/review_reminder_subject.txt", context)
    body = render_to_string("emails/review_reminder_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


class StillCorrectView(LoginRequiredMixin, View):
    """An editor confirms a listing is still right: one POST records a check, as staff's action does.

    The listing is looked up through `editable_by`, so anyone else's organisation is a 404.
    """

    model: type[Publishable] | None = None  # set by the URL: Organisation or Service
    template_name = "manage/still_correct.html"

    def get_listing(self):
        return get_object_or_404(self.model.objects.editable_by(self.request.user), slug=self.kwargs["slug"])

    def get(self, request, slug):
        return self._render(self.get_listing())

    def post(self, request, slug):
        listing = self.get_listing()
        try:
            listings_apply_action(listings=[listing], action=ListingAction.VERIFY, actor=request.user)
        except ValidationError as error:
            return self._render(listing, problem=" ".join(error.messages), status=400)
        messages.success(
            request,
            f"Thank you: “{listing}” is marked as checked today. "
            f"The next check is due on {date_format(listing.review_due_on, 'j F Y')}.",
        )
        return redirect(self._next_url())

    def _next_url(self) -> str:
        """Back to the manage page the button was on, or to this page; never to another site."""
        next_url = self.request.POST.get("next", "")
        is_safe = url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return next_url if is_safe else self.request.path

    def _render(self, listing, problem: str = "", status: int = 200):
        is_service = isinstance(listing, Service)
        context = {
            "listing": listing,
            "problem": problem,
            "is_service": is_service,
            "organisation": listing.organisation if is_service else listing,
            "edit_url": reverse(
                "editing:service_edit" if is_service else "editing:organisation_edit", args=[listing.slug]
            ),
        }
        return render(self.request, self.template_name, context, status=status)
