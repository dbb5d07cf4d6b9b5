"""The public service search: each parameter ORs its values, parameters AND together."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from initiatives.caching import cached, search_key
from initiatives.models import AccessRoute, Audience, DeliveryMode, Need, Service, ServiceKind
from initiatives.search.engine import Suggestion, TextSearch

from .filter_fields import (
    DAY_CHOICES,
    DISTANCE_CHOICES,
    SORT_BY_DISTANCE,
    WEEKDAY_OF,
    AgeFilter,
    PostcodeFilter,
    ServiceFilterForm,
    VocabularyFilter,
)


class SortOrder:
    RELEVANCE = "relevance"
    NAME = "name"
    RECENTLY_CHECKED = "checked"
    DISTANCE = SORT_BY_DISTANCE  # the default when a postcode is given
    CHOICES = [
        (RELEVANCE, "Best match"),
        (NAME, "Name (A to Z)"),
        (RECENTLY_CHECKED, "Most recently checked"),
        (DISTANCE, "Nearest first"),
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
    need = VocabularyFilter(
        queryset=Need.objects.all(),
        to_field_name="slug",
        method="filter_needs",
        label="What you need help with",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_unknown_choice_message("a need"),
    )
    audience = VocabularyFilter(
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
    age = AgeFilter(method="filter_age", label="Age", help_text="In years, for example 42.")
    postcode = PostcodeFilter(
        method="filter_postcode",
        label="Postcode",
        help_text="All of it, like MK9 3EP, or the first part, like MK9.",
    )
    distance = django_filters.ChoiceFilter(
        choices=DISTANCE_CHOICES,
        method="filter_distance",
        label="Distance",
        empty_label="Any distance",
        error_messages=_unknown_choice_message("a distance"),
    )
    day = django_filters.MultipleChoiceFilter(
        choices=DAY_CHOICES,
        method="filter_days",
        label="Open on",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_unknown_choice_message("a day"),
    )
    open_now = django_filters.BooleanFilter(
        method="filter_open_now", label="Open now", widget=forms.CheckboxInput
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
        form = ServiceFilterForm
        fields = [
            "q",
            "need",
            "audience",
            "mode",
            "free",
            "access",
            "kind",
            "age",
            "postcode",
            "distance",
            "day",
            "open_now",
            "include_ended",
            "sort",
        ]

    def filter_queryset(self, queryset):
        queryset = self.filter_queryset_except(queryset, exclude=())
        if located := self.form.cleaned_data.get("postcode"):
            queryset = queryset.with_distance(located.point, self.distance_miles)
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
            elif cleaned[name] or (name == "age" and cleaned[name] == 0):
                # An unticked group (an empty list or queryset) filters nothing; age 0 is an age.
                queryset = self.filters[name].filter(queryset, cleaned[name])
        return queryset

    @cached_property
    def text_search(self) -> TextSearch:
        """The words typed, analysed once per request (synonyms, misspellings) for results and counts."""
        return TextSearch(getattr(self.form, "cleaned_data", {}).get("q", ""))

    def filter_words(self, queryset, name, value):
        """Services with every word; when none has them all, those with the most (never none)."""
        return self.text_search.filter_best_matches(queryset)

    def suggestion(self) -> Suggestion | None:
        """'Did you mean ...' with the other filters kept, when corrected words would find something."""
        return self.text_search.suggestion(
            self.filter_queryset_except(self.queryset, exclude={"q"}), self.form.data
        )

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

    def filter_age(self, queryset, name, value):
        return queryset.for_age(value)

    def filter_postcode(self, queryset, name, value):
        return queryset  # alone, a postcode sorts and labels the results (filter_queryset), never drops any

    @property
    def distance_miles(self) -> int | None:
        distance = self.form.cleaned_data.get("distance")
        return int(distance) if distance else None

    def filter_distance(self, queryset, name, value):
        located = self.form.cleaned_data.get("postcode")
        return queryset.within(located.point, self.distance_miles) if located else queryset

    def filter_days(self, queryset, name, value):
        return queryset.open_on_days([WEEKDAY_OF[day] for day in value], timezone.now())

    def filter_open_now(self, queryset, name, value):
        return queryset.open_at(timezone.now()) if value else queryset

    def filter_include_ended(self, queryset, name, value):
        return queryset if value else queryset.current()

    @property
    def sort_order(self) -> str:
        """The order the results are in: as chosen, else nearest first from a postcode."""
        cleaned = getattr(self.form, "cleaned_data", {})
        if not cleaned.get("sort") and cleaned.get("postcode"):
            return SortOrder.DISTANCE
        return cleaned.get("sort") or SortOrder.RELEVANCE

    @property
    def sort_menu(self) -> list[tuple[str, str]]:
        """The "Sort by" options. The first sends no choice, so a postcode typed later still sorts
        nearest first; with a postcode it says so, and best match becomes a choice of its own."""
        if getattr(self.form, "cleaned_data", {}).get("postcode"):
            first = [("", "Nearest first"), (SortOrder.RELEVANCE, "Best match")]
        else:
            first = [("", "Best match")]
        return first + [
            (SortOrder.NAME, "Name (A to Z)"),
            (SortOrder.RECENTLY_CHECKED, "Most recently checked"),
        ]

    def filter_sort(self, queryset, name, value):
        typed = self.text_search.text
        by_name = (Lower("name"), "pk")  # "apple" between "Apple" and "Banana", on every database
        if self.sort_order == SortOrder.DISTANCE:
            # Places near the postcode, nearest first; then services anyone in Milton Keynes can use.
            return queryset.order_by(
                F("nearest_distance").asc(nulls_last=True), F("reaches_anywhere").desc(), *by_name
            )
        if value == SortOrder.NAME or (value in ("", None, SortOrder.RELEVANCE) and not typed):
            return queryset.order_by(*by_name)
        if value == SortOrder.RECENTLY_CHECKED:
            return queryset.order_by(F("last_verified_on").desc(nulls_last=True), *by_name)
        return self.text_search.order_by_relevance(queryset, *by_name)


# What ServiceQuerySet.with_distance annotates and Service.reach reads.
REACH_COLUMNS = ("nearest_distance", "reaches_anywhere")


@dataclass(frozen=True)
class Found:
    """A search's results as kept in the cache."""

    ids: list[int]
    words_matched: int | None = None  # see SearchResults.words_matched
    reach: dict[int, tuple] | None = None  # after a postcode search: REACH_COLUMNS of each result


class SearchResults(Sequence):
    """A search's results in order, for the paginator: the ids of all of them worked out once (and
    cached under caching.search_key), the rows a page at a time.

    The search itself is built only when its ids are not in the cache. A page's rows are fetched by
    id among the filter's starting queryset (the published services), so a service hidden since the
    ids were cached drops out at once rather than showing for a minute; no other filter is run again.
    After a postcode search, each result's distance is kept with its id: worked out again for a page,
    it cost a fifth of the page's time.
    """

    def __init__(self, filterset: ServiceFilter):
        self.filterset = filterset

    @cached_property
    def _found(self) -> Found:
        if self.filterset.errors:
            return Found(ids=[])
        key = search_key(self.filterset)
        return cached(f"search-results:{key}", self._search) if key else self._search()

    def _search(self) -> Found:
        results = self.filterset.qs.prefetch_related(None)
        located = bool(self.filterset.form.cleaned_data.get("postcode"))
        ranked = self.filterset.text_search.word_count >= 2
        # Rows of (pk, *REACH_COLUMNS if located, words_matched if ranked).
        found = list(
            results.values_list(
                "pk", *(REACH_COLUMNS if located else ()), *(["words_matched"] if ranked else ())
            )
        )
        return Found(
            ids=[row[0] for row in found],
            words_matched=found[0][-1] if ranked and found else None,
            reach={row[0]: row[1 : 1 + len(REACH_COLUMNS)] for row in found} if located else None,
        )

    @property
    def ids(self) -> list[int]:
        return self._found.ids

    @property
    def words_matched(self) -> int | None:
        """How many of the words searched for each result matches (the most any service does)."""
        return self._found.words_matched

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = self.ids[index]
        by_id = {row.pk: row for row in self.filterset.queryset.filter(pk__in=wanted).order_by()}
        if (reach := self._found.reach) is not None:
            for pk, row in by_id.items():
                for column, value in zip(REACH_COLUMNS, reach[pk], strict=True):
                    setattr(row, column, value)
        return [by_id[pk] for pk in wanted if pk in by_id]
