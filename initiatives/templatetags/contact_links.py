"""Template wrappers over initiatives/contact.py, so every page dials a number the same way."""

from django import template

from initiatives import contact

register = template.Library()
register.filter("tel_href", contact.tel_href)
