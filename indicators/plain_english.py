"""Say an indicator's latest figure in one plain sentence: what it counts, where and when.

Resident pages show this sentence on its own, so it holds no comparison, interval, polarity
or citation: those sit behind "About this figure" and on the indicator page. The number is
worded by formatting.py, as everywhere else. An indicator's `what_it_counts` lets staff phrase
the sentence; without it the title leads, which reads less smoothly but is never wrong.

Beside it, `change_sentence` says how the figure has changed over time and where it now stands
against England: "Up from 1.6% in 2015 to 4.1% in 2025; now above England." It uses the same
intervals as the judgements, but only to choose plain words (about the same, similar to); it
never says better or worse.
"""

from decimal import Decimal

from .choices import ValueType
from .formatting import figure, format_number, rank_text
from .intervals import confidence_interval
from .judgements import HIGHER, LOWER, SIMILAR, clear_change, compare

# Two periods are enough to say "up from 3.4% in 2023 to 4.0% in 2024": the sentence claims only
# that the latest figure differs from the earliest, as sources do ("up from a year ago"), and says
# "about the same" when the margin of error could explain the difference. It claims no direction
# of travel; that is the trend on the indicator page, which needs judgements.TREND_PERIODS.
CHANGE_PERIODS = 2
MAIN_COMPARATOR_CODE = "E92000001"  # England: the comparator residents and sources name first
POSITION_WORDS = {HIGHER: "above", LOWER: "below"}


def plain_sentence(indicator, point) -> str:
    """One sentence about `point`, the indicator's latest home figure, or that there is none yet."""
    if point is None:
        return _no_figure_sentence(indicator)
    if point.value is None or indicator.value_type == ValueType.RANK:
        return _rank_sentence(indicator, point) if point.rank is not None else _no_figure_sentence(indicator)
    if indicator.value_type == ValueType.CHANGE:
        return _change_sentence(indicator, point)
    if indicator.value_type == ValueType.CURRENCY:
        return _amount_sentence(indicator, point)
    return _share_or_count_sentence(indicator, point)


def _no_figure_sentence(indicator) -> str:
    return f"There is no figure yet for “{indicator.title}”."


def _share_or_count_sentence(indicator, point) -> str:
    """'In Milton Keynes, 4.34% of people were unemployed in August 2025.'"""
    area, when = point.area.name, _when(indicator, point)
    if indicator.what_it_counts:
        return f"In {area}, {figure(point)} {indicator.what_it_counts}{when}."
    return f"{indicator.title}: {figure(point)} in {area}{when}."


def _amount_sentence(indicator, point) -> str:
    """'In Milton Keynes, average weekly pay was £730.50 in 2024.'"""
    area, when = point.area.name, _when(indicator, point)
    if indicator.what_it_counts:
        return f"In {area}, {indicator.what_it_counts} was {figure(point)}{when}."
    return f"{indicator.title}: {figure(point)} in {area}{when}."


def _change_sentence(indicator, point) -> str:
    """'In Milton Keynes, average yearly pay went up by 17.6% over 2021 to 2024.'

    Said as up or down rather than with a sign, which is easy to miss.
    """
    area, when = point.area.name, _when(indicator, point)
    size = format_number(abs(point.value), indicator.decimal_places)
    if Decimal(size) == 0:
        movement = "stayed about the same"
    else:
        movement = f"went {'up' if point.value > 0 else 'down'} by {size}%"
    if indicator.what_it_counts:
        return f"In {area}, {indicator.what_it_counts} {movement}{when}."
    return f"{indicator.title}: {movement} in {area}{when}."


def _rank_sentence(indicator, point) -> str:
    """'Milton Keynes ranked 8th among UK cities for average weekly pay in 2024.'

    Only a rank indicator's wording names what is ranked; another type's reads after a number.
    """
    place = rank_text(point.rank, point.rank_out_of, indicator.rank_scope)
    when = f" in {point.period_label}"
    if indicator.what_it_counts and indicator.value_type == ValueType.RANK:
        return f"{point.area.name} ranked {place} for {indicator.what_it_counts}{when}."
    return f"{indicator.title}: {point.area.name} ranked {place}{when}."


def _when(indicator, point) -> str:
    """' in August 2025'; a change is over its period.

    A survey says so, and how many answered, since residents weigh "76% of those asked"
    differently from a count of everyone.
    """
    if indicator.value_type == ValueType.SURVEY_PROPORTION:
        asked = f" of {format_number(point.sample_size, 0)} people" if point.sample_size else ""
        return f", from a survey{asked} in {point.period_label}"
    if indicator.value_type == ValueType.CHANGE:
        return f" over {point.period_label}"
    return f" in {point.period_label}"


def change_sentence(indicator) -> str:
    """'Up from 1.7% in 2004 to 1.9% in 2019; still below England.', or '' with too few periods.

    Compares the earliest and latest home values of an indicator loaded `with_figures()`, then,
    where the main comparator (England, else the first other area) has a value for the latest
    period, says where the home figure stands against it and whether that changed since the
    earliest period. Ranks and changes are left out: a rank is not a value that goes up or down
    plainly, and a change is already a change over time.
    """
    latest = indicator.latest_home_figure
    if latest is None or latest.value is None or indicator.value_type in (ValueType.RANK, ValueType.CHANGE):
        return ""
    series = sorted(
        (point for point in indicator.figures if point.area_id == latest.area_id and point.value is not None),
        key=_period,
    )
    if len(series) < CHANGE_PERIODS:
        return ""
    first, last = series[0], series[-1]
    if figure(first) == figure(last) or not clear_change(first, last, value_type=indicator.value_type):
        sentence = f"About the same as in {first.period_label} ({figure(first)})"
    else:
        direction = "Up" if last.value > first.value else "Down"
        sentence = f"{direction} from {figure(first)} in {first.period_label}"
        sentence += f" to {figure(last)} in {last.period_label}"
    position = _position(indicator, first, last)
    return f"{sentence}; {position}." if position else f"{sentence}."


def _period(point) -> tuple:
    return (point.period_start, point.period_end)


def _position(indicator, first, last) -> str:
    """'still below England', 'now above England', 'below England' or 'similar to England'; '' without one."""
    others = {}  # area -> {period: point}, for the other areas with a value in the latest period
    for point in indicator.figures:
        if point.area_id != last.area_id and point.value is not None:
            others.setdefault(point.area, {})[_period(point)] = point
    areas = [area for area, points in others.items() if _period(last) in points]
    if not areas:
        return ""
    main = min(areas, key=lambda area: (area.code != MAIN_COMPARATOR_CODE, area.kind, area.name))
    now = _side(indicator, last, others[main][_period(last)])
    before = others[main].get(_period(first))
    then = _side(indicator, first, before) if before is not None else None
    if then is None:
        return f"{now} {main.name}"
    return f"{'still' if then == now else 'now'} {now} {main.name}"


def _side(indicator, point, other) -> str:
    """'above', 'below', 'similar to' (the 95% intervals overlap) or 'the same as' (exactly equal)."""
    judgement = compare(point, other, polarity=indicator.polarity, value_type=indicator.value_type)
    if judgement.relation != SIMILAR:
        return POSITION_WORDS[judgement.relation]
    exact = not any(confidence_interval(each, indicator.value_type) for each in (point, other))
    return "the same as" if exact and figure(point) == figure(other) else "similar to"
