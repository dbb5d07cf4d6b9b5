"""Template filters over indicators.formatting, e.g. `{{ point|figure }}`."""

from django import template

from indicators import formatting

register = template.Library()

register.filter("figure", formatting.figure)
register.filter("limit", formatting.limit)
register.filter("computed_interval", formatting.computed_interval)
