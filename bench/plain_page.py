"""The yardstick of bench/run.py: a plain Django detail page of a service's shape, on the project's
own stack (settings, middleware, database), at /bench/plain/<slug>/.

Issue 14 measured such a page at about 2 ms with 3 queries and set its targets on that machine. This
machine may be faster or slower: the same page, measured in the same run as ours, says by how much,
so the targets can be read at this machine's speed. The project's own addresses are served as usual.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.generic import DetailView

from initiatives.models import Service

TEMPLATE = engines["django"].from_string(
    """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{{ service.name }}</title></head>
<body><h1>{{ service.name }}</h1>
<p>Run by {{ service.organisation.name }}</p>
<p>{{ service.summary }}</p>
{{ service.description|linebreaks }}
<h2>What it helps with</h2><ul>{% for need in service.needs.all %}<li>{{ need.name }}</li>{% endfor %}</ul>
<h2>Who it is for</h2>
<ul>{% for audience in service.audiences.all %}<li>{{ audience.name }}</li>{% endfor %}</ul>
<p>{% if service.is_free %}Free{% else %}{{ service.cost_description }}{% endif %}</p>
<p><a href="mailto:{{ service.email }}">{{ service.email }}</a> {{ service.phone }}</p>
</body></html>"""
)


class PlainServicePage(DetailView):
    """One service with its organisation, needs and audiences: three queries, nothing cached."""

    queryset = Service.objects.select_related("organisation").prefetch_related("needs", "audiences")

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(TEMPLATE.render(context, self.request))


urlpatterns = [
    path("bench/plain/<slug:slug>/", PlainServicePage.as_view()),
    path("", include("mkdirectory.urls")),
]
