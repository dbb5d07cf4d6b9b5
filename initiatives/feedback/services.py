"""Writes to problem reports: store the report and its emails first, send after, so neither is lost."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from initiatives.emails import render_email_subject
from initiatives.models import Organisation, Service
from initiatives.notices import notices_send
from initiatives.services import audit_record

from .models import NoticeAudience, ProblemReport, ProblemReportNotice

logger = logging.getLogger(__name__)


def problem_report_submit(*, listing: Organisation | Service, text: str, contact_email: str) -> ProblemReport:
    """Store a resident's report with the emails it owes: to its organisation's editors, to staff, and
    thanks to the resident; then try to send them.

    Nothing is emailed inside the transaction. An email the mail server refuses stays stored, and
    `manage.py send_problem_report_notices` tries it again; after the first failure the rest are left
    to that command too, so a mail server that is down holds the resident's page for one timeout
    (EMAIL_TIMEOUT) at most. Staff see every report in the admin whatever happened to the emails.
    """
    report = _problem_report_create(listing=listing, text=text, contact_email=contact_email)
    problem_report_notices_send(notices=report.notices.all(), stop_at_first_failure=True)
    return report


def problem_report_notices_send(*, notices, stop_at_first_failure: bool = False) -> tuple[int, int]:
    """Try to send each notice once; return how many went and how many failed (kept for a retry)."""
    return notices_send(
        notices, recipients=_recipients, compose=_message, stop_at_first_failure=stop_at_first_failure
    )


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
    audiences = [audience for audience in NoticeAudience if _recipients_for(report, audience)]
    for audience in [NoticeAudience.EDITORS, NoticeAudience.STAFF]:
        if audience not in audiences:
            logger.info("Problem report %s: no %s to email; it is listed in the admin.", report.pk, audience)
    ProblemReportNotice.objects.bulk_create(
        ProblemReportNotice(report=report, audience=audience) for audience in audiences
    )
    return report


def _recipients(notice: ProblemReportNotice) -> list[str]:
    return _recipients_for(notice.report, notice.audience)


def _recipients_for(report: ProblemReport, audience: str) -> list[str]:
    """Who gets this email now: a retry reaches the editors of the day, not those who have left."""
    if audience == NoticeAudience.EDITORS:
        editors = report.organisation.memberships.reachable_by_email()
        return list(editors.values_list("user__email", flat=True))
    if audience == NoticeAudience.STAFF:
        return list(settings.STAFF_NOTIFICATION_EMAILS)
    return [report.contact_email] if report.contact_email else []


def _message(notice: ProblemReportNotice) -> tuple[str, str]:
    report, audience = notice.report, notice.audience
    if audience == NoticeAudience.EDITORS:
        link = settings.SITE_URL + reverse("feedback:manage_detail", args=[report.pk])
    elif audience == NoticeAudience.STAFF:
        link = settings.SITE_URL + reverse("admin:feedback_problemreport_change", args=[report.pk])
    else:
        link = ""
    template = "problem_report_acknowledgement" if audience == NoticeAudience.RESIDENT else "problem_report"
    context = {
        "report": report,
        "link": link,
        "audience": audience,
        "reply_days": settings.ENQUIRY_REPLY_DAYS,
    }
    subject = render_email_subject(f"emails/{template}_subject.txt", context)
    return subject, render_to_string(f"emails/{template}_body.txt", context)


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
