"""Building and sending the site's emails: plain-text subjects, and sends that never undo a change.

An email goes after the change it tells of is saved, so a mail server that is down, or a header
Django refuses, is logged for staff and never turned into an error page for a change already made.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context
from django.template.loader import get_template

logger = logging.getLogger(__name__)


def render_email_subject(template_name: str, context: dict) -> str:
    """The subject as plain text on one line: nothing HTML-escaped, every run of whitespace one space.

    Subjects are not HTML, so "Citizens Advice's" must not arrive as "Citizens Advice&#x27;s"; and
    a header must not hold a line break, which Django refuses to send.
    """
    template = get_template(template_name).template
    return " ".join(template.render(Context(context, autoescape=False)).split())


def email_send(*, subject: str, body: str, recipients: list[str]) -> bool:
    """Send now; log a failure of any kind rather than raise it. Return whether the email went."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except Exception:  # SMTP down, a refused header...: the change it tells of is already saved
        logger.exception("Email %r to %s recipient(s) not sent.", subject, len(recipients))
        return False
    return True


def email_send_on_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    """Send once the current transaction commits, and never if it rolls back; failures are logged."""
    transaction.on_commit(lambda: email_send(subject=subject, body=body, recipients=recipients))
