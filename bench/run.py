"""Benchmark the public pages at scale: median server time and queries, on SQLite and PostgreSQL.

    .venv/bin/python bench/run.py                       # SQLite only
    .venv/bin/python bench/run.py --postgres postgres://postgres@127.0.0.1:5432/any
    DATABASE_URL=postgres://... .venv/bin/python bench/run.py   # the same

For each database it builds a separate database from scratch (SQLite: /tmp/mkdirectory_bench.sqlite3;
PostgreSQL: `mkdirectory_bench` on the server given, created if missing), fills it with clearly fake
services ("Example Service 01234"; never the demo), and asks for each page in-process with Django's
test client: a few warm-up requests, then many timed ones. It prints the median server time and the
number of queries at 10,000 services, and the number of queries at 100 services, which must be the
same. Run on demand; `make test` never runs it.

Issue 14 set its targets in milliseconds on one machine; machines here differ by two times and more.
Beside our pages it measures a plain Django page (bench/plain_page.py), asked for between all the
others, and reads each target both as set and at this machine's speed.
"""

import argparse
import datetime
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# MK_BENCH_NAME=<name> gives a run databases of its own, so that two people can run it at once.
_NAME = os.environ.get("MK_BENCH_NAME", "")
if not re.fullmatch(r"[a-z0-9_]*", _NAME):  # it ends up in a CREATE DATABASE statement
    raise SystemExit("MK_BENCH_NAME may hold only lower-case letters, digits and _")
_SUFFIX = f"_{_NAME}" if _NAME else ""
SQLITE_FILE = Path(f"/tmp/mkdirectory_bench{_SUFFIX}.sqlite3")
POSTGRES_NAME = f"mkdirectory_bench{_SUFFIX}"
SIZES = (100, 10_000)
SERVICES_PER_ORGANISATION = 10
FIRST_TIME_REPEAT = 5  # requests timed with an empty cache
# Issue 14's targets for the median, in ms, set on a machine where the yardstick took YARDSTICK_MS;
# and for the first request, with an empty cache.
TARGETS_MS = {
    "whole list": 10,
    "filtered list": 10,
    "text search": 10,
    "misspelt search": 10,
    "postcode search": 10,
    "open now": 30,
    "service page": 3,
    "API list": 15,
}
FIRST_TARGET_MS = 100
YARDSTICK = "plain page"  # bench/plain_page.py: a plain Django detail page of a service's shape
YARDSTICK_MS = 2

# The pages measured; the postcode search needs the `postcode` filter (issue 4, item 3).
PAGES = [
    ("whole list", "/services/"),
    ("filtered list", "/services/?need=find-work&mode=in_person&audience=women"),
    ("text search", "/services/?q=digital+skills"),
    ("misspelt search", "/services/?q=diggital+skils"),
    ("postcode search", "/services/?postcode=MK9+3EP&sort=distance"),
    ("open now", "/services/?open_now=on"),
    ("service page", None),  # a service with places, hours and needs, chosen after the build
    ("API list", "/api/services"),  # the Open Referral UK list, 50 services a page
    (YARDSTICK, None),  # not ours: what this machine's speed is, against issue 14's
]

NEEDS = [  # slug, name, parent slug
    ("find-work", "Find work", None),
    ("digital-skills", "Digital skills", "find-work"),
    ("job-applications", "Job applications and CVs", "find-work"),
    ("confidence", "Confidence and motivation", "find-work"),
    ("money", "Money and the cost of living", None),
    ("debt", "Debt", "money"),
    ("benefits", "Benefits", "money"),
    ("housing", "Housing", None),
    ("health", "Health and wellbeing", None),
    ("english", "English language", None),
    ("business", "Start or grow a business", None),
    ("general-advice", "General advice", None),
]
AUDIENCES = ["women", "carers", "care-workers", "young-people", "older-people", "refugees", "disabled-people"]
TOPICS = [  # words a service is about, and the needs it is tagged with
    ("digital skills drop-in", ["digital-skills"]),
    ("CV and interview clinic", ["job-applications"]),
    ("job club", ["find-work"]),
    ("confidence course", ["confidence"]),
    ("debt advice line", ["debt", "money"]),
    ("benefits check", ["benefits"]),
    ("housing advice", ["housing"]),
    ("wellbeing walk", ["health"]),
    ("English conversation class", ["english"]),
    ("business start-up workshop", ["business"]),
    ("advice surgery", ["general-advice"]),
]
SENTENCES = [
    "Come along to meet friendly volunteers who can help you take the next step.",
    "Sessions are relaxed and you can bring a friend or family member with you.",
    "We help people with computers, phones, email and filling in forms online.",
    "Our advisers can look at your CV, cover letters and job applications with you.",
    "You can talk in confidence about money worries, bills and debts.",
    "We work with local employers to find roles that fit around caring responsibilities.",
    "Tea, coffee and biscuits are free, and there is a quiet room if you need one.",
    "Interpreters can be booked in advance for most community languages.",
    "Free childcare is available during morning sessions for children under five.",
    "Places are limited, so please contact us before you come for the first time.",
]


def main() -> None:
    arguments = _arguments()
    if arguments.worker:
        print(json.dumps(_measure(arguments.worker, arguments.repeat)))
        return
    if arguments.build_only:
        print(json.dumps(_build_only(arguments.build_only, arguments.reuse)))
        return
    targets = [("SQLite", f"sqlite:///{SQLITE_FILE}")]
    postgres = arguments.postgres or (
        os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else ""
    )
    if postgres:
        targets.append(("PostgreSQL", _with_database_name(postgres, POSTGRES_NAME)))
    results = {}
    for label, url in targets:
        print(f"Building and measuring on {label} ...", file=sys.stderr, flush=True)
        worker = subprocess.run(
            [sys.executable, __file__, "--worker", url, "--repeat", str(arguments.repeat)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,  # the result; progress and errors go straight to the terminal
            text=True,
            env={**os.environ, "DATABASE_URL": url},
        )
        results[label] = json.loads(worker.stdout.strip().splitlines()[-1])
    _print_table(results)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server (the database name is replaced)"
    )
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    # For bench/throughput.py: build the largest database and keep it; print the service page.
    parser.add_argument("--build-only", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


# ---- the worker: one database -----------------------------------------------------------------


def _measure(url: str, repeat: int) -> dict:
    _open_database(url, fresh=True)
    measured = {}
    for size in _fill():
        measured[size] = _measure_pages(repeat if size == SIZES[-1] else 3)
    return {"pages": measured, "vendor": _vendor(), "load": os.getloadavg()[0]}


def _build_only(url: str, reuse: bool) -> dict:
    """The database at the largest size, left for a server to use; with `reuse`, kept if it is there."""
    _open_database(url, fresh=not reuse)
    from initiatives.models import Service

    if not reuse or Service.objects.count() != SIZES[-1]:
        for _ in _fill():
            pass
    return {"service page": _detailed_service_url()}


def _open_database(url: str, fresh: bool) -> None:
    """Set Django up on the database at `url`, migrated; `fresh`: a new SQLite file."""
    _prepare_database(url, fresh)
    os.environ["DATABASE_URL"] = url
    # The test settings: debugging off, the caches and middleware a deployment has, static files
    # served without a manifest (so no collectstatic is needed).
    os.environ["DJANGO_SETTINGS_MODULE"] = "mkdirectory.settings.test"
    os.environ["DJANGO_CONN_MAX_AGE"] = "600"
    # Server time of pages drawn afresh: whole pages kept for visitors without a session would
    # answer every timed request from the cache (bench/throughput.py measures those).
    os.environ["MK_PAGE_CACHE_SECONDS"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"  # the test client's host name
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "plain_page"  # the project's addresses and the yardstick (bench/ is on the path)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _fill():
    """Empty the database, then yield each of SIZES once it holds that many fake services."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)  # PostgreSQL: the last run's rows
    rng = random.Random(20251130)
    vocabulary = _build_vocabulary()
    for size in SIZES:
        _add_services(size, vocabulary, rng)
        _analyse_tables()
        yield size


def _prepare_database(url: str, fresh: bool) -> None:
    """A new SQLite file if `fresh`, or the PostgreSQL database created if it is missing."""
    if url.startswith("sqlite"):
        if fresh:
            SQLITE_FILE.unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _analyse_tables() -> None:
    """Give the query planner row counts, as PostgreSQL's autovacuum would in time (SQLite never does)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _build_vocabulary() -> dict:
    from initiatives.models import Audience, Need

    needs = {}
    for position, (slug, name, parent) in enumerate(NEEDS):
        needs[slug] = Need.objects.create(
            slug=slug,
            name=name,
            parent=needs[parent] if parent else None,
            position=position,
            description=f"Help with {name.lower()}.",
            question=f"I need help with {name.lower()}",
        )
    audiences = {
        slug: Audience.objects.create(
            slug=slug, name=slug.replace("-", " ").capitalize(), description="Made up for the benchmark."
        )
        for slug in AUDIENCES
    }
    return {"needs": needs, "audiences": audiences}


def _add_services(total: int, vocabulary: dict, rng: random.Random) -> None:
    """Top up to `total` fake services, ten per fake organisation, with needs, places and hours."""
    from django.db import transaction

    from initiatives.models import (
        DatedSession,
        Location,
        Organisation,
        Schedule,
        Service,
        ServiceKind,
        ServiceStatus,
    )
    from initiatives.publishing import PublicationState

    published = PublicationState.PUBLISHED
    start = Service.objects.count()
    today = datetime.date.today()
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Example Organisation {number:04d}",
                slug=f"example-organisation-{number:04d}",
                description="A made-up organisation for the benchmark.",
                publication_state=published,
            )
            for number in range(start // SERVICES_PER_ORGANISATION, total // SERVICES_PER_ORGANISATION)
        )
        services, topics = [], []
        for index in range(start, total):
            topic, need_slugs = rng.choice(TOPICS)
            kind = ServiceKind.EVENT if index % 10 == 9 else ServiceKind.SERVICE
            services.append(
                Service(
                    organisation=organisations[(index - start) // SERVICES_PER_ORGANISATION],
                    name=f"Example Service {index:05d}: {topic}",
                    slug=f"example-service-{index:05d}",
                    summary=f"A made-up {topic} for the benchmark. {rng.choice(SENTENCES)}",
                    description=" ".join(rng.sample(SENTENCES, 5)),
                    eligibility="Anyone who lives or works in the area.",
                    kind=kind,
                    status=ServiceStatus.ENDED if index % 20 == 19 else ServiceStatus.ACTIVE,
                    ends_on=today + datetime.timedelta(days=rng.randint(-30, 90))
                    if kind == ServiceKind.EVENT
                    else None,
                    in_person=rng.random() < 0.7,
                    by_phone=rng.random() < 0.4,
                    online=rng.random() < 0.3,
                    is_free=rng.random() < 0.6,
                    access_self_referral=rng.random() < 0.6,
                    access_drop_in=rng.random() < 0.3,
                    access_booking=rng.random() < 0.3,
                    service_area="borough" if index % 7 == 0 else "places",
                    publication_state=published,
                    last_verified_on=today - datetime.timedelta(days=rng.randint(0, 400)),
                )
            )
            topics.append(need_slugs)
        services = Service.objects.bulk_create(services)
        _link_vocabulary(services, topics, vocabulary, rng)
        _add_places_and_times(services, rng, Location, Schedule, DatedSession)


def _link_vocabulary(services, topics, vocabulary, rng) -> None:
    from initiatives.models import Service

    need_links, audience_links = [], []
    for service, need_slugs in zip(services, topics, strict=True):
        extra = rng.sample(list(vocabulary["needs"]), rng.randint(0, 1))
        for slug in dict.fromkeys([*need_slugs, *extra]):
            need_links.append(Service.needs.through(service=service, need=vocabulary["needs"][slug]))
        for slug in rng.sample(AUDIENCES, rng.randint(0, 2)):
            audience_links.append(
                Service.audiences.through(service=service, audience=vocabulary["audiences"][slug])
            )
    Service.needs.through.objects.bulk_create(need_links)
    Service.audiences.through.objects.bulk_create(audience_links)


def _add_places_and_times(services, rng, Location, Schedule, DatedSession) -> None:
    """Four in ten services have a place in the Milton Keynes area; half have weekly hours."""
    from django.utils import timezone

    located = [service for service in services if rng.random() < 0.4]
    places = Location.objects.bulk_create(
        Location(
            organisation_id=service.organisation_id,
            name=f"Example Hall {service.pk}",
            postcode=f"MK{rng.randint(1, 19)} {rng.randint(1, 9)}ZZ",
            latitude=Decimal(f"{rng.uniform(51.98, 52.10):.6f}"),
            longitude=Decimal(f"{rng.uniform(-0.85, -0.65):.6f}"),
        )
        for service in located
    )
    Location.services.through.objects.bulk_create(
        Location.services.through(service=service, location=place)
        for service, place in zip(located, places, strict=True)
    )
    place_of = {service.pk: place for service, place in zip(located, places, strict=True)}
    hours, sessions = [], []
    for service in services:
        if rng.random() < 0.5:
            for weekday in rng.sample(range(7), rng.randint(1, 4)):
                hours.append(
                    Schedule(
                        service=service,
                        location=place_of.get(service.pk),
                        weekday=weekday,
                        opens_at=datetime.time(rng.randint(8, 12)),
                        closes_at=datetime.time(rng.randint(13, 20)),
                    )
                )
        if service.kind == "event":
            begins = timezone.now() + datetime.timedelta(days=rng.randint(1, 60))
            sessions.append(
                DatedSession(service=service, starts_at=begins, ends_at=begins + datetime.timedelta(hours=2))
            )
    Schedule.objects.bulk_create(hours)
    DatedSession.objects.bulk_create(sessions)


def _measure_pages(repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from initiatives.public.filters import ServiceFilter

    client = Client()
    results = {}
    # The yardstick is asked for after each timed request of every page, so that it is timed over the
    # same minutes as they are, whatever else the machine did meanwhile.
    yardstick = f"/bench/plain{_detailed_service_url().removeprefix('/services')}"
    yardstick_times = []
    for name, url in PAGES:
        if name == "postcode search" and "postcode" not in ServiceFilter.base_filters:
            results[name] = {"available": False}
            continue
        url = url or (yardstick if name == YARDSTICK else _detailed_service_url())
        for _ in range(3):  # warm-up: connections, caches, templates
            _get(client, url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        first_query_count = len(queries)  # now: the next request empties the connection's query log
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        query_count = len(queries)
        first_times = []
        for _ in range(FIRST_TIME_REPEAT):  # as if nobody had asked lately: nothing in the cache
            cache.clear()
            started = time.perf_counter()
            _get(client, url)
            first_times.append((time.perf_counter() - started) * 1000)
        _get(client, url)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            _get(client, url)
            timings.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            _get(client, yardstick)
            yardstick_times.append((time.perf_counter() - started) * 1000)
        if name == YARDSTICK:
            timings = yardstick_times
        results[name] = {
            "available": True,
            "url": url,
            "median_ms": round(statistics.median(timings), 1),
            "fastest_ms": round(min(timings), 1),
            "first_ms": round(statistics.median(first_times), 1),
            "queries": query_count,
            "first_queries": first_query_count,
        }
    return results


def _detailed_service_url() -> str:
    """A service with places, hours and needs: the fullest service page."""
    from initiatives.models import Service

    return Service.objects.filter(locations__isnull=False, schedules__isnull=False).first().get_absolute_url()


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


# ---- the report ---------------------------------------------------------------------------------


def _print_table(results: dict) -> None:
    small, large = (str(size) for size in SIZES)
    print(f"\nServer time at {SIZES[-1]:,} services, and queries.")
    print("median and fastest: the page asked for again and again; first: with an empty cache.")
    print(
        f"{'database':<11} {'page':<16} {'median':>9} {'fastest':>9} {'first':>9} "
        f"{'queries (first)':>16} {'at 100':>11}  address"
    )
    for label, result in results.items():
        for name, _ in PAGES:
            at_large = result["pages"][large][name]
            if not at_large["available"]:
                print(f"{label:<11} {name:<16} not yet available (no postcode filter)")
                continue
            flag = _target_flag(name, at_large, _speed(result["pages"][large]))
            counts = {size: _query_counts(result["pages"][size][name]) for size in (small, large)}
            same = "" if counts[small] == counts[large] else "  QUERIES GROW"
            print(
                f"{label:<11} {name:<16} {at_large['median_ms']:>6.1f} ms {at_large['fastest_ms']:>6.1f} ms "
                f"{at_large['first_ms']:>6.1f} ms {counts[large]:>16} {counts[small]:>11}  "
                f"{at_large['url']}{flag}{same}"
            )
    loads = ", ".join(f"{label} {result['load']:.1f}" for label, result in results.items())
    print(f"Load average (1 minute) when measured, on {os.cpu_count()} CPUs: {loads}")
    speeds = ", ".join(f"{label} {_speed(result['pages'][large]):.2f}" for label, result in results.items())
    print(
        f"Targets (issue 14): lists and searches {TARGETS_MS['whole list']} ms, open now "
        f"{TARGETS_MS['open now']} ms, service page {TARGETS_MS['service page']} ms, API "
        f"{TARGETS_MS['API list']} ms, first request {FIRST_TARGET_MS} ms, where the {YARDSTICK} took "
        f"{YARDSTICK_MS} ms. Here it takes that many times as long: {speeds}; a flag says which target is "
        "missed, as set and at this machine's speed."
    )


def _speed(pages: dict) -> float:
    """How many times as long as on issue 14's machine this one takes: the yardstick's median over its."""
    return pages[YARDSTICK]["median_ms"] / YARDSTICK_MS


def _target_flag(name: str, page: dict, speed: float) -> str:
    missed = []
    if name in TARGETS_MS and page["median_ms"] > TARGETS_MS[name]:
        missed.append("median")
    if name != YARDSTICK and page["first_ms"] > FIRST_TARGET_MS:
        missed.append("first")
    if not missed:
        return ""
    scaled = [
        part
        for part, target in (("median", TARGETS_MS.get(name, 0)), ("first", FIRST_TARGET_MS))
        if part in missed and page[f"{part}_ms"] > target * speed
    ]
    at_speed = f"{' and '.join(scaled)} over" if scaled else "within"
    return f"  OVER TARGET: {' and '.join(missed)}; at this machine's speed: {at_speed}"


def _query_counts(page: dict) -> str:
    return f"{page['queries']} ({page['first_queries']})"


if __name__ == "__main__":
    main()
