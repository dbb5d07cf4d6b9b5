"""What the service search keeps: synonyms staff curate, searches that found nothing, and
(PostgreSQL only) each service's weighted search words. The search itself is in engine.py.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
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


class UnmatchedSearchQuerySet(models.QuerySet):
    def seen_this_month(self, now=None):
        """Searches made at least once since the 1st of this month, the most frequent first."""
        month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return self.filter(last_seen__gte=month_start).order_by("-times", "-last_seen")

    def record(self, *, words: str, filters: str) -> None:
        """Count one more search for these words and filters, in one statement safe from races."""
        table = self.model._meta.db_table
        now = timezone.now()
        # The ORM's upsert can only copy the new row's values, not add one to the stored count.
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (words, filters, times, first_seen, last_seen) "
                "VALUES (%s, %s, 1, %s, %s) "
                "ON CONFLICT (words, filters) DO UPDATE "
                f"SET times = {table}.times + 1, last_seen = excluded.last_seen",
                [words, filters, now, now],
            )


class UnmatchedSearch(models.Model):
    """A search that found nothing: only the words and the filters, never who searched.

    No user, address, session or exact time of a single search is kept: repeats of the same
    words and filters add to one row's count.
    """

    words = models.CharField(max_length=200, help_text="What was typed, in lower case.")
    filters = models.CharField(
        max_length=500, blank=True, help_text="The other choices made, such as a need or a way to get help."
    )
    times = models.PositiveIntegerField("searches", default=1)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    objects = UnmatchedSearchQuerySet.as_manager()

    class Meta:
        app_label = "initiatives"
        ordering = ["-times", "-last_seen"]
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        constraints = [
            models.UniqueConstraint(fields=["words", "filters"], name="unmatched_search_unique_words_filters")
        ]
        indexes = [models.Index(fields=["-times", "-last_seen"], name="unmatched_search_most_frequent")]

    def __str__(self):
        return self.words


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
