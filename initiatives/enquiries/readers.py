"""Who reads a resident's message: one rule for the pages that tell the resident and for the emails.

Every published, current service takes a message. Its organisation's editors read it when the
organisation has any we can email; otherwise the directory's staff read it and pass it on, so no
message waits for a reader who does not exist.
"""

from dataclasses import dataclass

from django.conf import settings

from initiatives.models import Organisation, Service


@dataclass(frozen=True)
class MessageReader:
    organisation: Organisation | None  # whom the message is for; None for a message to the directory
    by_editors: bool  # the organisation's editors read it; otherwise the directory's staff
    emails: tuple[str, ...]  # where the notice of a new message goes


def message_reader(service: Service | None) -> MessageReader:
    """Who reads a message about `service` (None: a message to the directory itself)."""
    organisation = service.organisation if service else None
    editors = _editor_emails(organisation) if organisation else ()
    if editors:
        return MessageReader(organisation=organisation, by_editors=True, emails=editors)
    return MessageReader(
        organisation=organisation, by_editors=False, emails=tuple(settings.STAFF_NOTIFICATION_EMAILS)
    )


def _editor_emails(organisation: Organisation) -> tuple[str, ...]:
    memberships = organisation.memberships.reachable_by_email()
    return tuple(memberships.values_list("user__email", flat=True).distinct())
