"""The public service search: each parameter ORs its values, parameters AND together."""

from functools import cached_property

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Lower

from .models import AccessRoute, Audience, DeliveryMode, Need, Service, ServiceKind


class SortOrder:
    RELEVANCE = "relevance"
    NAME = "name"
    RECENTLY_CHECKED = "checked"
    CHOICES = [
        (RELEVANCE, "Best match"),
        (NAME, "Name (A to Z)"),
        (RECENTLY_CHECKED, "Most recently checked"),
    ]


def _unknown_choice_message(what: str) -> dict:
    return {
        "invalid_choice": f"We do not have {what} called “%(value)s”. Choose from the list.",
        "invalid_pk_value": f"We do not have {what} called “%(pk)s”. Choose from the list.",
        "invalid_list": f"Choose {what} from the list.",
    }


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_words",
        label="Search",
        max_length=200,
        help_text="For example: job, CV, computer skills, visa.",
    )
    need = django_filters.ModelMultipleChoiceFilter(
        queryset=Need.objects.all(),
        to_field_name="slug",
        method="filter_needs",
        label="What you need help with",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_unknown_choice_message("a need"),
    )
    audience = django_filters.ModelMultipleChoiceFilter(
        queryset=Audience.objects.all(),
        to_field_name="slug",
        method="filter_audiences",
        label="Who it is for",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_unknown_choice_message("a group"),
    )
    mode = django_filters.MultipleChoiceFilter(
        choices=DeliveryMode.choices,
        method="filter_modes",
        label="How you want help",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_unknown_choice_message("a way of getting help"),
    )
    free = django_filters.BooleanFilter(
        method="filter_free", label="Free of charge", widget=forms.CheckboxInput
    )
    access = django_filters.MultipleChoiceFilter(
        choices=AccessRoute.choices,
        method="filter_access",
        label="How to start",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_unknown_choice_message("a way to start"),
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=ServiceKind.choices,
        label="Type",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_unknown_choice_message("a type"),
    )
    include_ended = django_filters.BooleanFilter(
        method="filter_include_ended",
        label="Include past events and services that have ended",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(
        choices=SortOrder.CHOICES,
        method="filter_sort",
        label="Sort by",
        empty_label=None,
        error_messages=_unknown_choice_message("a sort order"),
    )

    class Meta:
        model = Service
        fields = ["q", "need", "audience", "mode", "free", "access", "kind", "include_ended", "sort"]

    def filter_queryset(self, queryset):
        queryset = self.filter_queryset_except(queryset, exclude=())
        return self.filter_sort(queryset, "sort", self.form.cleaned_data.get("sort"))

    def filter_queryset_except(self, queryset, *, exclude):
        """Apply every valid filter except those named, so a facet can count its own options."""
        cleaned = self.form.cleaned_data
        for name in self.Meta.fields:
            if name == "sort" or name in exclude or name not in cleaned:
                continue
            if name == "include_ended":
                # Applied even when unticked: ended services stay out unless asked for.
                queryset = self.filter_include_ended(queryset, name, cleaned[name])
            elif cleaned[name]:  # an unticked group (an empty list or queryset) filters nothing
                queryset = self.filters[name].filter(queryset, cleaned[name])
        return queryset

    def filter_words(self, queryset, name, value):
        return queryset.matching_words(value)

    @cached_property
    def selected_need_ids(self) -> set[int]:
        """The chosen needs and every need below them, looked up once per request."""
        return Need.with_descendants(self.form.cleaned_data["need"])

    def filter_needs(self, queryset, name, value):
        return queryset.with_needs(self.selected_need_ids)

    def filter_audiences(self, queryset, name, value):
        return queryset.with_audiences([audience.pk for audience in value])

    def filter_modes(self, queryset, name, value):
        return queryset.with_any_mode(value)

    def filter_access(self, queryset, name, value):
        return queryset.with_any_access(value)

    def filter_free(self, queryset, name, value):
        return queryset.filter(is_free=True) if value else queryset

    def filter_include_ended(self, queryset, name, value):
        return queryset if value else queryset.current()

    def filter_sort(self, queryset, name, value):
        words = self.form.cleaned_data.get("q", "").split()
        by_name = (Lower("name"), "pk")  # "apple" between "Apple" and "Banana", on every database
        if value == SortOrder.NAME or (value in ("", None, SortOrder.RELEVANCE) and not words):
            return queryset.order_by(*by_name)
        if value == SortOrder.RECENTLY_CHECKED:
            return queryset.order_by(F("last_verified_on").desc(nulls_last=True), *by_name)
        return queryset.annotate(relevance=_relevance(words)).order_by("-relevance", *by_name)


def _relevance(words: list[str]):
    """Score a match in the name above one in the summary above one elsewhere."""
    name_hits = Q()
    summary_hits = Q()
    for word in words:
        name_hits &= Q(name__icontains=word)
        summary_hits &= Q(summary__icontains=word)
    return Case(
        When(name_hits, then=Value(3)),
        When(summary_hits, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
