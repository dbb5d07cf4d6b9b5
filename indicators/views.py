"""Public indicator pages: the local picture with its sources."""

from django.views.generic import DetailView, ListView

from initiatives.models import Service

from .models import Indicator
from .tables import values_by_period


class IndicatorListView(ListView):
    template_name = "indicators/indicator_list.html"
    context_object_name = "indicators"

    def get_queryset(self):
        return Indicator.objects.published().with_figures()


class IndicatorDetailView(DetailView):
    template_name = "indicators/indicator_detail.html"
    context_object_name = "indicator"

    def get_queryset(self):
        return Indicator.objects.published().with_figures()

    def get_context_data(self, **kwargs):
        indicator = self.object
        points = list(
            indicator.data_points.select_related("area", "source")
            .prefetch_related("stated_comparisons__comparator")
            .chronological()
        )
        return super().get_context_data(
            table=values_by_period(points, default_source=indicator.source),
            needs=indicator.needs.all(),
            services=Service.objects.published().filter(indicatorservice__indicator=indicator).for_listing(),
            **kwargs,
        )
