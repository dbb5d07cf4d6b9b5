"""Public pages: thin views over named QuerySet methods."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from indicators.models import Indicator
from initiatives.caching import cached
from initiatives.models import Need, Organisation, Service
from initiatives.page_cache import repeat_when_served_from_cache
from initiatives.search.services import unmatched_search_entry, unmatched_search_record

from .facets import Facet, selected_options, service_facets
from .filters import SearchResults, ServiceFilter

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
    GENERAL_ADVICE_SHOWN = 5  # offered when nothing matches; a link leads to the rest

    def get_queryset(self):
        return Service.objects.published().for_listing().with_opening_times()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, so the rule "ended services stay out unless asked for" applies to a bare URL too.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        # The order of the results is kept in the cache for the next page or the same search, so the
        # search is built only when it is not there (filters.SearchResults).
        self.object_list = SearchResults(self.filterset)
        response = self.render_to_response(self.get_context_data(filter=self.filterset))
        if self.words_searched and not response.context_data["paginator"].count:
            # Counted for staff (the words and filters, never who) once the page is built from reads.
            entry = unmatched_search_entry(
                text=self.filterset.text_search.text, query=request.GET, filter_names=self.filterset.filters
            )
            unmatched_search_record(**entry)
            repeat_when_served_from_cache(response, unmatched_search_record, **entry)
        return response

    def paginate_queryset(self, queryset, page_size):
        """Out-of-range or non-numeric page numbers show the nearest real page, never an error."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(_page_number(self.request.GET.get(self.page_kwarg)))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facets"] = facets = self.facets
        context["active_filters"] = selected_options(facets, self.filterset.form)
        # The filters fold away on a phone; one with an error must be open to be put right.
        context["filters_open"] = bool(set(self.filterset.form.errors) - SEARCH_BAR_FIELDS)
        if not context["paginator"].count:
            # A few to start from, not all of them: the page would grow with the directory.
            context["general_advice"] = (
                Service.objects.published()
                .current()
                .for_listing()
                .with_opening_times()
                .with_needs(
                    Need.with_descendants(Need.objects.filter(slug=settings.GENERAL_ADVICE_NEED_SLUG))
                )[: self.GENERAL_ADVICE_SHOWN]
            )
            context["general_advice_need"] = settings.GENERAL_ADVICE_NEED_SLUG
            if self.words_searched:
                context["suggestion"] = self.filterset.suggestion()
        context["corrected_text"] = self.filterset.text_search.corrected_text
        context["words_matched"] = self.object_list.words_matched
        return context

    @property
    def words_searched(self) -> bool:
        return bool(self.filterset.text_search.text) and not self.filterset.errors

    @cached_property
    def facets(self) -> list[Facet]:
        # Words are the costly part of a search: count among its results rather than search again.
        return service_facets(self.filterset, self.object_list.ids if self.words_searched else None)

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
    """A service's page, read from the database once per change of the directory (caching.py).

    Every write to the directory moves the cache's change counter on, so a service edited or hidden
    a moment ago never shows from the cache; only the sessions over since it was read are dropped.
    """

    template_name = "initiatives/service_detail.html"
    context_object_name = "service"

    def get_object(self, queryset=None):
        self.page = cached(f"service-page:{self.kwargs['slug']}", self._read_page)
        if self.page is None:
            raise Http404("No published service has that address.")
        service = self.page["service"]
        service.forget_sessions_over(timezone.now())
        return service

    def _read_page(self) -> dict | None:
        service = Service.objects.for_public_display().filter(slug=self.kwargs["slug"]).first()
        if service is None:
            return None
        return {
            "service": service,
            "evidence": list(Indicator.objects.published().linked_to(service=service).with_figures()),
            "context_facts": list(service.context_facts.published().select_related("source")),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            evidence=self.page["evidence"], context_facts=self.page["context_facts"], **kwargs
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
    """An organisation's page, read once per change of the directory and per day (services end at
    midnight), as ServiceDetailView is."""

    template_name = "initiatives/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        self.page = cached(f"organisation-page:{slug}:{timezone.localdate()}", self._read_page)
        if self.page is None:
            raise Http404("No published organisation has that address.")
        now = timezone.now()
        for service in self.page["current_services"]:
            service.forget_sessions_over(now)
        return self.page["organisation"]

    def _read_page(self) -> dict | None:
        organisation = Organisation.objects.for_public_display().filter(slug=self.kwargs["slug"]).first()
        if organisation is None:
            return None
        services = Service.objects.published().filter(organisation=organisation).for_listing()
        return {
            "organisation": organisation,
            "current_services": list(services.current().with_opening_times()),
            "past_services": list(services.past()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current_services=self.page["current_services"], past_services=self.page["past_services"], **kwargs
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
