"""What the service search keeps: synonyms staff curate, daily counts of searches that found
nothing, and (PostgreSQL only) each service's weighted search words. The search itself is in engine.py.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Max, Min, OuterRef, Subquery, Sum
from django.utils import timezone


def split_terms(text: str) -> list[str]:
    """The distinct terms of a comma-separated list, lower case, in the order given."""
    terms = (" ".join(term.split()).lower() for term in text.split(","))
    return list(dict.fromkeys(term for term in terms if term))


class Synonym(models.Model):
    """Words residents use for the same thing, so that searching for one finds every one."""

    terms = models.CharField(
        max_length=300,
        unique=True,
        help_text=(
            "Words or short phrases that mean the same thing to someone searching, separated by commas, "
            "for example: job, work, employment, career. A search for any one of them finds services "
            "that use any other."
        ),
    )

    class Meta:
        app_label = "initiatives"  # as before search became an app: same tables, same migrations
        ordering = ["terms"]
        verbose_name = "synonym group"

    def __str__(self):
        return self.terms

    def clean(self):
        """Store the terms tidily (lower case, one space after each comma) and refuse a lone term."""
        terms = split_terms(self.terms)
        if len(terms) < 2:
            raise ValidationError({"terms": "Give at least two terms, separated by commas."})
        self.terms = ", ".join(terms)

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The 1st of the month `months - 1` months before `day`'s: the start of the last `months` months."""
    year, month = divmod(day.year * 12 + day.month - 1 - (months - 1), 12)
    return datetime.date(year, month + 1, 1)


# The words of a day's row counting the new texts past UNMATCHED_SEARCHES_PER_DAY. Never a real
# search's words: those are always stored in lower case.
OTHER_SEARCHES = "Other searches"


class UnmatchedSearchQuerySet(models.QuerySet):
    def this_month(self, today=None):
        """Counts from the 1st of this month on."""
        return self.filter(day__gte=(today or timezone.localdate()).replace(day=1))

    def past_retention(self, today=None):
        """Counts of days before the last UNMATCHED_SEARCH_RETENTION_MONTHS months (this one included)."""
        months = max(settings.UNMATCHED_SEARCH_RETENTION_MONTHS, 1)
        return self.filter(day__lt=_months_before(today or timezone.localdate(), months))

    def totals(self):
        """Each text (words and filters) once, with its searches added up over these rows and its first
        and last day among them, the most frequent first.

        Model instances, not dicts, so the admin can list them: for each text the row of its earliest
        id stands for it, carrying `searches`, `first_day` and `last_day` over every row of the text
        among these.
        """
        rows = self.order_by()
        same_text = rows.filter(words=OuterRef("words"), filters=OuterRef("filters")).values(
            "words", "filters"
        )
        return (
            self.model._default_manager.using(self.db)
            .filter(pk__in=rows.values("words", "filters").annotate(one=Min("pk")).values("one"))
            .annotate(
                searches=Subquery(same_text.annotate(total=Sum("times")).values("total")),
                first_day=Subquery(same_text.annotate(first=Min("day")).values("first")),
                last_day=Subquery(same_text.annotate(last=Max("day")).values("last")),
            )
            .order_by("-searches", "-last_day", "words", "filters")
        )

    def seen_this_month(self, today=None):
        """Texts searched at least once since the 1st of this month, each once, the most frequent first."""
        return self.this_month(today).totals()

    def record(self, *, words: str, filters: str) -> None:
        """Count one more search for these words and filters today, in one statement safe from races.

        A day lists at most UNMATCHED_SEARCHES_PER_DAY texts: a new text past them adds to the day's
        "Other searches" instead, so a flood of random words cannot grow the table without bound.
        The day's rows are counted in the same statement (never more than the limit and one, through
        the index on day), so the limit holds for every server and across restarts.
        """
        table = self.model._meta.db_table
        connection = connections[self.db]
        today = connection.ops.adapt_datefield_value(timezone.localdate())
        # The ORM's upsert can only copy the new row's values, not add one to the stored count.
        # (SQLite needs a WHERE in an INSERT ... SELECT before ON CONFLICT, to parse it.)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (words, filters, day, times) "
                "SELECT CASE WHEN listed THEN %s ELSE %s END, CASE WHEN listed THEN %s ELSE '' END, %s, 1 "
                f"FROM (SELECT EXISTS (SELECT 1 FROM {table} WHERE words = %s AND filters = %s AND day = %s) "
                f"OR (SELECT COUNT(*) FROM {table} WHERE day = %s) < %s AS listed) AS this_search "
                "WHERE true "
                f"ON CONFLICT (words, filters, day) DO UPDATE SET times = {table}.times + 1",
                [words, OTHER_SEARCHES, filters, today]
                + [words, filters, today, today, settings.UNMATCHED_SEARCHES_PER_DAY],
            )


class UnmatchedSearch(models.Model):
    """How often, on one day, a search found nothing: only the words and the filters, never who searched.

    No user, address, session or time of a single search is kept: the same words and filters on the
    same day add to one row's count. A day keeps at most UNMATCHED_SEARCHES_PER_DAY texts, then one
    row of "Other searches"; rows are deleted after UNMATCHED_SEARCH_RETENTION_MONTHS
    (`manage.py purge_unmatched_searches`).
    """

    words = models.CharField(max_length=200, help_text="What was typed, in lower case.")
    filters = models.CharField(
        max_length=500, blank=True, help_text="The other choices made, such as a need or a way to get help."
    )
    day = models.DateField(
        default=timezone.localdate, help_text="The day of these searches, in Milton Keynes."
    )
    times = models.PositiveIntegerField("searches", default=1)

    objects = UnmatchedSearchQuerySet.as_manager()

    class Meta:
        app_label = "initiatives"
        ordering = ["-day", "-times"]
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        constraints = [
            models.UniqueConstraint(
                fields=["words", "filters", "day"], name="unmatched_search_unique_words_filters_day"
            )
        ]
        # For this month's searches and for deleting old days; the constraint's index serves the rest.
        indexes = [models.Index(fields=["day"], name="unmatched_search_day")]

    def __str__(self):
        return self.words

    @property
    def is_other_searches(self) -> bool:
        """Whether this row counts the new texts past a day's limit rather than one text."""
        return self.words == OTHER_SEARCHES


class ServiceSearchDocument(models.Model):
    """A service's search words, stemmed and weighted: name (A); summary, need names (B);
    description, organisation name (C); the questions of its needs (D).

    Used on PostgreSQL only, where database triggers (migration 0007_search) keep it up to date
    whatever writes a service, its needs or its organisation. On SQLite the table stays empty and
    engine.py matches words in the text columns instead.
    """

    service = models.OneToOneField(
        "initiatives.Service", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    vector = SearchVectorField()

    class Meta:
        app_label = "initiatives"
        verbose_name = "service search document"

    def __str__(self):
        return f"Search words of service {self.service_id}"


class SearchWord(models.Model):
    """A word the directory uses, that a misspelt word can be corrected to.

    PostgreSQL only, filled by the same triggers (and searched with pg_trgm); empty on SQLite.
    Words stay when the text that used them changes: a stale word can only widen a corrected search.
    """

    word = models.CharField(max_length=40, primary_key=True)

    class Meta:
        app_label = "initiatives"

    def __str__(self):
        return self.word
