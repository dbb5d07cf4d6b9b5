"""Writes to enquiries: store first, email after; changes and deletions audited without personal data."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from initiatives.emails import render_email_subject
from initiatives.models import Service
from initiatives.notices import notices_send as email_notices_send
from initiatives.services import audit_record

from .models import Enquiry, EnquiryNotice, EnquiryStatus, NoticeKind
from .readers import message_reader

logger = logging.getLogger(__name__)


@transaction.atomic
def enquiry_create(*, service: Service | None, name: str, email: str, phone: str, message: str) -> Enquiry:
    """Store an enquiry and the notices that announce it; nothing is emailed inside the transaction.

    The notice goes to whoever the form said would read the message (readers.message_reader).
    """
    enquiry = Enquiry(
        service=service, name=name, email=email, phone=phone, message=message, consented_at=timezone.now()
    )
    enquiry.full_clean()
    enquiry.save()
    kinds = [NoticeKind.EDITORS if message_reader(service).by_editors else NoticeKind.STAFF]
    if email:
        kinds.append(NoticeKind.ACKNOWLEDGEMENT)
    EnquiryNotice.objects.bulk_create([EnquiryNotice(enquiry=enquiry, kind=kind) for kind in kinds])
    return enquiry


@transaction.atomic
def enquiry_update(*, enquiry: Enquiry, status: str, private_note: str, actor) -> Enquiry:
    """Change an enquiry's status or note; closing starts the retention clock."""
    # Read from the database: a form may already have set the new status on this instance.
    status_before = Enquiry.objects.filter(pk=enquiry.pk).values_list("status", flat=True).get()
    enquiry.status = status
    enquiry.private_note = private_note
    if status == EnquiryStatus.CLOSED and status_before != EnquiryStatus.CLOSED:
        enquiry.closed_at = timezone.now()
    elif status != EnquiryStatus.CLOSED:
        enquiry.closed_at = None
    enquiry.full_clean()
    enquiry.save()
    if status != status_before:
        audit_record(
            actor=actor,
            action="enquiry_status",
            record=enquiry,
            detail={"status_before": status_before, "status_after": status},
        )
    return enquiry


@transaction.atomic
def enquiry_delete(*, enquiry: Enquiry, actor, reason: str) -> None:
    """Delete an enquiry and its notices, leaving an audit entry that holds no personal data."""
    audit_record(actor=actor, action="enquiry_deleted", record=enquiry, detail={"reason": reason})
    enquiry.delete()


def enquiries_purge(*, now=None) -> int:
    """Delete closed enquiries past the retention period; safe to run as often as you like."""
    _, deleted_by_model = Enquiry.objects.past_retention(now).delete()
    return deleted_by_model.get(Enquiry._meta.label, 0)


def notices_send(*, notices, stop_at_first_failure: bool = False) -> tuple[int, int]:
    """Try to send each notice once; return how many went and how many failed (kept for a retry)."""
    return email_notices_send(
        notices, recipients=_recipients, compose=_message, stop_at_first_failure=stop_at_first_failure
    )


def _recipients(notice: EnquiryNotice) -> list[str]:
    enquiry = notice.enquiry
    if notice.kind == NoticeKind.ACKNOWLEDGEMENT:
        return [enquiry.email] if enquiry.email else []
    if notice.kind == NoticeKind.EDITORS:
        # The rule the resident was shown; should every editor have left before a retry, it names
        # staff, who can open the same link and pass the message on.
        return list(message_reader(enquiry.service).emails)
    return list(settings.STAFF_NOTIFICATION_EMAILS)


def _message(notice: EnquiryNotice) -> tuple[str, str]:
    enquiry = notice.enquiry
    if notice.kind == NoticeKind.STAFF:
        link = reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    else:
        link = reverse("enquiries:manage_detail", args=[enquiry.pk])
    context = {
        "enquiry": enquiry,
        "organisation": enquiry.organisation,
        "reader": message_reader(enquiry.service),
        "link": settings.SITE_URL + link,
        "retention_days": settings.ENQUIRY_RETENTION_DAYS,
        "reply_days": settings.ENQUIRY_REPLY_DAYS,
    }
    subject = render_email_subject(f"enquiries/email/{notice.kind}_subject.txt", context)
    body = render_to_string(f"enquiries/email/{notice.kind}_body.txt", context)
    return subject, body
