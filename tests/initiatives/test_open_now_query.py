"""Open now as one indexed query: every row of weekly hours keeps its minutes of the week, worked out
by the database however the row is written, and the "Open now" filter finds exactly the services
whose cards say "Open now" at every moment tried: across midnight, the end of the week, both clock
changes and the minutes hours open and close.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from initiatives.models import Schedule, Service, ServiceKind, ServiceStatus
from initiatives.opening_times import weekly_minutes
from tests.factories import DatedSessionFactory, ScheduleFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
DAY = 24 * 60
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def hours(weekday, opens, closes) -> dict:
    return {"weekday": weekday, "opens_at": datetime.time(*opens), "closes_at": datetime.time(*closes)}


def stored_minutes(schedule) -> tuple[int, int]:
    return Schedule.objects.values_list("opens_minute", "closes_minute").get(pk=schedule.pk)


@pytest.mark.parametrize(
    ("fields", "minutes"),
    [
        pytest.param(hours(MON, (9, 0), (17, 0)), (540, 1020), id="monday-nine-to-five"),
        pytest.param(hours(FRI, (18, 0), (0, 0)), (4 * DAY + 1080, 5 * DAY), id="friday-until-midnight"),
        pytest.param(hours(SUN, (0, 0), (0, 0)), (6 * DAY, 7 * DAY), id="all-sunday-to-the-end-of-the-week"),
        pytest.param(
            hours(WED, (9, 30, 45), (12, 15, 59)), (2 * DAY + 570, 2 * DAY + 735), id="seconds-dropped"
        ),
    ],
)
def test_the_database_works_out_the_minutes_however_the_row_is_written(fields, minutes):
    service = ServiceFactory()
    created = Schedule.objects.create(service=service, **fields)
    [bulk_created] = Schedule.objects.bulk_create([Schedule(service=service, **fields)])
    edited = ScheduleFactory(service=service, **hours(TUE, (1, 0), (2, 0)))
    edited.weekday, edited.opens_at, edited.closes_at = fields.values()
    edited.save()
    updated = ScheduleFactory(service=service, **hours(THU, (1, 0), (2, 0)))
    Schedule.objects.filter(pk=updated.pk).update(**fields)

    assert [stored_minutes(row) for row in (created, bulk_created, edited, updated)] == [minutes] * 4
    opening_minutes = weekly_minutes(**fields)  # what the page's words count with
    assert (opening_minutes.start, opening_minutes.stop) == minutes


def build_week() -> list[Schedule]:
    """Services with hours at the awkward times, sessions across midnight and the clock changes, and
    the statuses that stop hours or sessions counting; returns the weekly hours."""
    weekdays = ServiceFactory(name="Weekdays nine to five")
    for weekday in (MON, TUE, WED, THU, FRI):
        ScheduleFactory(service=weekdays, **hours(weekday, (9, 0), (17, 0)))
    split = ServiceFactory(name="Tuesday with a lunch break")
    ScheduleFactory(service=split, **hours(TUE, (9, 30), (12, 0)))
    ScheduleFactory(service=split, **hours(TUE, (13, 0), (16, 45)))
    ScheduleFactory(service=ServiceFactory(name="Friday until midnight"), **hours(FRI, (18, 0), (0, 0)))
    ScheduleFactory(service=ServiceFactory(name="All Saturday"), **hours(SAT, (0, 0), (0, 0)))
    ScheduleFactory(service=ServiceFactory(name="Sunday one to two"), **hours(SUN, (1, 0), (2, 0)))
    ScheduleFactory(service=ServiceFactory(name="Sunday two to three"), **hours(SUN, (2, 0), (3, 0)))
    ScheduleFactory(service=ServiceFactory(name="Sunday night"), **hours(SUN, (20, 0), (0, 0)))
    ScheduleFactory(service=ServiceFactory(name="Monday small hours"), **hours(MON, (0, 0), (0, 30)))
    later = ServiceFactory(name="Starts in June", starts_on=datetime.date(2025, 6, 4))
    ScheduleFactory(service=later, **hours(WED, (10, 0), (11, 0)))
    for name, status in [
        ("Paused", ServiceStatus.TEMPORARILY_CLOSED),
        ("Planned", ServiceStatus.PLANNED),
        ("Ended", ServiceStatus.ENDED),
    ]:
        service = ServiceFactory(name=name, status=status)
        ScheduleFactory(service=service, **hours(SAT, (0, 0), (0, 0)))
        for starts in (
            datetime.datetime(2025, 3, 29, 22, tzinfo=UTC),
            datetime.datetime(2025, 6, 3, 9, tzinfo=UTC),
        ):
            DatedSessionFactory(
                service=service, starts_at=starts, ends_at=starts + datetime.timedelta(hours=5)
            )
    overnight = ServiceFactory(name="Overnight shelter", kind=ServiceKind.EVENT)
    for starts in (
        datetime.datetime(2025, 3, 29, 23, 30, tzinfo=UTC),  # into the March change
        datetime.datetime(2025, 10, 25, 23, 0, tzinfo=UTC),  # into the October change
        datetime.datetime(2025, 6, 3, 21, 45, tzinfo=UTC),
    ):
        DatedSessionFactory(service=overnight, starts_at=starts, ends_at=starts + datetime.timedelta(hours=4))
    ServiceFactory(name="Hours unknown")
    return list(Schedule.objects.all())


def every(start: datetime.datetime, end: datetime.datetime, minutes: int) -> list[datetime.datetime]:
    step = datetime.timedelta(minutes=minutes)
    return [start + step * n for n in range(int((end - start) / step))]


def edges(schedules, monday: datetime.date) -> list[datetime.datetime]:
    """A second before, at and just before the end of each opening and closing minute, in that week."""
    week = datetime.datetime.combine(monday, datetime.time(0), tzinfo=LONDON)
    moments = []
    for schedule in schedules:
        minutes = weekly_minutes(schedule.weekday, schedule.opens_at, schedule.closes_at)
        for minute in (minutes.start, minutes.stop):
            # Wall-clock arithmetic: a plain timedelta keeps the offset of the Monday.
            day, clock = divmod(minute, DAY)
            date = monday + datetime.timedelta(days=day)
            boundary = datetime.datetime.combine(date, datetime.time(0), tzinfo=LONDON) + datetime.timedelta(
                minutes=clock
            )
            moments += [boundary + datetime.timedelta(seconds=s) for s in (-1, 0, 59)]
    return [moment for moment in moments if moment >= week]


def open_on_the_cards() -> set[str]:
    return {
        service.name
        for service in Service.objects.with_opening_times()
        if service.opening_status is not None and service.opening_status.is_open
    }


def test_the_filter_finds_exactly_the_services_whose_cards_say_open_now():
    schedules = build_week()
    moments = (
        # Sunday 30 March 2025: 01:00 GMT becomes 02:00 BST.
        every(
            datetime.datetime(2025, 3, 29, 21, tzinfo=UTC), datetime.datetime(2025, 3, 31, 1, tzinfo=UTC), 15
        )
        # Sunday 26 October 2025: 01:00 GMT is 01:00 again; 01:00 to 02:00 comes twice.
        + every(
            datetime.datetime(2025, 10, 25, 21, tzinfo=UTC),
            datetime.datetime(2025, 10, 27, 1, tzinfo=UTC),
            15,
        )
        # An ordinary week in summer time, at odd minutes, and at the edges of every opening.
        + every(
            datetime.datetime(2025, 6, 2, 0, 0, 20, tzinfo=LONDON),
            datetime.datetime(2025, 6, 9, tzinfo=LONDON),
            37,
        )
        + edges(schedules, datetime.date(2025, 6, 2))
    )
    disagreements, ever_open = [], set()
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            on_the_cards = open_on_the_cards()
        filtered = set(Service.objects.open_at(moment).values_list("name", flat=True))
        ever_open |= filtered
        if filtered != on_the_cards:
            disagreements.append((moment.astimezone(LONDON), filtered ^ on_the_cards))

    assert disagreements == []
    # Every kind of opening was tried while open, and nothing stopped by its status ever was.
    assert ever_open == {
        "Weekdays nine to five",
        "Tuesday with a lunch break",
        "Friday until midnight",
        "All Saturday",
        "Sunday one to two",
        "Sunday two to three",
        "Sunday night",
        "Monday small hours",
        "Starts in June",
        "Planned",  # its sessions count; its weekly hours wait until it is running
        "Overnight shelter",
    }


@pytest.mark.parametrize(
    ("moment", "open_services"),
    [
        # 01:30 BST, then 01:30 GMT an hour later: the same time on the clock, open both times.
        pytest.param(
            datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC), {"Sunday one to two"}, id="october-first-1-30"
        ),
        pytest.param(
            datetime.datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
            {"Sunday one to two"},
            id="october-second-1-30",
        ),
        # 01:00 GMT is 02:00 BST: the hour from 1:00 never comes.
        pytest.param(
            datetime.datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC),
            set(),
            id="march-last-second-gmt",
        ),
        pytest.param(
            datetime.datetime(2025, 3, 30, 1, 0, tzinfo=UTC), {"Sunday two to three"}, id="march-jump"
        ),
        pytest.param(
            datetime.datetime(2025, 6, 8, 23, 59, 59, tzinfo=LONDON),
            {"Sunday night"},
            id="the-last-second-of-the-week",
        ),
        pytest.param(
            datetime.datetime(2025, 6, 9, 0, 0, tzinfo=LONDON), {"Monday small hours"}, id="monday-midnight"
        ),
    ],
)
def test_open_at_the_ends_of_the_week_and_the_clock_changes(moment, open_services):
    ScheduleFactory(service=ServiceFactory(name="Sunday one to two"), **hours(SUN, (1, 0), (2, 0)))
    ScheduleFactory(service=ServiceFactory(name="Sunday two to three"), **hours(SUN, (2, 0), (3, 0)))
    ScheduleFactory(service=ServiceFactory(name="Sunday night"), **hours(SUN, (20, 0), (0, 0)))
    ScheduleFactory(service=ServiceFactory(name="Monday small hours"), **hours(MON, (0, 0), (0, 30)))

    assert set(Service.objects.open_at(moment).values_list("name", flat=True)) == open_services


@pytest.mark.parametrize("size", [pytest.param(3, id="3"), pytest.param(30, id="30")])
def test_the_open_now_page_runs_the_same_queries_however_many_are_open(
    client, size, django_assert_max_num_queries
):
    for number in range(size):
        service = ServiceFactory(name=f"Drop-in {number:02d}")
        ScheduleFactory(service=service, **hours(MON, (9, 0), (17, 0)))
        DatedSessionFactory(
            service=service,
            starts_at=datetime.datetime(2025, 3, 3, 10, tzinfo=LONDON),
            ends_at=datetime.datetime(2025, 3, 3, 12, tzinfo=LONDON),
        )

    # the ids of the open services in order, the page's rows, their needs, hours and sessions, the
    # need tree and the facet counts (need tree levels, audiences, the flags in one, the types)
    with (
        time_machine.travel(datetime.datetime(2025, 3, 3, 11, tzinfo=LONDON), tick=False),
        django_assert_max_num_queries(12),
    ):
        response = client.get(reverse("initiatives:service_list"), {"open_now": "on"})

    assert response.context["paginator"].count == size


@pytest.mark.usefixtures("pages_drawn_afresh")  # the results' cache, under the page cache
def test_open_now_results_are_kept_for_their_minute_only(client, django_assert_max_num_queries):
    closing = ServiceFactory(name="Closes at one minute past ten")
    ScheduleFactory(service=closing, **hours(MON, (9, 0), (10, 1)))
    ScheduleFactory(service=ServiceFactory(name="Open all morning"), **hours(MON, (9, 0), (12, 0)))
    url = reverse("initiatives:service_list")

    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, 0, 5, tzinfo=LONDON), tick=False):
        client.get(url, {"open_now": "on"})
        with django_assert_max_num_queries(4):  # the page's rows and their hours; no search, no counts
            again = client.get(url, {"open_now": "on"})
    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, 1, tzinfo=LONDON), tick=False):
        next_minute = client.get(url, {"open_now": "on"})

    assert "Closes at one minute past ten" in again.content.decode()
    assert "Closes at one minute past ten" not in next_minute.content.decode()
    assert "Open all morning" in next_minute.content.decode()
