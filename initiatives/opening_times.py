"""Whether a service is open at a given moment, and when it next opens, in Milton Keynes time.

Weekly hours are wall-clock times in Europe/London, so every moment is first turned into
local time with zoneinfo: a schedule of 9:00 to 17:00 means 9:00 to 17:00 on the clock on the
wall, in GMT and in BST alike, on the days the clocks change too. The closing minute itself
is closed (open from 9:00 up to, not including, 17:00), and a closing time of 00:00 means
midnight at the end of the day.

Weekly hours are counted in whole minutes of the local week (minute_of_week, weekly_minutes), the
same arithmetic as the minutes each Schedule row keeps in the database (Schedule.opens_minute and
closes_minute), so the page's words and the "Open now" filter cannot disagree. On the morning the
clocks go back, 1:30 comes twice and is open both times; on the morning they go forward, 1:00 to
2:00 never comes.

These functions take `now` as an argument, so tests can ask about any moment; the
ServiceQuerySet.open_at filter applies the same rule in the database.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MILTON_KEYNES_TIME = ZoneInfo("Europe/London")
MIDNIGHT = datetime.time(0)
MINUTES_PER_DAY = 24 * 60
DAYS_AHEAD = 7  # weekly hours repeat, so the next opening is always within a week


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool
    next_opening: datetime.datetime | None = None  # local time; only when closed
    now: datetime.datetime | None = None  # local time the status was worked out for

    def __str__(self):
        if self.is_open:
            return "Open now"
        if self.next_opening is None:
            return "Closed now"
        return f"Closed now – opens {describe_opening(self.next_opening, self.now)}"


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(MILTON_KEYNES_TIME)


def minute_of_week(moment: datetime.datetime) -> int:
    """Minutes since Monday 00:00 on the clock in Milton Keynes, the seconds dropped."""
    here = local(moment)
    return here.weekday() * MINUTES_PER_DAY + here.hour * 60 + here.minute


def weekly_minutes(weekday: int, opens_at: datetime.time, closes_at: datetime.time) -> range:
    """The minutes of the week that weekly hours cover: from opening up to, not including, closing."""
    day = weekday * MINUTES_PER_DAY
    closes = MINUTES_PER_DAY if closes_at == MIDNIGHT else closes_at.hour * 60 + closes_at.minute
    return range(day + opens_at.hour * 60 + opens_at.minute, day + closes)


def schedule_covers(schedule, moment: datetime.datetime) -> bool:
    """Whether weekly hours (weekday, opens_at, closes_at) include this moment."""
    return minute_of_week(moment) in weekly_minutes(schedule.weekday, schedule.opens_at, schedule.closes_at)


def session_in_progress(session, moment: datetime.datetime) -> bool:
    return session.starts_at <= moment < session.ends_at


def opening_status(schedules, sessions, moment: datetime.datetime) -> OpeningStatus | None:
    """Open now, or closed and when it opens next; None when nothing says when it opens."""
    schedules, sessions = list(schedules), list(sessions)
    if not schedules and not sessions:
        return None
    here = local(moment)
    if any(schedule_covers(s, moment) for s in schedules) or any(
        session_in_progress(s, moment) for s in sessions
    ):
        return OpeningStatus(True, now=here)
    upcoming = [local(s.starts_at) for s in sessions if s.starts_at > moment]
    upcoming += [opening for s in schedules if (opening := _next_weekly_opening(s, here))]
    return OpeningStatus(False, min(upcoming, default=None), now=here)


def coming_days(weekdays, now: datetime.datetime) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Midnight to midnight, in Milton Keynes time, of the next date on each weekday (today included)."""
    today = local(now).date()
    spans = []
    for weekday in weekdays:
        day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
        start = datetime.datetime.combine(day, MIDNIGHT, tzinfo=MILTON_KEYNES_TIME)
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), MIDNIGHT, tzinfo=MILTON_KEYNES_TIME)
        spans.append((start, end))
    return spans


def _next_weekly_opening(schedule, here: datetime.datetime) -> datetime.datetime | None:
    for days in range(DAYS_AHEAD + 1):
        day = here.date() + datetime.timedelta(days=days)
        if day.weekday() != schedule.weekday:
            continue
        opening = datetime.datetime.combine(day, schedule.opens_at, tzinfo=MILTON_KEYNES_TIME)
        if opening > here:
            return opening
    return None


def describe_opening(opening: datetime.datetime, now: datetime.datetime) -> str:
    """'today 13:00', 'tomorrow 9:00', 'Tuesday 9:00', 'next Monday 9:00', or '3 March 9:00'."""
    clock = f"{opening.hour}:{opening.minute:02d}"
    days = (opening.date() - now.date()).days
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days < DAYS_AHEAD:
        return f"{opening:%A} {clock}"
    if days == DAYS_AHEAD:  # the same weekday as today: "Monday" alone would sound like today
        return f"next {opening:%A} {clock}"
    return f"{opening.day} {opening:%B} {clock}"
