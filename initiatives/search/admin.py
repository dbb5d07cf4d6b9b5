"""Staff admin for the search: the synonyms list, and the searches residents make that find nothing."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone

from .models import Synonym, UnmatchedSearch


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["terms"]
    search_fields = ["terms"]
    fields = ["terms"]


class PeriodFilter(admin.SimpleListFilter):
    """Which days' counts to add up: today, this month, last month or the last 12 months."""

    title = "period"
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [
            ("today", "Today"),
            ("this-month", "This month"),
            ("last-month", "Last month"),
            ("12-months", "The last 12 months"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        this_month = today.replace(day=1)
        last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
        days = {
            "today": {"day": today},
            "this-month": {"day__gte": this_month},
            "last-month": {"day__gte": last_month, "day__lt": this_month},
            "12-months": {"day__gte": this_month.replace(year=this_month.year - 1)},
        }.get(self.value())
        return queryset.filter(**days) if days else queryset


class TotalsChangeList(ChangeList):
    """Each text once, with its searches added up over the days the period and search chose."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).totals()


@admin.register(UnmatchedSearch)
class UnmatchedSearchAdmin(admin.ModelAdmin):
    """Read only: what residents looked for and did not find, the most frequent first.

    Stored as a count per text per day; listed as a total per text over the period chosen. A
    frequent search here may need a synonym, a new need, or a service the directory lacks.
    """

    list_display = ["text", "filters", "searches", "first_day", "last_day"]
    list_display_links = None
    list_filter = [PeriodFilter]
    search_fields = ["words"]
    sortable_by = ()  # always the most frequent first: the totals are added up after any sorting
    show_full_result_count = False  # that would count days, not texts

    def get_changelist(self, request, **kwargs):
        return TotalsChangeList

    @admin.display(description="words")
    def text(self, search):
        if search.is_other_searches:
            return (
                "Other searches: new words past the day's limit "
                f"({settings.UNMATCHED_SEARCHES_PER_DAY} a day), not listed one by one"
            )
        return search.words

    @admin.display(description="searches")
    def searches(self, search):
        return search.searches

    @admin.display(description="first day")
    def first_day(self, search):
        return search.first_day

    @admin.display(description="last day")
    def last_day(self, search):
        return search.last_day

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # kept for UNMATCHED_SEARCH_RETENTION_MONTHS, then purge_unmatched_searches
