"""Writes to enquiries: store first, email after; changes and deletions audited without personal data."""

import logging

from django.conf import settings
from django.core.mail import BadHeaderError, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from initiatives.emails import render_email_subject
from initiatives.models import Service
from initiatives.services import audit_record

from .models import Enquiry, EnquiryNotice, EnquiryStatus, NoticeKind
from .readers import message_reader

logger = logging.getLogger(__name__)

# A notice still failing after this many tries (send_enquiry_notices runs daily) needs a person.
NOTICE_MAX_ATTEMPTS = 10
# Errors that sending the same email again cannot mend.
PERMANENT_ERRORS = (BadHeaderError,)


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


def notices_send(*, notices) -> tuple[int, int]:
    """Try to send each notice once; return how many went and how many failed (kept for a retry)."""
    sent = failed = 0
    for notice in notices:
        if _notice_send(notice):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _notice_send(notice: EnquiryNotice) -> bool:
    notice.attempts += 1
    recipients = _recipients(notice)
    try:
        if not recipients:
            raise LookupError("No one to send it to: add an editor or MK_STAFF_NOTIFICATION_EMAILS")
        subject, body = _message(notice)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except Exception as error:  # any mail failure: keep the notice for the retry command
        _notice_failed(notice, error)
        return False
    notice.sent_at = timezone.now()
    notice.last_error = ""
    notice.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def _notice_failed(notice: EnquiryNotice, error: Exception) -> None:
    """Record the failure; stop retrying once it cannot succeed or has failed too often."""
    notice.last_error = f"{type(error).__name__}: {error}"[:200]
    if isinstance(error, PERMANENT_ERRORS) or notice.attempts >= NOTICE_MAX_ATTEMPTS:
        notice.given_up_at = timezone.now()
        logger.error(
            "Enquiry notice %s given up after %s attempt(s): %s. Pass the enquiry on by hand.",
            notice.pk,
            notice.attempts,
            error,
        )
    else:
        logger.warning("Enquiry notice %s not sent (attempt %s): %s", notice.pk, notice.attempts, error)
    notice.save(update_fields=["attempts", "last_error", "given_up_at"])


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
