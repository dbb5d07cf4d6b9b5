"""Derive how a figure compares, against other areas for the same period and over time.

Judgements are derived from the data, never typed in. Everything here is a pure
function of data points already loaded (`Indicator.objects.with_figures()`), so pages
that show judgements run no extra queries, and the rules can be tested without a
database. Where the source states only a direction ("lower than the England
average"), the judgement repeats it "according to the source" and compares no values.
The sentences avoid statisticians' shorthand ("as lower is better"): they say why in words.
Over time a figure is rising, falling or shows no clear change; the indicator's polarity then
reads that as better or worse ("Rising: ..., which is worse because a lower figure is better").
"""

import math
from dataclasses import dataclass, field

from .choices import ComparisonRelation, Polarity, StatedTrend
from .formatting import figure
from .intervals import Z_95, Interval, confidence_interval

TREND_PERIODS = 3  # a trend needs this many recent periods, all moving the same way

# Relations to a comparator
HIGHER, LOWER, SIMILAR = "higher", "lower", "similar"
# Judgements against a comparator (with polarity "none" the judgement is the relation itself)
BETTER, WORSE = "better", "worse"
# Relations over time, and their judgements by polarity (with polarity "none", the relation itself)
RISING, FALLING, NO_CLEAR_CHANGE, NOT_ENOUGH_DATA = "rising", "falling", "no clear change", "not enough data"
IMPROVING, WORSENING = "improving", "worsening"

RELATION_WORDS = {HIGHER: "higher than", LOWER: "lower than", SIMILAR: "similar to"}
STATED_RELATIONS = {
    ComparisonRelation.HIGHER: HIGHER,
    ComparisonRelation.LOWER: LOWER,
    ComparisonRelation.SIMILAR: SIMILAR,
}
STATED_TRENDS = {
    StatedTrend.INCREASED: RISING,
    StatedTrend.DECREASED: FALLING,
    StatedTrend.UNCHANGED: NO_CLEAR_CHANGE,
}
STATED_TREND_WORDS = {
    StatedTrend.INCREASED: "increased",
    StatedTrend.DECREASED: "decreased",
    StatedTrend.UNCHANGED: "stayed the same",
}


@dataclass(frozen=True)
class Judgement:
    """How a figure compares with one comparator area (or, with no comparator, over time)."""

    comparator: object | None  # an Area; None for a trend
    relation: str  # higher / lower / similar; rising / falling / no clear change
    judgement: str  # better / similar / worse, higher / lower, improving / worsening, ...
    sentence: str  # a whole sentence a resident can read on its own
    clause: str = ""  # the same, to go inside a longer summary sentence
    stated: bool = False  # the source states the direction; no values were compared

    @property
    def is_better(self) -> bool:
        return self.judgement in (BETTER, IMPROVING)

    @property
    def is_worse(self) -> bool:
        return self.judgement in (WORSE, WORSENING)


@dataclass(frozen=True)
class Assessment:
    """Everything derived about an indicator's latest figure for the home area."""

    point: object | None  # the latest home-area DataPoint
    comparisons: list[Judgement] = field(default_factory=list)
    trend: Judgement | None = None
    summary: str = ""


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _judge(relation: str, polarity: str) -> str:
    """Turn higher / lower / similar into better / worse / similar by the indicator's polarity."""
    if relation == SIMILAR or polarity == Polarity.NO_JUDGEMENT:
        return relation
    better_when = HIGHER if polarity == Polarity.HIGHER_IS_BETTER else LOWER
    return BETTER if relation == better_when else WORSE


def _polarity_reason(polarity: str) -> str:
    better = "higher" if polarity == Polarity.HIGHER_IS_BETTER else "lower"
    return f"because a {better} figure is better"


def compare(point, other, *, polarity: str, value_type: str) -> Judgement | None:
    """Judge `point` against `other`, the comparator area's value for the same period.

    Similar when the 95% intervals overlap (a value without an interval counts as exact);
    otherwise higher or lower, judged better or worse by polarity. None when either has
    no value, such as a rank-only figure.
    """
    if point.value is None or other.value is None:
        return None
    ours = confidence_interval(point, value_type) or Interval(float(point.value), float(point.value))
    theirs = confidence_interval(other, value_type) or Interval(float(other.value), float(other.value))
    exact = ours.lower == ours.upper and theirs.lower == theirs.upper
    relation = SIMILAR if ours.overlaps(theirs) else HIGHER if point.value > other.value else LOWER
    judgement = _judge(relation, polarity)

    area = other.area.name
    if relation == SIMILAR and exact:
        phrase = f"the same as {area} ({figure(other)})"
    else:
        phrase = f"{RELATION_WORDS[relation]} {area} ({figure(other)})"
    if judgement in (BETTER, WORSE):
        reason = f"{judgement}, {_polarity_reason(polarity)}"
        clause = f"{phrase}, which is {judgement}"
    elif relation == SIMILAR and not exact:
        reason = "the difference is within the margin of error"
        clause = phrase
    else:
        reason = ""
        clause = phrase
    sentence = f"{_capitalise(phrase)}: {reason}." if reason else f"{_capitalise(phrase)}."
    return Judgement(other.area, relation, judgement, sentence, clause)


def as_stated(comparison, *, polarity: str) -> Judgement:
    """Repeat a comparison the source states in words, judged by polarity, with no value invented."""
    relation = STATED_RELATIONS[comparison.relation]
    judgement = _judge(relation, polarity)
    phrase = f"{RELATION_WORDS[relation]} {comparison.wording or comparison.comparator.name}"
    sentence = f"{_capitalise(phrase)}, according to the source"
    if judgement in (BETTER, WORSE):
        sentence += f": {judgement}, {_polarity_reason(polarity)}"
    return Judgement(comparison.comparator, relation, judgement, sentence + ".", phrase, stated=True)


def compare_with_areas(point, comparators, stated_comparisons, *, polarity, value_type) -> list[Judgement]:
    """Judge the home figure against each comparator: from values where both exist, else as stated."""
    judgements = []
    compared = set()
    for other in comparators:
        judgement = compare(point, other, polarity=polarity, value_type=value_type)
        if judgement is not None:
            judgements.append(judgement)
            compared.add(other.area.pk)
    judgements.extend(
        as_stated(comparison, polarity=polarity)
        for comparison in stated_comparisons
        if comparison.comparator.pk not in compared
    )
    return judgements


def _judge_trend(relation: str, polarity: str) -> str:
    if relation == NO_CLEAR_CHANGE or polarity == Polarity.NO_JUDGEMENT:
        return relation
    rising_is_good = polarity == Polarity.HIGHER_IS_BETTER
    return IMPROVING if (relation == RISING) == rising_is_good else WORSENING


def _standard_error(point, value_type: str) -> float:
    """A value's standard error from its 95% interval: 0 for a value without one, which counts as exact."""
    interval = confidence_interval(point, value_type)
    return 0.0 if interval is None else (interval.upper - interval.lower) / (2 * Z_95)


def clear_change(earlier, later, *, value_type: str) -> bool:
    """Whether one area's value changed between two periods by more than the margin of error.

    The change is clear when it is more than 1.96 times its standard error, worked out from
    the two values' 95% intervals. Asking instead that the intervals do not overlap is much
    stricter (for equal margins, a 99.4% test): on the ONS series it called Milton Keynes' median
    weekly pay, up from £609.40 in 2023 to £703.60 in 2025, and its employment rate through the
    recession, down from 78.9% in 2008 to 73.4% in 2010, "no clear change". Values without
    intervals count as exact, so they change whenever they differ.
    """
    if earlier.value is None or later.value is None or earlier.value == later.value:
        return False
    error = math.hypot(_standard_error(earlier, value_type), _standard_error(later, value_type))
    return abs(float(later.value) - float(earlier.value)) > Z_95 * error


def trend(series, *, polarity: str, value_type: str) -> Judgement:
    """Judge one area's recent periods: the last TREND_PERIODS values, oldest to newest.

    Rising or falling only when every step goes the same way and the first and last values
    differ by more than the margin of error (`clear_change`); otherwise no clear change. With
    too few periods, the latest point's stated trend is repeated, saying it is the source's.
    """
    points = sorted((p for p in series if p.value is not None), key=lambda p: (p.period_start, p.period_end))
    recent = points[-TREND_PERIODS:]
    if len(recent) < TREND_PERIODS:
        latest = max(series, key=lambda p: (p.period_start, p.period_end), default=None)
        if latest is not None and latest.stated_trend:
            return _stated_trend(latest.stated_trend, polarity)
        return Judgement(
            None,
            NOT_ENOUGH_DATA,
            NOT_ENOUGH_DATA,
            f"Not enough periods to judge a trend: it needs {TREND_PERIODS}.",
        )

    steps = [later.value - earlier.value for earlier, later in zip(recent, recent[1:], strict=False)]
    first, last = recent[0], recent[-1]
    one_way = all(step > 0 for step in steps) or all(step < 0 for step in steps)
    clear = clear_change(first, last, value_type=value_type)
    relation = (RISING if last.value > first.value else FALLING) if one_way and clear else NO_CLEAR_CHANGE
    judgement = _judge_trend(relation, polarity)

    span = f"from {figure(first)} in {first.period_label} to {figure(last)} in {last.period_label}"
    periods = f"the last {len(recent)} periods"
    if relation == NO_CLEAR_CHANGE:
        within_error = ": the change is within the margin of error" if one_way else ""
        sentence = f"No clear change over {periods}, {span}{within_error}."
        clause = f"with no clear change over {periods}"
    else:
        verb = "rose" if relation == RISING else "fell"
        sentence = f"{_capitalise(relation)}: it {verb} in each of {periods}, {span}"
        sentence += _trend_reading(judgement, polarity) + "."
        clause = f"{relation} over {periods}"
        if judgement in (IMPROVING, WORSENING):
            clause += f", which is {BETTER if judgement == IMPROVING else WORSE}"
    return Judgement(None, relation, judgement, sentence, clause)


def _trend_reading(judgement: str, polarity: str) -> str:
    """', which is worse because a lower figure is better'; nothing without a polarity."""
    if judgement not in (IMPROVING, WORSENING):
        return ""
    better_or_worse = BETTER if judgement == IMPROVING else WORSE
    return f", which is {better_or_worse} {_polarity_reason(polarity)}"


def _stated_trend(stated: str, polarity: str) -> Judgement:
    relation = STATED_TRENDS[stated]
    judgement = _judge_trend(relation, polarity)
    words = STATED_TREND_WORDS[stated]
    sentence = f"It has {words} since the previous period, according to the source"
    sentence += _trend_reading(judgement, polarity)
    clause = f"the source says it has {words} since the previous period"
    return Judgement(None, relation, judgement, sentence + ".", clause, stated=True)


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def summary_sentence(point, comparisons: list[Judgement], trend_judgement: Judgement | None) -> str:
    """One sentence: 'Milton Keynes 4.34% in August 2025, lower than the England average, according ...'."""
    sentence = f"{point.area.name} {figure(point)} in {point.period_label}"
    derived = [judgement.clause for judgement in comparisons if not judgement.stated]
    stated = [judgement.clause for judgement in comparisons if judgement.stated]
    if derived:
        sentence += ", " + _join(derived)
    if stated:
        sentence += (" and " if derived else ", ") + _join(stated) + ", according to the source"
    if trend_judgement is not None and trend_judgement.relation != NOT_ENOUGH_DATA:
        sentence += "; " + trend_judgement.clause
    return sentence + "."


def assess(indicator) -> Assessment:
    """Derive the comparisons, trend and summary of an indicator loaded `with_figures()`."""
    point = indicator.latest_home_figure
    if point is None:
        return Assessment(None)
    kinds = {"polarity": indicator.polarity, "value_type": indicator.value_type}
    comparisons = compare_with_areas(
        point, indicator.comparator_figures, point.stated_comparisons.all(), **kinds
    )
    home_series = [other for other in indicator.figures if other.area_id == point.area_id]
    trend_judgement = trend(home_series, **kinds)
    summary = summary_sentence(point, comparisons, trend_judgement)
    return Assessment(point, comparisons, trend_judgement, summary)
