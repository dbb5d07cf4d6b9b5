# Searches that found nothing: a count per text per day (issue 13), no longer one row per text for ever.

import datetime

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Max, Min, Sum
from django.utils import timezone

BATCH = 2000


def carry_to_day(apps, schema_editor):
    """Give each existing row the day of its last search: its count stays whole, on that day."""
    UnmatchedSearch = apps.get_model("initiatives", "UnmatchedSearch")
    rows = UnmatchedSearch.objects.using(schema_editor.connection.alias).order_by("pk")
    batch = list(rows.only("pk", "last_seen")[:BATCH])
    while batch:  # a batch at a time, by id, however many rows a flood left
        for row in batch:
            row.day = timezone.localtime(row.last_seen).date()
        rows.bulk_update(batch, ["day"])
        batch = list(rows.only("pk", "last_seen").filter(pk__gt=batch[-1].pk)[:BATCH])


def merge_days(apps, schema_editor):
    """Going back: one row per text again, its days added up, first and last seen at noon of those days."""
    UnmatchedSearch = apps.get_model("initiatives", "UnmatchedSearch")
    rows = UnmatchedSearch.objects.using(schema_editor.connection.alias)
    texts = rows.values("words", "filters").annotate(
        total=Sum("times"), first=Min("day"), last=Max("day"), keep=Min("pk")
    )
    for text in list(texts):
        same_text = rows.filter(words=text["words"], filters=text["filters"])
        same_text.exclude(pk=text["keep"]).delete()
        same_text.update(
            times=text["total"],
            first_seen=_noon(text["first"]),
            last_seen=_noon(text["last"]),
        )


def _noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0014_cost_concessions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="unmatchedsearch",
            name="unmatched_search_unique_words_filters",
        ),
        migrations.RemoveIndex(
            model_name="unmatchedsearch",
            name="unmatched_search_most_frequent",
        ),
        migrations.AddField(
            model_name="unmatchedsearch",
            name="day",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(carry_to_day, merge_days),
        migrations.AlterField(
            model_name="unmatchedsearch",
            name="day",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                help_text="The day of these searches, in Milton Keynes.",
            ),
        ),
        migrations.RemoveField(
            model_name="unmatchedsearch",
            name="first_seen",
        ),
        migrations.RemoveField(
            model_name="unmatchedsearch",
            name="last_seen",
        ),
        migrations.AlterModelOptions(
            name="unmatchedsearch",
            options={
                "ordering": ["-day", "-times"],
                "verbose_name": "search that found nothing",
                "verbose_name_plural": "searches that found nothing",
            },
        ),
        migrations.AddIndex(
            model_name="unmatchedsearch",
            index=models.Index(fields=["day"], name="unmatched_search_day"),
        ),
        migrations.AddConstraint(
            model_name="unmatchedsearch",
            constraint=models.UniqueConstraint(
                fields=("words", "filters", "day"), name="unmatched_search_unique_words_filters_day"
            ),
        ),
    ]
