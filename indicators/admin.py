"""Staff admin for indicators, their figures and the sources they are cited from."""

from django.contrib import admin

from initiatives.admin import (
    HTTPS_URL_FIELDS,
    PUBLICATION_FIELDS,
    PUBLICATION_HELP,
    ListingAdmin,
    ReviewDueFilter,
)

from .admin_import import ImportBatchAdmin  # noqa: F401  (registers the spreadsheet import admin)
from .models import (
    Area,
    ContextFact,
    DataPoint,
    Indicator,
    IndicatorNeed,
    IndicatorService,
    Source,
    StatedComparison,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["title", "publisher", "published_label", "accessed_label", "licence"]
    list_filter = ["publisher"]
    search_fields = ["publisher", "title", "url", "notes"]
    ordering = ["publisher", "title"]
    fieldsets = [
        (
            "Citation",
            {
                "fields": ["publisher", "title", "url"],
                "description": "Cite the source exactly as its publisher names it.",
            },
        ),
        ("Dates", {"fields": ["published_label", "published_on", "accessed_label"]}),
        ("Reuse and method", {"fields": ["licence", "notes"]}),
    ]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "is_home"]
    list_filter = ["kind", "is_home"]
    search_fields = ["name", "code"]
    ordering = ["-is_home", "kind", "name"]


class DataPointInline(admin.TabularInline):
    model = DataPoint
    fields = [
        "area",
        "period_label",
        "period_start",
        "period_end",
        "value",
        "lower_limit",
        "upper_limit",
        "rank",
        "rank_out_of",
        "stated_trend",
    ]
    autocomplete_fields = ["area"]
    extra = 0
    show_change_link = True
    verbose_name_plural = "figures (open one to add its own source, notes or stated comparisons)"


class IndicatorNeedInline(admin.TabularInline):
    model = IndicatorNeed
    autocomplete_fields = ["need"]
    extra = 0
    verbose_name_plural = "needs this indicator is evidence for"


class IndicatorServiceInline(admin.TabularInline):
    model = IndicatorService
    autocomplete_fields = ["service"]
    extra = 0
    verbose_name_plural = "services that address it"


@admin.register(Indicator)
class IndicatorAdmin(ListingAdmin):
    list_display = [
        "title",
        "source",
        "value_type",
        "headline_position",
        "publication_state",
        "last_verified_on",
        "review_due_on",
    ]
    list_filter = [
        "publication_state",
        ReviewDueFilter,
        "value_type",
        "polarity",
        ("source", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "slug", "definition", "source__publisher", "source__title"]
    list_select_related = ["source"]
    autocomplete_fields = ["source"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["title"]
    inlines = [DataPointInline, IndicatorNeedInline, IndicatorServiceInline]
    fieldsets = [
        ("About", {"fields": ["title", "slug", "definition", "why_it_matters"]}),
        (
            "How figures are shown",
            {
                "fields": [
                    ("value_type", "unit", "decimal_places"),
                    "what_it_counts",
                    "rank_scope",
                    "polarity",
                    "frequency",
                ],
                "description": "Polarity: whether a higher figure is better, worse or neither for residents.",
            },
        ),
        ("Source", {"fields": ["source", "caveats"]}),
        (
            "Home page",
            {
                "fields": ["headline_position"],
                "description": "Only published indicators with a position appear on the home page.",
            },
        ),
        ("Publication", {"fields": PUBLICATION_FIELDS, "description": PUBLICATION_HELP}),
    ]


class StatedComparisonInline(admin.TabularInline):
    model = StatedComparison
    autocomplete_fields = ["comparator"]
    extra = 0
    verbose_name_plural = "comparisons the source states in words"


@admin.register(DataPoint)
class DataPointAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "period_label", "value", "rank", "stated_trend"]
    list_filter = ["indicator", "area", "stated_trend"]
    search_fields = ["indicator__title", "area__name", "area__code", "period_label"]
    list_select_related = ["indicator", "area"]
    autocomplete_fields = ["indicator", "area", "source"]
    ordering = ["indicator__title", "-period_start"]
    readonly_fields = ["import_batch"]
    inlines = [StatedComparisonInline]
    change_list_template = "admin/indicators/datapoint/change_list.html"
    fieldsets = [
        (None, {"fields": ["indicator", "area"]}),
        (
            "Period",
            {
                "fields": ["period_label", ("period_start", "period_end")],
                "description": "Name the period as the source does; the dates put figures in order.",
            },
        ),
        (
            "Value",
            {
                "fields": [
                    "value",
                    ("lower_limit", "upper_limit"),
                    "sample_size",
                    ("rank", "rank_out_of"),
                ],
                "description": "Give a value, a rank or both. Limits are the published confidence interval.",
            },
        ),
        (
            "As the source states it",
            {"fields": ["stated_trend", "status_note", "source"]},
        ),
        ("Provenance", {"fields": ["import_batch"]}),
    ]


@admin.register(ContextFact)
class ContextFactAdmin(ListingAdmin):
    list_display = [
        "title",
        "display_value",
        "date_label",
        "source",
        "publication_state",
        "last_verified_on",
        "review_due_on",
    ]
    list_filter = [
        "publication_state",
        ReviewDueFilter,
        "is_approximate",
        ("source", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "slug", "display_value", "description", "source__publisher"]
    list_select_related = ["source"]
    autocomplete_fields = ["source", "needs", "services"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["title"]
    fieldsets = [
        (
            "The figure",
            {
                "fields": ["title", "slug", ("value", "display_value", "is_approximate"), "date_label"],
                "description": "The value sorts and checks the figure; residents read the display value.",
            },
        ),
        ("Context", {"fields": ["description", "source", "needs", "services"]}),
        ("Publication", {"fields": PUBLICATION_FIELDS, "description": PUBLICATION_HELP}),
    ]
