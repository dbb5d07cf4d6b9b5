"""Public pages: thin views over named QuerySet methods."""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from indicators.models import Indicator
from initiatives.caching import CachedResults, search_key
from initiatives.models import Need, Organisation, Service
from initiatives.search.services import unmatched_search_record

from .facets import Facet, selected_options, service_facets
from .filters import ServiceFilter

SEARCH_BAR_FIELDS = {"q", "postcode"}  # shown above the results, outside the folded filters


class HomeView(TemplateView):
    template_name = "initiatives/home.html"
    FIGURES_SHOWN = 3  # the home page leads with the needs; every figure is one click away

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            needs=Need.objects.top_level().prefetch_related("children"),
            headline_indicators=Indicator.objects.headline().with_figures()[: self.FIGURES_SHOWN],
            search_form=ServiceFilter().form,
            **kwargs,
        )


class ServiceListView(FilterView):
    filterset_class = ServiceFilter
    template_name = "initiatives/service_list.html"
    paginate_by = settings.SERVICES_PER_PAGE

    def get_queryset(self):
        return Service.objects.published().for_listing().with_opening_times()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, so the rule "ended services stay out unless asked for" applies to a bare URL too.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def paginate_queryset(self, queryset, page_size):
        """Out-of-range or non-numeric page numbers show the nearest real page, never an error.

        The order of the results is kept in the cache for the next page or the same search.
        """
        results = CachedResults(queryset, key=search_key(self.filterset))
        paginator = self.get_paginator(results, page_size)
        page = paginator.get_page(_page_number(self.request.GET.get(self.page_kwarg)))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facets"] = facets = self.facets
        context["active_filters"] = selected_options(facets, self.filterset.form)
        # The filters fold away on a phone; one with an error must be open to be put right.
        context["filters_open"] = bool(set(self.filterset.form.errors) - SEARCH_BAR_FIELDS)
        if not context["paginator"].count:
            context["general_advice"] = (
                Service.objects.published()
                .current()
                .for_listing()
                .with_opening_times()
                .with_needs(
                    Need.with_descendants(Need.objects.filter(slug=settings.GENERAL_ADVICE_NEED_SLUG))
                )
            )
            if self.words_searched:
                context["suggestion"] = self.filterset.suggestion()
        context["corrected_text"] = self.filterset.text_search.corrected_text
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.words_searched and not response.context_data["paginator"].count:
            # Counted for staff (the words and filters, never who) once the page is built from reads.
            unmatched_search_record(
                text=self.filterset.text_search.text, query=request.GET, filter_names=self.filterset.filters
            )
        return response

    @property
    def words_searched(self) -> bool:
        return bool(self.filterset.text_search.text) and not self.filterset.errors

    @cached_property
    def facets(self) -> list[Facet]:
        return service_facets(self.filterset)

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


def _page_number(raw: str | None):
    """Numbers below one mean the first page (get_page would send them to the last)."""
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return raw  # get_page shows the first page for anything that is not a number


class ServiceDetailView(DetailView):
    template_name = "initiatives/service_detail.html"
    context_object_name = "service"

    def get_queryset(self):
        return Service.objects.for_public_display()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            evidence=Indicator.objects.published().linked_to(service=self.object).with_figures(),
            context_facts=self.object.context_facts.published().select_related("source"),
            **kwargs,
        )


class OrganisationListView(ListView):
    template_name = "initiatives/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get_queryset(self):
        public_services = Q(services__in=Service.objects.published().current())
        return (
            Organisation.objects.published()
            .annotate(service_count=Count("services", filter=public_services))
            .defer("description")
            .order_by("name")
        )


class OrganisationDetailView(DetailView):
    template_name = "initiatives/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.for_public_display()

    def get_context_data(self, **kwargs):
        services = Service.objects.published().filter(organisation=self.object).for_listing()
        return super().get_context_data(
            current_services=services.current().with_opening_times(), past_services=services.past(), **kwargs
        )


class NeedDetailView(DetailView):
    template_name = "initiatives/need_detail.html"
    context_object_name = "need"
    SERVICES_SHOWN = 10  # the rest are one click away in the filtered list

    def get_object(self, queryset=None):
        return get_object_or_404(
            Need.objects.select_related("parent").prefetch_related("children"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        need_ids = Need.with_descendants([self.object])
        services = Service.objects.published().with_needs(need_ids).for_listing()
        current = services.current().with_opening_times()
        return super().get_context_data(
            current_services=current[: self.SERVICES_SHOWN],
            current_count=current.count(),
            past_services=services.past(),
            # A list: its first figure opens the page as one sentence, all of them follow the services.
            evidence=list(Indicator.objects.published().linked_to(need=self.object).with_figures()),
            context_facts=self.object.context_facts.published().select_related("source"),
            **kwargs,
        )
