"""{% service_json_ld service %} and {% organisation_json_ld organisation %}: JSON-LD for search engines.

JSON-LD is data, not script, so the Content Security Policy does not stop crawlers reading it. The
JSON is escaped as django's json_script escapes it ("<", ">" and "&" as \\u003C and so on), so a
name containing "</script>" cannot end the element early.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..structured_data import organisation_data, service_data

register = template.Library()

HTML_SAFE_JSON = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(HTML_SAFE_JSON)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def service_json_ld(service):
    return json_ld(service_data(service))


@register.simple_tag
def organisation_json_ld(organisation):
    return json_ld(organisation_data(organisation))
