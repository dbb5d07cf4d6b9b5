"""Template wrapper over initiatives/cards.py: `services|service_cards` gives the cards a list draws."""

from django import template

from initiatives.cards import service_cards

register = template.Library()
register.filter("service_cards", service_cards)
