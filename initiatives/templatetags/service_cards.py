"""Template wrappers over initiatives/cards.py.

`services|service_cards:shortlist_ids` gives the cards a list draws, each written by `{{ card.html }}`;
`{% save_button service %}` the "Save to my list" button of a service's own page.
"""

from django import template

from initiatives.cards import save_button as save_button_html
from initiatives.cards import service_cards

register = template.Library()
register.filter("service_cards", service_cards)


@register.simple_tag(takes_context=True)
def save_button(context, service):
    return save_button_html(service.pk, service.name, service.pk in context["shortlist_ids"])
