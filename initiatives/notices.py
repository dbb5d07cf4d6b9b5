"""Emails stored before they are sent, so one the mail server refuses is tried again later.

An app keeps one row per email it owes (an `EmailNotice` subclass) in the transaction that makes the
change the email tells of; `notices_send` tries each row once and records what happened; the app's
management command, run from cron, tries the rows `to_retry()` again. A row still failing after
NOTICE_MAX_ATTEMPTS tries, or with an error that sending again cannot mend, is given up and logged,
and staff pass it on by hand.

The enquiries app's EnquiryNotice and the feedback app's ProblemReportNotice both build on it.
"""

import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.mail import BadHeaderError, send_mail
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# A notice still failing after this many tries needs a person.
NOTICE_MAX_ATTEMPTS = 10


class NoRecipients(LookupError):
    """Nobody to send the email to any more (every editor left, say): retrying cannot help."""


# Errors that sending the same email again cannot mend.
PERMANENT_ERRORS = (BadHeaderError, NoRecipients)


class EmailNoticeQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def to_retry(self):
        """Not sent yet and not given up on: what the retry command tries again."""
        return self.unsent().filter(given_up_at__isnull=True)

    def given_up(self):
        return self.unsent().filter(given_up_at__isnull=False)


class EmailNotice(models.Model):
    """One email owed, kept until it has gone, so a failed send can be retried."""

    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    given_up_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When retrying stopped: the email failed too often, or could never be sent as it is.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EmailNoticeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    @property
    def state(self) -> str:
        return "sent" if self.sent_at else "given up" if self.given_up_at else "not sent yet"


def notices_send(
    notices,
    *,
    recipients: Callable[[EmailNotice], list[str]],
    compose: Callable[[EmailNotice], tuple[str, str]],
    stop_at_first_failure: bool = False,
) -> tuple[int, int]:
    """Try to send each notice once; return how many went and how many failed (kept for a retry).

    In a resident's request, `stop_at_first_failure`: a mail server that is down or silent costs one
    wait (EMAIL_TIMEOUT), not one per email; the rest wait, stored, for the retry command.
    """
    sent = failed = 0
    for notice in notices:
        if notice_send(notice, recipients=recipients(notice), compose=partial(compose, notice)):
            sent += 1
            continue
        failed += 1
        if stop_at_first_failure:
            break
    return sent, failed


def notice_send(
    notice: EmailNotice, *, recipients: list[str], compose: Callable[[], tuple[str, str]]
) -> bool:
    """Try to send the notice once, recording the attempt; return whether it went.

    `compose` returns the subject and body; it is called only when there is someone to send to, and
    an error in it counts as a failed attempt like any mail error, never as an error page.
    """
    notice.attempts += 1
    try:
        if not recipients:
            raise NoRecipients("No one to send it to.")
        subject, body = compose()
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except Exception as error:  # SMTP down or refusing, a timeout, a bad header...: keep it for a retry
        _notice_failed(notice, error)
        return False
    notice.sent_at = timezone.now()
    notice.last_error = ""
    notice.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def _notice_failed(notice: EmailNotice, error: Exception) -> None:
    """Record the failure; stop retrying once it cannot succeed or has failed too often."""
    notice.last_error = f"{type(error).__name__}: {error}"[:200]
    if isinstance(error, PERMANENT_ERRORS) or notice.attempts >= NOTICE_MAX_ATTEMPTS:
        notice.given_up_at = timezone.now()
        logger.error(
            "%s %s given up after %s attempt(s): %s. Pass it on by hand.",
            notice._meta.verbose_name.capitalize(),
            notice.pk,
            notice.attempts,
            error,
        )
    else:
        logger.error(
            "%s %s stored but not emailed (attempt %s): %s. The retry command will try again.",
            notice._meta.verbose_name.capitalize(),
            notice.pk,
            notice.attempts,
            error,
        )
    notice.save(update_fields=["attempts", "last_error", "given_up_at"])
