"""A result card (templates/includes/cards.html) for each service, worked out and written in Python.

A list page draws twenty cards. In a Django template each lookup, `if`, `with` and include of a card
costs more than the Python it stands for: the card's markup written by the template took 2.9 ms a
page, the same markup from format_html below takes 0.75 ms. Everything in it is escaped by
format_html, as the template escaped it.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .contact import WayToAct
from .models import Service, ServiceKind, ServiceStatus
from .opening_times import OpeningStatus

COST_LENGTH = 60  # characters of a cost shown on a card; the service's page has all of it


@dataclass(frozen=True)
class ServiceCard:
    pk: int
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
    saved: bool  # in this visitor's list

    def html(self) -> SafeString:
        """The card as a list shows it: `{{ card.html }}` in a template."""
        return format_html(
            '<li class="card" id="service-{}">\n<h3><a href="{}">{}</a></h3>\n<p class="meta">{}</p>\n'
            '<p>{}</p>\n{}<ul class="card-facts">\n{}</ul>\n{}</li>\n',
            self.slug,
            self.url,
            self.name,
            self.meta,
            self.summary,
            _line("<p><strong>How it helps:</strong> {}</p>\n", self.link_note),
            mark_safe("".join(self._facts())),  # each written by format_html
            save_button(self.pk, self.name, self.saved),
        )

    def _facts(self):
        if self.way:
            yield _way_to_act(self.way, self.name)
        yield _line("<li>{}</li>\n", self.cost)
        yield _line("<li>{}</li>\n", self.modes_and_routes)
        yield _line('<li class="reach">{}</li>\n', self.reach)
        if self.opening:
            state = " is-open" if self.opening.is_open else ""
            yield format_html('<li class="opening{}">{}</li>\n', state, self.opening)


def service_cards(services, saved_ids) -> list[ServiceCard]:
    """A card for each service, fetched with ServiceQuerySet.for_listing() (and with_opening_times()
    for the opening times); `saved_ids`: the services in this visitor's list."""
    return [_card(service, service.pk in saved_ids) for service in services]


def save_button(pk: int, name: str, saved: bool) -> SafeString:
    """The "Save to my list" button of one service, or "Remove" for a saved one: a button of the one form that
    templates/includes/save_form.html opens around a list of cards (no page repeats a form per card).
    The hidden name tells the buttons of a list apart for a screen reader, after the words on the
    button (WCAG 2.5.3)."""
    if saved:
        return format_html(
            '<p class="saved">Saved in <a href="{}">my list</a></p>\n<button name="service" value="{}" '
            'formaction="{}">Remove from my list<span class="visually-hidden">: {}</span></button>',
            reverse("initiatives:my_list"),
            pk,
            reverse("initiatives:shortlist_remove"),
            name,
        )
    return format_html(
        '<button name="service" value="{}">Save to my list<span class="visually-hidden">: {}</span></button>',
        pk,
        name,
    )


def _way_to_act(way: WayToAct, name: str) -> SafeString:
    """The main way to act, named for a screen reader where the words alone would repeat on every card."""
    if way.kind == "message":
        return format_html(
            '<li class="card-act"><a href="{}">Send a message<span class="visually-hidden"> about {}</span>'
            "</a></li>\n",
            way.href,
            name,
        )
    if way.kind == "website":
        return format_html(
            '<li class="card-act"><a href="{}">Visit the website<span class="visually-hidden"> of {}</span>'
            "</a></li>\n",
            way.href,
            name,
        )
    return format_html('<li class="card-act">{} <a href="{}">{}</a></li>\n', way.verb, way.href, way.text)


def _line(markup: str, text: str) -> SafeString | str:
    """`markup` around `text`, or nothing for no text."""
    return format_html(markup, text) if text else ""


def _card(service: Service, saved: bool) -> ServiceCard:
    modes, routes = ", ".join(service.delivery_modes), ", ".join(service.access_routes)
    return ServiceCard(
        pk=service.pk,
        slug=service.slug,
        name=service.name,
        url=service.get_absolute_url(),
        meta=" · ".join(_meta(service)),
        summary=service.summary,
        link_note=getattr(service, "link_note", ""),
        way=service.main_way_to_act,
        cost=_cost(service),
        modes_and_routes=" · ".join(part for part in (modes, routes) if part),
        reach=service.reach_label,
        opening=service.opening_status,
        saved=saved,
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
