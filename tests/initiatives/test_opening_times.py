"""Open now, at the edges: the closing minute, midnight and the two clock changes, in Milton Keynes
time; the day filter; events leaving the results after their end date; a service's next sessions.

Time is frozen by passing `now` to the pure functions, or with time-machine for the pages; nothing
sleeps.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from initiatives.models import Schedule, Service, ServiceKind, ServiceStatus
from initiatives.opening_times import opening_status
from tests.factories import DatedSessionFactory, ScheduleFactory, ServiceFactory

URL = reverse("initiatives:service_list")
LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
MON, TUE, FRI, SAT, SUN = 0, 1, 4, 5, 6


def at(year, month, day, hour, minute=0, second=0, tz=LONDON) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=tz)


def weekly(weekday, opens, closes):
    return SimpleNamespace(weekday=weekday, opens_at=datetime.time(*opens), closes_at=datetime.time(*closes))


def session(starts, ends):
    return SimpleNamespace(starts_at=starts, ends_at=ends)


NINE_TO_FIVE_MONDAY = weekly(MON, (9, 0), (17, 0))  # 3 March 2025 is a Monday


@pytest.mark.parametrize(
    ("schedules", "now", "says"),
    [
        pytest.param([NINE_TO_FIVE_MONDAY], at(2025, 3, 3, 9, 0), "Open now", id="the-opening-minute"),
        pytest.param([NINE_TO_FIVE_MONDAY], at(2025, 3, 3, 16, 59, 59), "Open now", id="last-second"),
        pytest.param(
            [NINE_TO_FIVE_MONDAY],
            at(2025, 3, 3, 17, 0),
            "Closed now – opens next Monday 9:00",
            id="the-closing-minute-is-closed",
        ),
        pytest.param(
            [NINE_TO_FIVE_MONDAY], at(2025, 3, 3, 8, 59), "Closed now – opens today 9:00", id="before-opening"
        ),
        pytest.param(
            [NINE_TO_FIVE_MONDAY, weekly(TUE, (9, 30), (12, 0))],
            at(2025, 3, 3, 18, 0),
            "Closed now – opens tomorrow 9:30",
            id="opens-tomorrow",
        ),
        pytest.param(
            [NINE_TO_FIVE_MONDAY],
            at(2025, 3, 5, 10, 0),
            "Closed now – opens Monday 9:00",
            id="opens-on-a-named-day",
        ),
        pytest.param(
            [weekly(FRI, (18, 0), (0, 0))], at(2025, 3, 7, 23, 59, 59), "Open now", id="until-midnight"
        ),
        pytest.param(
            [weekly(FRI, (18, 0), (0, 0))],
            at(2025, 3, 8, 0, 0),
            "Closed now – opens Friday 18:00",
            id="midnight-itself-is-the-next-day",
        ),
        pytest.param(
            [weekly(SAT, (0, 0), (0, 0))], at(2025, 3, 8, 0, 0), "Open now", id="all-day-at-midnight"
        ),
        pytest.param([weekly(SAT, (0, 0), (0, 0))], at(2025, 3, 8, 23, 59), "Open now", id="all-day-late"),
        # Sunday 30 March 2025: the clocks go forward at 01:00 GMT. 08:30 GMT is 09:30 on the clock.
        pytest.param(
            [weekly(SUN, (9, 0), (17, 0))], at(2025, 3, 30, 8, 30, tz=UTC), "Open now", id="march-bst-morning"
        ),
        pytest.param(
            [weekly(SUN, (9, 0), (17, 0))],
            at(2025, 3, 30, 16, 0, tz=UTC),
            "Closed now – opens next Sunday 9:00",
            id="march-bst-closing-time",
        ),
        pytest.param(
            [weekly(SAT, (9, 0), (17, 0))],
            at(2025, 3, 29, 8, 30, tz=UTC),
            "Closed now – opens today 9:00",
            id="march-day-before-still-gmt",
        ),
        pytest.param(
            [weekly(SUN, (2, 0), (3, 0))],
            at(2025, 3, 30, 1, 0, tz=UTC),
            "Open now",
            id="march-the-hour-that-jumps-to-two",
        ),
        # Sunday 26 October 2025: the clocks go back at 01:00 GMT. 08:30 GMT is 08:30 on the clock.
        pytest.param(
            [weekly(SUN, (9, 0), (17, 0))],
            at(2025, 10, 26, 8, 30, tz=UTC),
            "Closed now – opens today 9:00",
            id="october-gmt-morning",
        ),
        pytest.param(
            [weekly(SUN, (9, 0), (17, 0))],
            at(2025, 10, 26, 16, 30, tz=UTC),
            "Open now",
            id="october-gmt-afternoon",
        ),
        pytest.param(
            [weekly(SUN, (1, 0), (2, 0))],
            at(2025, 10, 26, 0, 30, tz=UTC),
            "Open now",
            id="october-first-1-30-bst",
        ),
        pytest.param(
            [weekly(SUN, (1, 0), (2, 0))],
            at(2025, 10, 26, 1, 30, tz=UTC),
            "Open now",
            id="october-second-1-30-gmt",
        ),
    ],
)
def test_open_now_at_the_edges(schedules, now, says):
    assert str(opening_status(schedules, [], now)) == says


def test_a_session_in_progress_is_open_and_the_next_session_says_when():
    start = at(2025, 6, 10, 10, 0)  # a Tuesday
    talks = [session(start, start + datetime.timedelta(hours=2))]

    assert str(opening_status([], talks, start + datetime.timedelta(minutes=30))) == "Open now"
    assert (
        str(opening_status([], talks, start - datetime.timedelta(days=1)))
        == "Closed now – opens tomorrow 10:00"
    )
    assert (
        str(opening_status([], talks, start - datetime.timedelta(days=30)))
        == "Closed now – opens 10 June 10:00"
    )
    assert str(opening_status([], talks, start + datetime.timedelta(hours=2))) == "Closed now"


def test_nothing_known_says_nothing():
    assert opening_status([], [], at(2025, 6, 10, 10, 0)) is None


# ---- the same rule in the database, and on the page ---------------------------------------------


def frozen(moment):
    """Stop the clock at `moment` while the block runs."""
    return time_machine.travel(moment, tick=False)


def listed(client, **query) -> list[str]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return [service.name for service in response.context["page_obj"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "is_open"),
    [
        pytest.param(at(2025, 3, 3, 16, 59), True, id="a-minute-before-closing"),
        pytest.param(at(2025, 3, 3, 17, 0), False, id="the-closing-minute"),
        pytest.param(at(2025, 3, 30, 8, 30, tz=UTC), True, id="march-clock-change"),
        pytest.param(at(2025, 10, 26, 8, 30, tz=UTC), False, id="october-clock-change"),
        pytest.param(at(2025, 3, 7, 23, 59), True, id="friday-late-until-midnight"),
        pytest.param(at(2025, 3, 8, 0, 0), False, id="saturday-midnight"),
    ],
)
def test_open_now_filter_and_the_card_agree(client, now, is_open):
    service = ServiceFactory(name="Drop-in")
    ScheduleFactory(service=service, weekday=MON, opens_at=datetime.time(9), closes_at=datetime.time(17))
    ScheduleFactory(service=service, weekday=SUN, opens_at=datetime.time(9), closes_at=datetime.time(17))
    ScheduleFactory(service=service, weekday=FRI, opens_at=datetime.time(18), closes_at=datetime.time(0))

    with frozen(now):
        filtered = listed(client, open_now="on")
        page = client.get(URL).content.decode()

    assert (filtered == ["Drop-in"]) is is_open
    assert ('class="opening is-open">Open now<' in page) is is_open
    assert ("Closed now – opens" in page) is not is_open


@pytest.mark.django_db
def test_a_session_in_progress_counts_as_open_now(client):
    now = at(2025, 6, 10, 11, 0)
    talk = ServiceFactory(name="Careers talk", kind=ServiceKind.EVENT)
    DatedSessionFactory(service=talk, starts_at=at(2025, 6, 10, 10, 0), ends_at=at(2025, 6, 10, 12, 0))
    later = ServiceFactory(name="Later talk", kind=ServiceKind.EVENT)
    DatedSessionFactory(service=later, starts_at=at(2025, 6, 10, 14, 0), ends_at=at(2025, 6, 10, 15, 0))

    with frozen(now):
        assert listed(client, open_now="on") == ["Careers talk"]
        page = client.get(URL).content.decode()

    assert "Closed now – opens today 14:00" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [
        pytest.param(ServiceStatus.TEMPORARILY_CLOSED, id="temporarily-closed"),
        pytest.param(ServiceStatus.PLANNED, id="not-started"),
    ],
)
def test_weekly_hours_do_not_make_a_closed_or_unstarted_service_open(client, status):
    service = ServiceFactory(name="Paused club", status=status)
    ScheduleFactory(service=service, weekday=MON, opens_at=datetime.time(9), closes_at=datetime.time(17))

    with frozen(at(2025, 3, 3, 10, 0)):
        assert listed(client, open_now="on") == []
        page = client.get(service.get_absolute_url()).content.decode()
        assert "Open now" not in page and "Closed now" not in page


@pytest.mark.django_db
def test_weekly_hours_wait_for_the_start_date(client):
    service = ServiceFactory(name="New course", starts_on=datetime.date(2025, 3, 10))
    ScheduleFactory(service=service, weekday=MON, opens_at=datetime.time(9), closes_at=datetime.time(17))

    with frozen(at(2025, 3, 3, 10, 0)):
        assert listed(client, open_now="on") == []
    with frozen(at(2025, 3, 10, 10, 0)):
        assert listed(client, open_now="on") == ["New course"]


@pytest.mark.django_db
def test_days_are_ored_and_count_sessions_in_the_coming_week(client):
    monday = ServiceFactory(name="Monday club")
    ScheduleFactory(service=monday, weekday=MON)
    tuesday = ServiceFactory(name="Tuesday club")
    ScheduleFactory(service=tuesday, weekday=TUE)
    event = ServiceFactory(name="Tuesday fair", kind=ServiceKind.EVENT)
    DatedSessionFactory(service=event, starts_at=at(2025, 3, 4, 10), ends_at=at(2025, 3, 4, 16))  # tomorrow
    past = ServiceFactory(name="Old Tuesday fair", kind=ServiceKind.EVENT)
    DatedSessionFactory(service=past, starts_at=at(2025, 2, 25, 10), ends_at=at(2025, 2, 25, 16))
    later = ServiceFactory(name="Tuesday fair next month", kind=ServiceKind.EVENT)
    DatedSessionFactory(service=later, starts_at=at(2025, 4, 1, 10), ends_at=at(2025, 4, 1, 16))
    morning = ServiceFactory(name="Monday morning talk", kind=ServiceKind.EVENT)
    DatedSessionFactory(service=morning, starts_at=at(2025, 3, 3, 9), ends_at=at(2025, 3, 3, 11))  # over
    ServiceFactory(name="Hours unknown")

    with frozen(at(2025, 3, 3, 12, 0)):
        assert listed(client, day="tuesday") == ["Tuesday club", "Tuesday fair"]
        assert listed(client, day=["monday", "tuesday"]) == ["Monday club", "Tuesday club", "Tuesday fair"]


@pytest.mark.django_db
def test_an_unknown_day_is_a_400(client):
    response = client.get(URL, {"day": "funday"})

    assert response.status_code == 400
    assert "We do not have a day called “funday”" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "listed_now"),
    [
        pytest.param(datetime.date(2025, 10, 17), True, id="on-its-last-day"),
        pytest.param(datetime.date(2025, 10, 18), False, id="the-day-after"),
    ],
)
def test_an_event_leaves_the_results_by_itself_after_its_end_date(client, today, listed_now):
    ServiceFactory(
        name="Tech Week",
        kind=ServiceKind.EVENT,
        starts_on=datetime.date(2025, 10, 13),
        ends_on=datetime.date(2025, 10, 17),
    )

    # Just after midnight in Milton Keynes, which is still the day before in UTC during BST.
    with frozen(datetime.datetime.combine(today, datetime.time(0, 30), tzinfo=LONDON)):
        assert ("Tech Week" in listed(client)) is listed_now
        assert "Tech Week" in listed(client, include_ended="on")
        assert Service.objects.current().exists() is listed_now


@pytest.mark.django_db
def test_a_service_page_lists_its_next_sessions_in_order(client):
    now = at(2025, 6, 10, 11, 0)
    service = ServiceFactory(name="Workshops", kind=ServiceKind.EVENT)
    DatedSessionFactory(
        service=service, title="Finished", starts_at=at(2025, 6, 9, 10), ends_at=at(2025, 6, 9, 12)
    )
    DatedSessionFactory(
        service=service, title="Under way", starts_at=at(2025, 6, 10, 10), ends_at=at(2025, 6, 10, 12)
    )
    DatedSessionFactory(
        service=service, title="Residential", starts_at=at(2025, 6, 20, 18), ends_at=at(2025, 6, 21, 12)
    )
    for day in range(1, 6):
        DatedSessionFactory(
            service=service, title=f"Week {day}", starts_at=at(2025, 7, day, 10), ends_at=at(2025, 7, day, 11)
        )

    with frozen(now):
        page = client.get(service.get_absolute_url()).content.decode()

    assert "Finished" not in page
    assert page.index("Under way") < page.index("Residential") < page.index("Week 1")
    assert "Friday 20 June 2025, 18:00 to Saturday 21 June 2025, 12:00: Residential" in page
    assert "Tuesday 1 July 2025, 10:00 to 11:00: Week 1" in page
    assert "Week 4" not in page and "and 2 more." in page
    assert "Open now" in page


@pytest.mark.django_db
def test_hours_may_close_at_midnight_but_never_before_they_open():
    service = ServiceFactory()

    Schedule.objects.create(
        service=service, weekday=FRI, opens_at=datetime.time(18), closes_at=datetime.time(0)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Schedule.objects.create(
            service=service, weekday=FRI, opens_at=datetime.time(18), closes_at=datetime.time(17)
        )
    assert str(Schedule.objects.get()) == "Friday 18:00–midnight"
