"""Searches that found nothing: a count per text per day, a daily limit on new texts, kept 13 months.

Issue 13: a flood of random searches must not grow the log without bound. Runs on SQLite and
PostgreSQL; the threaded race needs PostgreSQL, where two writes can overlap.
"""

import datetime
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from initiatives.search.models import OTHER_SEARCHES, UnmatchedSearch
from initiatives.search.services import unmatched_search_entry, unmatched_search_record
from tests.factories import ServiceFactory, UnmatchedSearchFactory

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:service_list")
ADMIN = reverse("admin:initiatives_unmatchedsearch_changelist")
WORK = reverse("editing:work_to_do")
JUNE_16 = datetime.date(2025, 6, 16)


def searched_for_nothing(words: str, filters: str = "") -> None:
    """What the list page does when a search finds nothing."""
    query = QueryDict(filters)
    unmatched_search_record(**unmatched_search_entry(text=words, query=query, filter_names=list(query)))


def stored() -> list[tuple]:
    return list(
        UnmatchedSearch.objects.order_by("day", "words").values_list("words", "filters", "day", "times")
    )


# ---- a count per text per day ---------------------------------------------------------------


def test_repeats_on_one_day_add_to_that_days_count_and_the_next_day_starts_its_own(client, freeze_today):
    ServiceFactory(name="Knitting circle", summary="Open to all.", description="Ask at the desk.")
    freeze_today(JUNE_16)
    client.get(LIST, {"q": "astrophysics"})
    client.get(LIST, {"q": "Astrophysics"})
    client.get(LIST, {"q": "astrophysics", "mode": "online"})
    freeze_today(JUNE_16 + datetime.timedelta(days=1))
    client.get(LIST, {"q": "astrophysics"})

    assert stored() == [
        ("astrophysics", "", JUNE_16, 2),
        ("astrophysics", "mode=online", JUNE_16, 1),
        ("astrophysics", "", datetime.date(2025, 6, 17), 1),
    ]


def test_the_day_is_milton_keynes_day_not_the_servers(time_machine):
    # 23:30 in UTC on 30 June is 00:30 on 1 July in Milton Keynes (summer time).
    time_machine.move_to(datetime.datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)

    searched_for_nothing("astrophysics")

    assert UnmatchedSearch.objects.get().day == datetime.date(2025, 7, 1)


def test_counting_a_search_takes_one_query_whether_its_words_are_new_today_or_not(
    freeze_today, django_assert_num_queries
):
    freeze_today(JUNE_16)

    for words in ["first words", "first words", "other words"]:
        with django_assert_num_queries(1):
            searched_for_nothing(words)


# ---- at most so many new texts a day ---------------------------------------------------------


@pytest.fixture
def limit(settings):
    settings.UNMATCHED_SEARCHES_PER_DAY = 20
    return 20


def test_a_flood_of_new_words_adds_at_most_the_days_limit_and_one_row_for_the_rest(limit, freeze_today):
    freeze_today(JUNE_16)

    for number in range(limit + 50):
        searched_for_nothing(f"random words {number}")
    searched_for_nothing("random words 3")  # listed already: still counted on its own row

    assert UnmatchedSearch.objects.count() == limit + 1
    assert UnmatchedSearch.objects.get(words="random words 3").times == 2
    other = UnmatchedSearch.objects.get(words=OTHER_SEARCHES)
    assert (other.day, other.times) == (JUNE_16, 50)


def test_the_limit_counts_every_search_stored_today_by_any_server(limit, freeze_today):
    freeze_today(JUNE_16)
    UnmatchedSearchFactory.create_batch(limit, day=JUNE_16)  # as if other servers had counted them

    searched_for_nothing("one more")

    assert not UnmatchedSearch.objects.filter(words="one more").exists()
    assert UnmatchedSearch.objects.get(words=OTHER_SEARCHES).times == 1


def test_each_day_has_its_own_limit(limit, freeze_today):
    freeze_today(JUNE_16)
    for number in range(limit + 1):
        searched_for_nothing(f"random words {number}")
    freeze_today(JUNE_16 + datetime.timedelta(days=1))

    searched_for_nothing("the next day")

    assert UnmatchedSearch.objects.filter(words="the next day").exists()


def test_staff_see_that_words_past_the_limit_were_left_out(staff_client, limit, freeze_today):
    freeze_today(JUNE_16)
    for number in range(limit + 3):
        searched_for_nothing(f"random words {number}")

    work = staff_client.get(WORK).content.decode()
    admin = staff_client.get(ADMIN).content.decode()

    assert "Searches this month that found nothing (21)" in work
    assert (
        "<strong>Other searches</strong>: new words after the first 20 of a day, not listed one by one"
        in work
    )
    assert "3 searches since 16 June 2025" in work
    assert "Other searches: new words past the day&#x27;s limit (20 a day), not listed one by one" in admin


def test_words_that_look_like_the_other_searches_row_are_a_search_of_their_own(freeze_today):
    freeze_today(JUNE_16)

    searched_for_nothing(OTHER_SEARCHES)

    assert UnmatchedSearch.objects.get().words == "other searches"
    assert not UnmatchedSearch.objects.get().is_other_searches


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write at a time, so two counts never race."
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_searches_for_the_same_new_words_at_the_same_moment_all_add_to_one_row():
    start, failures = threading.Barrier(6), []

    def search():
        try:
            start.wait(timeout=10)
            for _ in range(5):
                searched_for_nothing("astrophysics")
        except Exception as error:  # noqa: BLE001 - reported below, in the test's own thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=search) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert list(UnmatchedSearch.objects.values_list("words", "times")) == [("astrophysics", 30)]


# ---- what staff see: a total per text over a period ----------------------------------------


@pytest.fixture
def june_and_may(freeze_today):
    freeze_today(JUNE_16)
    for day, times in [(2, 3), (9, 4), (16, 2)]:
        UnmatchedSearchFactory(words="sign language", times=times, day=datetime.date(2025, 6, day))
    UnmatchedSearchFactory(words="forklift licence", times=5, day=JUNE_16)
    UnmatchedSearchFactory(words="bee keeping", times=50, day=datetime.date(2025, 5, 31))


def test_the_admin_shows_each_text_once_with_its_total_over_the_period_chosen(staff_client, june_and_may):
    this_month = staff_client.get(ADMIN, {"period": "this-month"}).content.decode()
    last_month = staff_client.get(ADMIN, {"period": "last-month"}).content.decode()
    everything = staff_client.get(ADMIN).content.decode()

    assert this_month.count("sign language") == 1
    assert this_month.index("sign language") < this_month.index("forklift licence")
    assert '<td class="field-searches">9</td>' in this_month
    assert "bee keeping" not in this_month
    assert "bee keeping" in last_month and "sign language" not in last_month
    assert everything.index("bee keeping") < everything.index("sign language") < everything.index("forklift")


def test_the_admin_searches_words_and_keeps_the_totals(staff_client, june_and_may):
    found = staff_client.get(ADMIN, {"q": "language"}).content.decode()

    assert "sign language" in found and "forklift" not in found
    assert '<td class="field-searches">9</td>' in found


def test_staff_cannot_add_change_or_delete_counts(staff_client, june_and_may):
    row = UnmatchedSearch.objects.first()

    assert staff_client.get(reverse("admin:initiatives_unmatchedsearch_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:initiatives_unmatchedsearch_delete", args=[row.pk])).status_code
        == 403
    )
    assert 'name="action"' not in staff_client.get(ADMIN).content.decode()


# ---- kept for 13 months ---------------------------------------------------------------------


def test_purge_deletes_the_days_before_the_last_13_months_and_keeps_the_rest(freeze_today):
    freeze_today(JUNE_16)
    UnmatchedSearchFactory(words="too old", day=datetime.date(2024, 5, 31))
    UnmatchedSearchFactory(words="june last year", day=datetime.date(2024, 6, 1))
    UnmatchedSearchFactory(words="today", day=JUNE_16)
    out = StringIO()

    call_command("purge_unmatched_searches", stdout=out)

    assert sorted(UnmatchedSearch.objects.values_list("words", flat=True)) == ["june last year", "today"]
    assert "1 daily counts of searches that found nothing deleted (kept: 13 months)" in out.getvalue()


def test_purge_keeps_as_many_months_as_the_setting_says(settings, freeze_today):
    settings.UNMATCHED_SEARCH_RETENTION_MONTHS = 1
    freeze_today(JUNE_16)
    UnmatchedSearchFactory(words="last month", day=datetime.date(2025, 5, 31))
    UnmatchedSearchFactory(words="this month", day=datetime.date(2025, 6, 1))

    call_command("purge_unmatched_searches", stdout=StringIO())

    assert list(UnmatchedSearch.objects.values_list("words", flat=True)) == ["this month"]


# ---- the migration: a row per text becomes a row per text per day ----------------------------

BEFORE = [("initiatives", "0014_cost_concessions")]
AFTER = [("initiatives", "0015_unmatched_search_per_day")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_each_row_to_the_day_of_its_last_search_and_back():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = (
            MigrationExecutor(connection)
            .loader.project_state(BEFORE)
            .apps.get_model("initiatives", "UnmatchedSearch")
        )
        london = ZoneInfo("Europe/London")
        old.objects.create(
            words="visa",
            times=7,
            first_seen=datetime.datetime(2025, 1, 3, 9, tzinfo=london),
            last_seen=datetime.datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")),  # 1 July in MK
        )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("initiatives", "UnmatchedSearch")
        assert list(new.objects.values_list("words", "day", "times")) == [
            ("visa", datetime.date(2025, 7, 1), 7)
        ]
        new.objects.create(words="visa", day=datetime.date(2025, 7, 2), times=3)

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = old.objects.get()
        assert back.times == 10
        assert timezone.localdate(back.first_seen) == datetime.date(2025, 7, 1)
        assert timezone.localdate(back.last_seen) == datetime.date(2025, 7, 2)
    finally:
        MigrationExecutor(connection).migrate(latest)
