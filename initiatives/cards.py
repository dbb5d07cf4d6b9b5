"""What a result card (templates/includes/cards.html) shows of a service, worked out in Python.

A list page draws twenty cards, and in a Django template each lookup, `with` and include costs
more than the Python it stands for: the card's lines are put together here, once a card, and the
template only places them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator

from .contact import WayToAct
from .models import Service, ServiceKind, ServiceStatus
from .opening_times import OpeningStatus

COST_LENGTH = 60  # characters of a cost shown on a card; the service's page has all of it
# Stands for each service's slug in the one address reversed for a whole list (see _detail_addresses).
_SLUG = "slug"


@dataclass(frozen=True)
class ServiceCard:
    service: Service
    slug: str
    name: str
    url: str
    meta: str  # "Organisation · Event · Ended"
    summary: str
    link_note: str  # how the service helps, where staff linked it to an indicator (addressing)
    way: WayToAct | None  # the main way to act: a call, an email, the website or a message
    cost: str  # "Free", the cost in at most COST_LENGTH characters, or ""
    modes_and_routes: str  # "In person, Online · Drop in"
    reach: str  # how far away, after a postcode search (Service.reach_label)
    opening: OpeningStatus | None


def service_cards(services) -> list[ServiceCard]:
    """A card for each service, fetched with ServiceQuerySet.for_listing() (and with_opening_times()
    for the opening times)."""
    address_of = _detail_addresses()
    return [_card(service, address_of(service.slug)) for service in services]


def _card(service: Service, url: str) -> ServiceCard:
    modes, routes = ", ".join(service.delivery_modes), ", ".join(service.access_routes)
    return ServiceCard(
        service=service,
        slug=service.slug,
        name=service.name,
        url=url,
        meta=" · ".join(_meta(service)),
        summary=service.summary,
        link_note=getattr(service, "link_note", ""),
        way=service.main_way_to_act,
        cost=_cost(service),
        modes_and_routes=" · ".join(part for part in (modes, routes) if part),
        reach=service.reach_label,
        opening=service.opening_status,
    )


def _meta(service: Service) -> list[str]:
    """Who runs it, then what it is and its state, when those are not the usual (a running service)."""
    meta = [service.organisation.name]
    if service.kind != ServiceKind.SERVICE:
        meta.append(service.get_kind_display())
    if service.has_ended:
        meta.append("Ended")
    elif service.status != ServiceStatus.ACTIVE:
        meta.append(service.get_status_display())
    return meta


def _cost(service: Service) -> str:
    if service.is_free:
        return "Free"
    return Truncator(service.cost_description).chars(COST_LENGTH)


def _detail_addresses():
    """Service.get_absolute_url for many slugs at the cost of one reverse(): the address of one slug,
    the slug swapped for each. A reverse() takes as long as the rest of a card's Python."""
    before, _, after = reverse("initiatives:service_detail", args=[_SLUG]).rpartition(_SLUG)
    return lambda slug: f"{before}{slug}{after}"
