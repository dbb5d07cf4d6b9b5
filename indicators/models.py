"""Local economic indicators and the cited figures that show why a service matters."""

from django.conf import settings
from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from initiatives.models import Need, Service
from initiatives.publishing import Publishable, PublishableQuerySet
from initiatives.text_rules import single_line

from . import plain_english
from .choices import (
    AreaKind,
    ChangeKind,
    ComparisonRelation,
    ImportLayout,
    ImportStatus,
    Polarity,
    StatedTrend,
    ValueType,
)
from .judgements import assess


class Source(models.Model):
    """Where a figure comes from, cited as the publisher gives it."""

    publisher = models.CharField(max_length=200, validators=[single_line])
    title = models.CharField(max_length=300, validators=[single_line])
    url = models.URLField(blank=True)
    published_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="Publication date as the source gives it, e.g. 'January 2025'.",
        validators=[single_line],
    )
    published_on = models.DateField(null=True, blank=True, help_text="Exact date, where known.")
    accessed_label = models.CharField(
        max_length=100, blank=True, help_text="e.g. 'November 2025'.", validators=[single_line]
    )
    licence = models.CharField(max_length=200, blank=True, validators=[single_line])
    notes = models.TextField(blank=True, help_text="Underlying data, method notes, discrepancies.")

    class Meta:
        ordering = ["publisher", "title"]
        constraints = [
            models.UniqueConstraint(fields=["publisher", "title"], name="source_unique_citation"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    @property
    def citation(self) -> str:
        parts = [self.publisher, f"“{self.title}”"]
        if self.published_label:
            parts.append(self.published_label)
        return ", ".join(parts)


class Area(models.Model):
    """A geography with its official (ONS GSS) code."""

    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    code = models.CharField(
        max_length=9, unique=True, help_text="ONS GSS code, e.g. E06000042.", validators=[single_line]
    )
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    is_home = models.BooleanField(
        default=False, help_text="The area this directory serves; every indicator is read from its view."
    )

    class Meta:
        ordering = ["-is_home", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_home"], condition=Q(is_home=True), name="area_single_home"),
            models.CheckConstraint(condition=Q(kind__in=AreaKind.values), name="area_kind_valid"),
        ]

    def __str__(self):
        return self.name


class IndicatorQuerySet(PublishableQuerySet):
    def headline(self):
        return self.published().filter(headline_position__isnull=False).order_by("headline_position")

    def with_figures(self):
        """Attach `figures`: every data point, latest first, with its area and citations."""
        # Each comparison with its comparator area in one query, not two.
        comparisons = StatedComparison.objects.select_related("comparator")
        figures = (
            DataPoint.objects.select_related("area", "source")
            .prefetch_related(models.Prefetch("stated_comparisons", queryset=comparisons))
            .order_by("-period_end", "-period_start", "-area__is_home", "area__name")
        )
        return self.select_related("source").prefetch_related(
            models.Prefetch("data_points", queryset=figures, to_attr="figures")
        )

    def linked_to(self, *, need=None, service=None):
        """Indicators staff linked to a need or a service, with the link's note as `link_note`.

        Headline figures come first, in their home page order.
        """
        relation, condition = (
            ("indicatorneed", Q(indicatorneed__need=need))
            if need is not None
            else ("indicatorservice", Q(indicatorservice__service=service))
        )
        return (
            self.annotate(link=FilteredRelation(relation, condition=condition))
            .filter(link__isnull=False)
            .annotate(link_note=F("link__note"))
            .order_by(F("headline_position").asc(nulls_last=True), "title")
        )


class Indicator(Publishable):
    """A measure of the local picture, defined as Fingertips and ONS define theirs."""

    title = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    definition = models.TextField(help_text="Exactly what is counted or measured.")
    why_it_matters = models.TextField(help_text="Plain English: why a resident or funder should care.")
    value_type = models.CharField(max_length=12, choices=ValueType.choices)
    unit = models.CharField(
        max_length=40, blank=True, help_text="e.g. '%', 'households'.", validators=[single_line]
    )
    decimal_places = models.PositiveSmallIntegerField(default=0)
    what_it_counts = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Plain words that make the figure a sentence on resident pages. For a percentage, count or "
            "survey, the words after the number: 'of people were unemployed' reads '4.34% of people "
            "were unemployed'. For an amount, a change or a rank, what is measured: 'average weekly "
            "pay'. Leave empty to lead with the title."
        ),
        validators=[single_line],
    )
    rank_scope = models.CharField(
        max_length=100,
        blank=True,
        help_text=(
            "For ranks: where or among what the place was ranked, as the source words it. Starting with "
            "'in', 'among', 'across' or 'within' it is used as written: 'in the UK' reads '4th in the UK'. "
            "Otherwise name what was ranked: 'UK cities' reads '8th among UK cities', or '4th of 63 UK "
            "cities' where the figure gives how many were ranked. Leave empty for just '4th'."
        ),
        validators=[single_line],
    )
    polarity = models.CharField(max_length=15, choices=Polarity.choices, default=Polarity.NO_JUDGEMENT)
    frequency = models.CharField(
        max_length=100, blank=True, help_text="How often it is published.", validators=[single_line]
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="indicators")
    caveats = models.TextField(blank=True)
    headline_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Show on the home page in this order; leave empty to leave it off."
    )
    needs = models.ManyToManyField(Need, through="IndicatorNeed", related_name="indicators", blank=True)
    services = models.ManyToManyField(
        Service, through="IndicatorService", related_name="indicators", blank=True
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            Publishable.state_constraint("indicator_state_valid"),
            models.CheckConstraint(
                condition=Q(value_type__in=ValueType.values), name="indicator_value_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(polarity__in=Polarity.values), name="indicator_polarity_valid"
            ),
            models.CheckConstraint(condition=Q(decimal_places__lte=6), name="indicator_decimal_places_small"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", args=[self.slug])

    @cached_property
    def latest_home_figure(self):
        """The newest value for the home area; needs `with_figures()`."""
        return next((point for point in self.figures if point.area.is_home), None)

    @cached_property
    def assessment(self):
        """Comparisons, trend and a one-sentence summary, derived from `figures` without queries."""
        return assess(self)

    @cached_property
    def plain_sentence(self) -> str:
        """The latest home figure as one sentence for resident pages; needs `with_figures()`."""
        return plain_english.plain_sentence(self, self.latest_home_figure)

    @cached_property
    def comparator_figures(self):
        """Other areas' values for the same period as the latest home figure."""
        latest = self.latest_home_figure
        if latest is None:
            return []
        return [
            point
            for point in self.figures
            if not point.area.is_home
            and (point.period_start, point.period_end) == (latest.period_start, latest.period_end)
        ]


class IndicatorNeed(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    need = models.ForeignKey(Need, on_delete=models.CASCADE)
    note = models.CharField(
        max_length=300, blank=True, help_text="How this figure relates to the need.", validators=[single_line]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "need"], name="indicator_need_unique")]

    def __str__(self):
        return f"{self.indicator} → {self.need}"


class IndicatorService(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    note = models.CharField(
        max_length=300, blank=True, help_text="How the service addresses it.", validators=[single_line]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "service"], name="indicator_service_unique")
        ]

    def __str__(self):
        return f"{self.indicator} → {self.service}"


class DataPoint(models.Model):
    """One value of an indicator for one area and period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="data_points")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="data_points")
    period_label = models.CharField(
        max_length=100, help_text="As the source names it, e.g. 'August 2025'.", validators=[single_line]
    )
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    lower_limit = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    upper_limit = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    rank_out_of = models.PositiveIntegerField(null=True, blank=True)
    stated_trend = models.CharField(
        max_length=10,
        choices=StatedTrend.choices,
        blank=True,
        help_text="Only where the source states a direction of change without the earlier value.",
    )
    status_note = models.CharField(max_length=500, blank=True, validators=[single_line])
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Leave empty to use the indicator's source.",
    )
    import_batch = models.ForeignKey(
        "ImportBatch",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="data_points",
        help_text="The spreadsheet import that last created or changed this figure.",
    )

    class Meta:
        ordering = ["period_start", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period_start", "period_end"], name="datapoint_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="datapoint_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(rank__isnull=False), name="datapoint_has_value_or_rank"
            ),
            models.CheckConstraint(
                condition=Q(lower_limit__isnull=True)
                | Q(upper_limit__isnull=True)
                | Q(lower_limit__lte=models.F("upper_limit")),
                name="datapoint_limits_ordered",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="datapoint_rank_positive"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True)
                | Q(rank_out_of__isnull=True)
                | Q(rank__lte=models.F("rank_out_of")),
                name="datapoint_rank_within_total",
            ),
            models.CheckConstraint(
                condition=Q(stated_trend="") | Q(stated_trend__in=StatedTrend.values),
                name="datapoint_stated_trend_valid",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.area} – {self.period_label}"

    @property
    def cited_source(self) -> Source:
        return self.source or self.indicator.source


class StatedComparison(models.Model):
    """A comparison the source states in words, kept as stated rather than turned into a value."""

    data_point = models.ForeignKey(DataPoint, on_delete=models.CASCADE, related_name="stated_comparisons")
    comparator = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(max_length=10, choices=ComparisonRelation.choices)
    wording = models.CharField(
        max_length=300,
        blank=True,
        help_text="The source's words, e.g. 'the England average'.",
        validators=[single_line],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["data_point", "comparator"], name="stated_comparison_unique"),
            models.CheckConstraint(
                condition=Q(relation__in=ComparisonRelation.values), name="stated_comparison_relation_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_relation_display()} {self.wording or self.comparator}"


class ContextFactQuerySet(PublishableQuerySet):
    def about(self, indicator):
        """Facts about the needs an indicator is evidence for."""
        return self.filter(needs__indicators=indicator).distinct()


class ContextFact(Publishable):
    """A one-off cited figure that is not a time series."""

    title = models.CharField(max_length=200, help_text="What the figure counts.", validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    display_value = models.CharField(
        max_length=50,
        help_text="As residents should read it, e.g. 'about £800,000'.",
        validators=[single_line],
    )
    is_approximate = models.BooleanField(default=False)
    date_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="When it applies, e.g. 'October 2025'.",
        validators=[single_line],
    )
    description = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="context_facts")
    needs = models.ManyToManyField(Need, related_name="context_facts", blank=True)
    services = models.ManyToManyField(Service, related_name="context_facts", blank=True)

    objects = ContextFactQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [Publishable.state_constraint("context_fact_state_valid")]

    def __str__(self):
        return f"{self.display_value} – {self.title}"


class ImportBatch(models.Model):
    """One spreadsheet of data points: who brought it in, when, and what it changed."""

    file_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept server-side so the confirm step imports exactly what was previewed, and for the record.
    content = models.TextField(help_text="The file as uploaded.")
    layout = models.CharField(max_length=3, choices=ImportLayout.choices, default=ImportLayout.CSV)
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text="How an ONS file is read: the indicator's slug, the area codes and the series.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_batch_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rolled_back_at__isnull=True) | Q(status=ImportStatus.ROLLED_BACK),
                name="import_batch_rolled_back_when_marked",
            ),
            models.CheckConstraint(
                condition=Q(layout__in=ImportLayout.values), name="import_batch_layout_valid"
            ),
        ]

    def __str__(self):
        return f"Import {self.pk}: {self.file_name}"


class ImportedChange(models.Model):
    """What an import did to one data point, with the values needed to undo it."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    data_point = models.ForeignKey(DataPoint, null=True, on_delete=models.SET_NULL, related_name="+")
    row_number = models.PositiveIntegerField(help_text="The row in the file, counting the header as row 1.")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    before = models.JSONField(default=dict, blank=True, help_text="An updated figure's earlier values.")
    after = models.JSONField(default=dict, blank=True, help_text="The values the import wrote.")

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="imported_change_kind_valid"
            ),
        ]

    def __str__(self):
        return f"Row {self.row_number}: {self.get_kind_display().lower()}"
