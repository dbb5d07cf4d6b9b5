"""How a resident acts on a listing: call, email, visit the website, or send a message here.

A service's own details come first; where it has none of a kind, its organisation's stand in,
as the organisation answers for the services it runs.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings

from .addresses import slug_address

_NOT_DIALLED = re.compile(r"[^\d+]")  # spaces, brackets and dashes help people read, not phones dial


@dataclass(frozen=True)
class WayToAct:
    kind: str  # phone, email, website or message
    verb: str  # what the resident does: "Call", "Email"...
    text: str  # the number, address or page
    href: str
    whose: str = ""  # the organisation's name, when its details stand in for the service's


def ways_to_act(service) -> list[WayToAct]:
    """Every way to get in touch, most direct first; a current service always takes a message."""
    organisation = service.organisation
    ways = []
    for kind, verb, href in (
        ("phone", "Call", tel_href),
        ("email", "Email", lambda address: "mailto:" + address),
        ("website", "Website", lambda url: url),
    ):
        own, theirs = getattr(service, kind), getattr(organisation, kind)
        if own or theirs:
            ways.append(
                WayToAct(kind, verb, own or theirs, href(own or theirs), "" if own else organisation.name)
            )
    if not service.has_ended:
        message_url = slug_address("enquiries:service_enquiry", service.slug)
        ways.append(WayToAct("message", "Send a message", "through this website", message_url))
    return ways


def tel_href(number: str) -> str:
    """A tel: link a phone can dial, from a number written for people ("01908 123456")."""
    return "tel:" + _NOT_DIALLED.sub("", number)


def directions_url(location) -> str:
    """A link to a public map's directions to the place; nothing from the map site is loaded here."""
    if location.latitude is not None and location.longitude is not None:
        destination = f"{location.latitude},{location.longitude}"
    elif location.postcode:
        destination = location.postcode
    else:
        return ""  # a name alone could be anywhere
    return settings.DIRECTIONS_URL.format(destination=quote(destination, safe=","))


def details_not_listed(service) -> str:
    """What a resident needs and the listing does not say yet, as "opening times and cost".

    The page shows it as one line ("Not listed yet: ... Ask ..."), never a row per empty field.
    Reads only what for_public_display fetched.
    """
    missing = []
    if service.service_area == "places" and not service.locations.all():
        missing.append("where it happens")
    sessions = getattr(service, "upcoming_sessions", None)
    if not (service.schedules.all() or sessions or service.dates_note or service.starts_on):
        missing.append("opening times")
    if not (service.is_free or service.cost_description or service.cost_options.all()):
        missing.append("cost")
    if len(missing) > 1:
        return ", ".join(missing[:-1]) + " and " + missing[-1]
    return "".join(missing)
