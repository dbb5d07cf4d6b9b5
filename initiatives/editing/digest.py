"""The daily email telling staff about new work: what `manage.py send_staff_digest` runs.

A change waiting for review, an open problem report or a message for staff is told once. Each is
recorded as a StaffDigestItem in the transaction that sends the email, so
- a run that finds nothing new sends nothing;
- an item is never in two digests, even from two runs at once: the unique constraint refuses the
  second run's record, and that run sends nothing (its other new items go in the next run);
- if the email fails, nothing is recorded and the next run tries again.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from .models import DigestKind, StaffDigestItem
from .work_to_do import (
    APPROVE_PERMISSION,
    SHOWN,
    messages_for_staff,
    open_problem_reports,
    pending_revisions,
)

logger = logging.getLogger(__name__)

# Each kind of work in the digest: its heading and the queue it comes from (as on the page).
QUEUES = {
    DigestKind.REVISION: ("Changes waiting for review", pending_revisions),
    DigestKind.PROBLEM_REPORT: ("Problems reported by residents", open_problem_reports),
    DigestKind.ENQUIRY: ("Messages for staff to answer or pass on", messages_for_staff),
}


@dataclass(frozen=True)
class DigestSection:
    title: str
    lines: list[tuple[str, str]]  # what each of the first items is, and its address
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass(frozen=True)
class DigestRun:
    items: int = 0  # new items told to staff
    recipients: int = 0
    reason: str = ""  # why nothing was sent, when nothing was
    failed: bool = False


def staff_digest_recipients() -> list[str]:
    """Active staff with an email address who may approve changes (superusers among them)."""
    reviewers = get_user_model().objects.with_perm(
        APPROVE_PERMISSION, backend="django.contrib.auth.backends.ModelBackend"
    )
    emails = reviewers.filter(is_staff=True).exclude(email="").values_list("email", flat=True)
    return list(emails.order_by("email").distinct())


def staff_digest_send() -> DigestRun:
    """Email staff the work that has arrived since the last digest, if there is any."""
    recipients = staff_digest_recipients()
    if not recipients:  # record nothing, so the work is told once someone can read it
        return DigestRun(reason="no active staff who review changes have an email address")
    try:
        with transaction.atomic():
            work = _new_work()
            count = sum(len(items) for items in work.values())
            if count:
                StaffDigestItem.objects.bulk_create(
                    StaffDigestItem(kind=kind, object_id=item.pk)
                    for kind, items in work.items()
                    for item in items
                )
                _send(work, recipients)
    except IntegrityError:
        logger.info("Another run of the staff digest told staff about this work first.")
        return DigestRun(recipients=len(recipients), reason="another run sent the new work")
    except Exception:  # any mail failure: nothing is recorded, so the next run tries again
        logger.exception("Staff digest not sent.")
        return DigestRun(recipients=len(recipients), reason="the email could not be sent", failed=True)
    return DigestRun(items=count, recipients=len(recipients), reason="" if count else "no new work")


def _new_work() -> dict[str, list]:
    """The items of each kind not in any digest yet, oldest first."""
    work = {}
    for kind, (_, queryset) in QUEUES.items():
        told = StaffDigestItem.objects.filter(kind=kind, object_id=OuterRef("pk"))
        work[kind] = list(queryset().exclude(Exists(told)))
    return work


def _send(work: dict[str, list], recipients: list[str]) -> None:
    count = sum(len(items) for items in work.values())
    sections = [
        DigestSection(
            title=QUEUES[kind][0],
            lines=[_describe(kind, item) for item in items[:SHOWN]],
            count=len(items),
        )
        for kind, items in work.items()
        if items
    ]
    body = render_to_string(
        "emails/staff_digest_body.txt",
        {"sections": sections, "work_to_do_url": settings.SITE_URL + reverse("editing:work_to_do")},
    )
    # Built here rather than from a template: a subject is plain text, never HTML-escaped.
    subject = f"Work to do at MK Directory: {count} new item{'' if count == 1 else 's'}"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def _describe(kind: str, item) -> tuple[str, str]:
    """One line of the digest, and the full address where staff act on the item."""
    if kind == DigestKind.REVISION:
        text = f"{item} ({item.organisation.name})"
        path = reverse("admin:editing_revision_change", args=[item.pk])
    elif kind == DigestKind.PROBLEM_REPORT:
        text = f"Problem with {item.listing.name}: {Truncator(' '.join(item.text.split())).chars(80)}"
        path = reverse("feedback:manage_detail", args=[item.pk])
    else:
        service = item.service
        about = f"about {service.name}, for {service.organisation.name}" if service else "to the directory"
        text = f"Message {item.reference} {about}"
        path = reverse("admin:enquiries_enquiry_change", args=[item.pk])
    return text, settings.SITE_URL + path
