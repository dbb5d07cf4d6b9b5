"""Say an indicator's latest figure in one plain sentence: what it counts, where and when.

Resident pages show this sentence on its own, so it holds no comparison, interval, polarity
or citation: those sit behind "About this figure" and on the indicator page. The number is
worded by formatting.py, as everywhere else. An indicator's `what_it_counts` lets staff phrase
the sentence; without it the title leads, which reads less smoothly but is never wrong.
"""

from decimal import Decimal

from .choices import ValueType
from .formatting import figure, format_number, rank_text


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
