"""Writes to problem reports: store first, email after, so a valid report is never lost."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from initiatives.emails import email_send, render_email_subject
from initiatives.models import Organisation, Service
from initiatives.services import audit_record

from .models import ProblemReport

logger = logging.getLogger(__name__)


def problem_report_submit(*, listing: Organisation | Service, text: str, contact_email: str) -> ProblemReport:
    """Store a resident's report, then tell the organisation's editors and staff, and thank the resident.

    The report is saved before any email is tried: a mail failure is logged and the report kept,
    and staff see every report in the admin whatever happened to the emails.
    """
    report = _problem_report_create(listing=listing, text=text, contact_email=contact_email)
    _notify(
        report,
        recipients=list(
            report.organisation.memberships.reachable_by_email().values_list("user__email", flat=True)
        ),
        link=settings.SITE_URL + reverse("feedback:manage_detail", args=[report.pk]),
        audience="editors",
    )
    _notify(
        report,
        recipients=list(settings.STAFF_NOTIFICATION_EMAILS),
        link=settings.SITE_URL + reverse("admin:feedback_problemreport_change", args=[report.pk]),
        audience="staff",
    )
    if contact_email:
        _notify(
            report, recipients=[contact_email], audience="resident", template="problem_report_acknowledgement"
        )
    return report


@transaction.atomic
def _problem_report_create(
    *, listing: Organisation | Service, text: str, contact_email: str
) -> ProblemReport:
    is_service = isinstance(listing, Service)
    report = ProblemReport(
        organisation=listing.organisation if is_service else listing,
        service=listing if is_service else None,
        text=text,
        contact_email=contact_email,
    )
    report.full_clean()
    report.save()
    return report


def _notify(
    report: ProblemReport,
    *,
    recipients: list[str],
    audience: str,
    link: str = "",
    template: str = "problem_report",
) -> None:
    if not recipients:
        logger.info("Problem report %s: no %s to email; it is listed in the admin.", report.pk, audience)
        return
    context = {
        "report": report,
        "link": link,
        "audience": audience,
        "reply_days": settings.ENQUIRY_REPLY_DAYS,
    }
    sent = email_send(
        subject=render_email_subject(f"emails/{template}_subject.txt", context),
        body=render_to_string(f"emails/{template}_body.txt", context),
        recipients=recipients,
    )
    if not sent:  # the report is stored already, and staff find it in the admin
        logger.error("Problem report %s stored but not emailed to %s.", report.pk, audience)


@transaction.atomic
def problem_report_resolve(*, report: ProblemReport, actor, note: str = "") -> ProblemReport:
    """Mark one report as dealt with, saying what was done; refuse one that is resolved already.

    The row is locked first, so two people resolving it at once cannot both record it.
    """
    report = ProblemReport.objects.select_for_update().get(pk=report.pk)
    if report.is_resolved:
        when = date_format(timezone.localtime(report.resolved_at), "j F Y")
        raise ValidationError(f"This report was already marked as resolved on {when}.")
    _resolve(report, actor=actor, note=note)
    return report


@transaction.atomic
def problem_reports_resolve(*, reports, actor) -> int:
    """Mark each unresolved report as dealt with, recording who did it; return how many changed."""
    resolved = 0
    for report in reports:
        if not report.is_resolved:
            _resolve(report, actor=actor, note="")
            resolved += 1
    return resolved


def _resolve(report: ProblemReport, *, actor, note: str) -> None:
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.resolution_note = note.strip()
    report.full_clean()
    report.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    audit_record(
        actor=actor, action="problem_resolved", record=report, detail={"listing": str(report.listing)}
    )
