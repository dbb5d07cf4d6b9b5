"""Template filters over indicators.formatting and plain_english, e.g. `{{ point|figure }}`."""

from django import template

from indicators import formatting, plain_english

register = template.Library()

register.filter("figure", formatting.figure)
register.filter("limit", formatting.limit)
register.filter("computed_interval", formatting.computed_interval)
# `{{ indicator|change_sentence }}`: how the home figure changed over time (indicator loaded with_figures()).
register.filter("change_sentence", plain_english.change_sentence)
