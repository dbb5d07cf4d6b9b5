"""Writes to problem reports: store first, email after, so a valid report is never lost."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

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
        link=settings.SITE_URL + reverse("editing:organisation", args=[report.organisation.slug]),
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
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except Exception:  # any mail failure: the report is stored already, so log it and carry on
        logger.exception("Problem report %s stored but not emailed to %s.", report.pk, audience)


@transaction.atomic
def problem_reports_resolve(*, reports, actor) -> int:
    """Mark each unresolved report as dealt with, recording who did it; return how many changed."""
    resolved = 0
    for report in reports:
        if report.is_resolved:
            continue
        report.resolved_at = timezone.now()
        report.resolved_by = actor
        report.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(
            actor=actor, action="problem_resolved", record=report, detail={"listing": str(report.listing)}
        )
        resolved += 1
    return resolved
