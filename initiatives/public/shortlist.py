"""A resident's shortlist of services, kept in their session: no account, nothing else about them.

The session holds only service ids. What the list shows is always read again from the
published services, so a listing taken down after it was saved silently drops out. A list is
shared by a link naming its services' slugs (/my-list/shared/?s=...): it carries nothing about
the person who made it, and anyone who opens it sees the same published services. The resident
sends that link from their own email or messages app, so the directory never sees to whom.
"""

from urllib.parse import quote, urlencode

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from initiatives.models import Service

SESSION_KEY = "shortlist"
MAX_SERVICES = 50
SHARE_SUBJECT = "Services saved on MK Directory"


class ShortlistFull(Exception):
    pass


class Shortlist:
    """The ids saved in one session, oldest first."""

    def __init__(self, session):
        self.session = session

    @property
    def ids(self) -> list[int]:
        return list(self.session.get(SESSION_KEY, []))

    def __contains__(self, service) -> bool:
        return service.pk in self.ids

    def __len__(self):
        return len(self.ids)

    def add(self, service: Service) -> None:
        """Save a service (once). Raise ShortlistFull at MAX_SERVICES, after dropping unpublished ones."""
        ids = self.ids
        if service.pk in ids:
            return
        if len(ids) >= MAX_SERVICES:
            ids = list(Service.objects.published().filter(pk__in=ids).values_list("pk", flat=True))
            ids = [pk for pk in self.ids if pk in set(ids)]
        if len(ids) >= MAX_SERVICES:
            raise ShortlistFull
        self._save([*ids, service.pk])

    def remove(self, service_id: int) -> None:
        self._save([pk for pk in self.ids if pk != service_id])

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def services(self):
        """The saved services still published, with everything the list page prints, oldest first."""
        return _in_order(Service.objects, "pk", self.ids)

    def _save(self, ids: list[int]) -> None:
        self.session[SESSION_KEY] = ids


def shared_services(slugs: list[str]):
    """The published services a share link names, in its order; unknown or hidden ones drop out."""
    return _in_order(Service.objects, "slug", list(dict.fromkeys(slugs))[:MAX_SERVICES])


def share_url(services) -> str:
    """The read-only link to these services: their slugs, and nothing about whoever saved them."""
    return f"{reverse('initiatives:shortlist_shared')}?{urlencode([('s', s.slug) for s in services])}"


def share_by_email_url(link: str) -> str:
    """A mailto: link with no address, so the resident's email app opens with the list's link written in."""
    return "mailto:?" + urlencode({"subject": SHARE_SUBJECT, "body": _share_message(link)}, quote_via=quote)


def share_by_text_url(link: str) -> str:
    """An sms: link that opens the resident's messages app with the list's link written in."""
    # "sms:?&body=" is the one form both iPhones and Android phones read.
    return "sms:?&body=" + quote(_share_message(link), safe="")


def _share_message(link: str) -> str:
    return f"{SHARE_SUBJECT}: {link}"


def _in_order(services, field: str, values: list):
    if not values:
        return services.none()
    position = Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(values)),
        output_field=IntegerField(),
    )
    return services.filter(**{f"{field}__in": values}).for_public_display().order_by(position)


def saved_services(request) -> dict:
    """Template context: the ids in this visitor's list, read from the session only if a page asks."""
    return {"shortlist_ids": SimpleLazyObject(lambda: set(Shortlist(request.session).ids))}
