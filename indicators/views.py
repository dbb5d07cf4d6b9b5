"""Public indicator pages: the local picture with its sources, charts and open data downloads."""

from django.conf import settings
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpResponse, JsonResponse
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from initiatives.csv_cells import write_csv
from initiatives.models import Service

from . import open_data
from .charts import build_chart
from .evidence import THIN_SUPPORT, evidence_csv_rows, need_evidence
from .models import ContextFact, Indicator
from .tables import values_by_period


class IndicatorListView(ListView):
    template_name = "indicators/indicator_list.html"
    context_object_name = "indicators"

    def get_queryset(self):
        return Indicator.objects.published().with_figures()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            context_facts=ContextFact.objects.published().select_related("source"), **kwargs
        )


class IndicatorDetailView(DetailView):
    template_name = "indicators/indicator_detail.html"
    context_object_name = "indicator"

    def get_queryset(self):
        return Indicator.objects.published().with_figures()

    def get_context_data(self, **kwargs):
        indicator = self.object
        return super().get_context_data(
            table=values_by_period(indicator.figures, default_source=indicator.source),
            chart=build_chart(indicator, indicator.figures, summary=indicator.assessment.summary),
            needs=indicator.needs.all(),
            services=Service.objects.published().addressing(indicator).for_listing(),
            context_facts=ContextFact.objects.published().about(indicator).select_related("source"),
            **kwargs,
        )


class IndicatorCsvView(DetailView):
    """The indicator's data points as CSV, in the import format plus their sources and licences."""

    def get_queryset(self):
        return Indicator.objects.published().with_figures()

    def render_to_response(self, context, **response_kwargs):
        indicator = self.object
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{open_data.download_name(indicator, "csv")}"'
        )
        write_csv(response, [open_data.CSV_COLUMNS, *open_data.csv_rows(indicator)])
        return response


class IndicatorJsonView(DetailView):
    """The indicator, its source and licence, its data points and the derived judgements as JSON."""

    def get_queryset(self):
        return Indicator.objects.published().with_figures()

    def render_to_response(self, context, **response_kwargs):
        indicator = self.object
        document = open_data.json_document(indicator, url=settings.SITE_URL + indicator.get_absolute_url())
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = (
            f'attachment; filename="{open_data.download_name(indicator, "json")}"'
        )
        return response


class StaffOnlyMixin(UserPassesTestMixin):
    """Staff only: anyone signed out goes to the staff login; anyone else signed in is refused (403)."""

    login_url = reverse_lazy("admin:login")

    def test_func(self):
        return self.request.user.is_staff


class EvidenceView(StaffOnlyMixin, TemplateView):
    template_name = "indicators/evidence.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(evidence=need_evidence(), evidence_threshold=THIN_SUPPORT, **kwargs)


class EvidenceCsvView(StaffOnlyMixin, View):
    def get(self, request):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="evidence-by-need.csv"'
        write_csv(response, evidence_csv_rows(need_evidence()))
        return response
