"""Judgements are derived from the data: a table of cases by polarity, comparison, intervals and gaps.

Everything here runs on unsaved objects: the judgement rules never touch the database.
"""

import datetime
from decimal import Decimal

import pytest

from indicators import judgements
from indicators.choices import AreaKind, ComparisonRelation, Polarity, StatedTrend, ValueType
from indicators.intervals import confidence_interval, wilson_interval
from indicators.models import Area, DataPoint, Indicator, StatedComparison
from tests.factories import DataPointFactory

HOME = Area(pk=1, name="Milton Keynes", code="E06000042", kind=AreaKind.LOCAL_AUTHORITY, is_home=True)
ENGLAND = Area(pk=2, name="England", code="E92000001", kind=AreaKind.COUNTRY)
SOUTH_EAST = Area(pk=3, name="South East", code="E12000008", kind=AreaKind.REGION)

HIGHER_BETTER, LOWER_BETTER, NONE = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.NO_JUDGEMENT


def point(area, value=None, *, limits=None, sample=None, rank=None, month=8, value_type=ValueType.PERCENTAGE):
    indicator = Indicator(title="Example", value_type=value_type, decimal_places=1)
    start = datetime.date(2025, month, 1)
    return DataPoint(
        indicator=indicator,
        area=area,
        period_label=start.strftime("%B %Y"),
        period_start=start,
        period_end=start + datetime.timedelta(days=27),
        value=None if value is None else Decimal(value),
        lower_limit=None if limits is None else Decimal(limits[0]),
        upper_limit=None if limits is None else Decimal(limits[1]),
        sample_size=sample,
        rank=rank,
    )


# polarity, home (value, limits), comparator (value, limits), relation, judgement
COMPARISONS = [
    # no intervals: the values decide
    pytest.param(HIGHER_BETTER, ("5.0", None), ("4.0", None), "higher", "better", id="higher-better/higher"),
    pytest.param(HIGHER_BETTER, ("17.6", None), ("21.6", None), "lower", "worse", id="higher-better/lower"),
    pytest.param(HIGHER_BETTER, ("4.0", None), ("4.0", None), "similar", "similar", id="higher-better/equal"),
    pytest.param(LOWER_BETTER, ("5.0", None), ("4.0", None), "higher", "worse", id="lower-better/higher"),
    pytest.param(LOWER_BETTER, ("3.0", None), ("4.0", None), "lower", "better", id="lower-better/lower"),
    pytest.param(LOWER_BETTER, ("4.0", None), ("4.0", None), "similar", "similar", id="lower-better/equal"),
    pytest.param(NONE, ("5.0", None), ("4.0", None), "higher", "higher", id="no-polarity/higher"),
    pytest.param(NONE, ("3.0", None), ("4.0", None), "lower", "lower", id="no-polarity/lower"),
    pytest.param(NONE, ("4.0", None), ("4.0", None), "similar", "similar", id="no-polarity/equal"),
    # both have limits: overlapping intervals are similar whatever the values
    pytest.param(
        HIGHER_BETTER,
        ("5.0", ("4.0", "6.0")),
        ("4.5", ("4.2", "4.8")),
        "similar",
        "similar",
        id="higher-better/higher/overlapping",
    ),
    pytest.param(
        HIGHER_BETTER,
        ("7.0", ("6.5", "7.5")),
        ("4.5", ("4.2", "4.8")),
        "higher",
        "better",
        id="higher-better/higher/separate",
    ),
    pytest.param(
        HIGHER_BETTER,
        ("3.0", ("2.5", "3.5")),
        ("4.5", ("4.2", "4.8")),
        "lower",
        "worse",
        id="higher-better/lower/separate",
    ),
    pytest.param(
        LOWER_BETTER,
        ("4.0", ("3.0", "5.0")),
        ("4.6", ("4.4", "4.8")),
        "similar",
        "similar",
        id="lower-better/lower/overlapping",
    ),
    pytest.param(
        LOWER_BETTER,
        ("3.0", ("2.5", "3.5")),
        ("4.5", ("4.2", "4.8")),
        "lower",
        "better",
        id="lower-better/lower/separate",
    ),
    pytest.param(
        LOWER_BETTER,
        ("7.0", ("6.5", "7.5")),
        ("4.5", ("4.2", "4.8")),
        "higher",
        "worse",
        id="lower-better/higher/separate",
    ),
    pytest.param(
        NONE,
        ("7.0", ("6.5", "7.5")),
        ("4.5", ("4.2", "4.8")),
        "higher",
        "higher",
        id="no-polarity/higher/separate",
    ),
    pytest.param(
        NONE,
        ("4.6", ("4.0", "5.0")),
        ("4.5", ("4.2", "4.8")),
        "similar",
        "similar",
        id="no-polarity/overlapping",
    ),
    # limits on one side only: the other value counts as exact
    pytest.param(
        LOWER_BETTER,
        ("4.3", ("3.9", "4.7")),
        ("4.6", None),
        "similar",
        "similar",
        id="lower-better/comparator-inside-interval",
    ),
    pytest.param(
        LOWER_BETTER,
        ("4.3", ("3.9", "4.7")),
        ("5.2", None),
        "lower",
        "better",
        id="lower-better/comparator-outside-interval",
    ),
]


@pytest.mark.parametrize(("polarity", "ours", "theirs", "relation", "judgement"), COMPARISONS)
def test_comparison_against_a_comparator(polarity, ours, theirs, relation, judgement):
    home = point(HOME, ours[0], limits=ours[1])
    other = point(ENGLAND, theirs[0], limits=theirs[1])

    found = judgements.compare(home, other, polarity=polarity, value_type=ValueType.PERCENTAGE)

    assert (found.relation, found.judgement) == (relation, judgement)
    assert found.comparator == ENGLAND
    assert not found.stated
    assert "England" in found.sentence
    assert found.sentence.endswith(".")


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        pytest.param(point(HOME), point(ENGLAND, "4.0"), id="no-home-value"),
        pytest.param(point(HOME, "4.0"), point(ENGLAND), id="no-comparator-value"),
        pytest.param(point(HOME, rank=4), point(ENGLAND, rank=9), id="rank-only"),
    ],
)
def test_nothing_is_judged_without_two_values(ours, theirs):
    assert judgements.compare(ours, theirs, polarity=LOWER_BETTER, value_type=ValueType.PERCENTAGE) is None


def test_no_comparator_gives_no_comparisons():
    found = judgements.compare_with_areas(
        point(HOME, "4.3"), [], [], polarity=LOWER_BETTER, value_type=ValueType.PERCENTAGE
    )

    assert found == []


def test_sentence_names_the_comparator_value_and_why_it_is_worse():
    found = judgements.compare(
        point(HOME, "17.6", value_type=ValueType.CHANGE),
        point(Area(pk=4, name="United Kingdom"), "21.6", value_type=ValueType.CHANGE),
        polarity=HIGHER_BETTER,
        value_type=ValueType.CHANGE,
    )

    assert found.sentence == "Lower than United Kingdom (21.6%): worse, because a higher figure is better."
    assert found.clause == "lower than United Kingdom (21.6%), which is worse"


def test_overlapping_intervals_are_explained_as_the_margin_of_error():
    found = judgements.compare(
        point(HOME, "5.0", limits=("4.0", "6.0")),
        point(ENGLAND, "4.5", limits=("4.2", "4.8")),
        polarity=HIGHER_BETTER,
        value_type=ValueType.PERCENTAGE,
    )

    assert found.sentence == "Similar to England (4.5%): the difference is within the margin of error."


# ---- survey proportions: a Wilson interval from the sample size -------------------------------


def test_wilson_interval_matches_the_published_formula():
    lower, upper = wilson_interval(50, 100)

    assert (round(lower, 2), round(upper, 2)) == (40.38, 59.62)


def test_survey_proportion_without_limits_gets_an_interval_from_its_sample():
    survey = point(HOME, "66", sample=169, value_type=ValueType.SURVEY_PROPORTION)

    interval = confidence_interval(survey, ValueType.SURVEY_PROPORTION)

    assert interval.computed
    assert (round(interval.lower, 1), round(interval.upper, 1)) == (58.6, 72.7)


def test_a_plain_percentage_gets_no_computed_interval():
    assert confidence_interval(point(HOME, "66", sample=169), ValueType.PERCENTAGE) is None


@pytest.mark.parametrize(
    ("ours", "theirs", "judgement"),
    [
        pytest.param((66, 169), (70, 200), "similar", id="small-samples-overlap"),
        pytest.param((66, 5000), (70, 5000), "worse", id="large-samples-separate"),
    ],
)
def test_survey_proportions_compare_by_their_computed_intervals(ours, theirs, judgement):
    survey = ValueType.SURVEY_PROPORTION
    home = point(HOME, str(ours[0]), sample=ours[1], value_type=survey)
    other = point(ENGLAND, str(theirs[0]), sample=theirs[1], value_type=survey)

    found = judgements.compare(home, other, polarity=HIGHER_BETTER, value_type=survey)

    assert found.judgement == judgement


# ---- comparisons the source states only in words ----------------------------------------------


def stated(comparator, relation, wording=""):
    return StatedComparison(comparator=comparator, relation=relation, wording=wording)


@pytest.mark.parametrize(
    ("polarity", "relation", "judgement"),
    [
        pytest.param(LOWER_BETTER, ComparisonRelation.LOWER, "better", id="lower-better/stated-lower"),
        pytest.param(LOWER_BETTER, ComparisonRelation.HIGHER, "worse", id="lower-better/stated-higher"),
        pytest.param(HIGHER_BETTER, ComparisonRelation.LOWER, "worse", id="higher-better/stated-lower"),
        pytest.param(HIGHER_BETTER, ComparisonRelation.SIMILAR, "similar", id="higher-better/stated-similar"),
        pytest.param(NONE, ComparisonRelation.HIGHER, "higher", id="no-polarity/stated-higher"),
    ],
)
def test_stated_comparison_is_reported_as_stated(polarity, relation, judgement):
    found = judgements.compare_with_areas(
        point(HOME, "4.34"),
        [],
        [stated(ENGLAND, relation, "the England average")],
        polarity=polarity,
        value_type=ValueType.PERCENTAGE,
    )

    assert [(item.judgement, item.stated) for item in found] == [(judgement, True)]
    assert "the England average, according to the source" in found[0].sentence
    assert not any(character.isdigit() for character in found[0].sentence), "no value is invented"


def test_a_comparator_value_beats_the_sources_words_for_the_same_area():
    found = judgements.compare_with_areas(
        point(HOME, "4.34"),
        [point(ENGLAND, "4.0")],
        [stated(ENGLAND, ComparisonRelation.LOWER), stated(SOUTH_EAST, ComparisonRelation.HIGHER)],
        polarity=LOWER_BETTER,
        value_type=ValueType.PERCENTAGE,
    )

    assert [(item.comparator.name, item.relation, item.stated) for item in found] == [
        ("England", "higher", False),
        ("South East", "higher", True),
    ]


# ---- trend over recent periods of the home area -----------------------------------------------


def series(*values, limits=None, stated_trend=""):
    points = [
        point(HOME, value, month=month, limits=limits[index] if limits else None)
        for index, (month, value) in enumerate(zip(range(1, 13), values, strict=False))
    ]
    if points:
        points[-1].stated_trend = stated_trend
    return points


TRENDS = [
    pytest.param(
        series("4.0", "4.5", "5.0"), HIGHER_BETTER, "rising", "improving", id="rising/higher-better"
    ),
    pytest.param(series("4.0", "4.5", "5.0"), LOWER_BETTER, "rising", "worsening", id="rising/lower-better"),
    pytest.param(series("4.0", "4.5", "5.0"), NONE, "rising", "rising", id="rising/no-polarity"),
    pytest.param(
        series("5.0", "4.5", "4.0"), LOWER_BETTER, "falling", "improving", id="falling/lower-better"
    ),
    pytest.param(
        series("5.0", "4.5", "4.0"), HIGHER_BETTER, "falling", "worsening", id="falling/higher-better"
    ),
    pytest.param(
        series("4.0", "5.0", "4.5"), LOWER_BETTER, "no clear change", "no clear change", id="up-and-down"
    ),
    pytest.param(
        series("9.0", "4.0", "4.5", "5.0"),
        HIGHER_BETTER,
        "rising",
        "improving",
        id="only-recent-periods-count",
    ),
    pytest.param(
        series("4.0", "4.2", "4.4", limits=[("3.0", "5.0"), ("3.2", "5.2"), ("3.4", "5.4")]),
        HIGHER_BETTER,
        "no clear change",
        "no clear change",
        id="rising/overlapping-intervals",
    ),
    pytest.param(
        series("4.0", "5.0", "6.0", limits=[("3.8", "4.2"), ("4.8", "5.2"), ("5.8", "6.2")]),
        HIGHER_BETTER,
        "rising",
        "improving",
        id="rising/separate-intervals",
    ),
    pytest.param(series("4.0", "4.5"), LOWER_BETTER, "not enough data", "not enough data", id="two-periods"),
    pytest.param(series(), LOWER_BETTER, "not enough data", "not enough data", id="no-periods"),
    pytest.param(
        [point(HOME, rank=4, month=1), point(HOME, rank=3, month=2), point(HOME, rank=2, month=3)],
        HIGHER_BETTER,
        "not enough data",
        "not enough data",
        id="rank-only",
    ),
    pytest.param(
        series("4.34", stated_trend=StatedTrend.INCREASED),
        LOWER_BETTER,
        "rising",
        "worsening",
        id="one-period/stated-increase/lower-better",
    ),
    pytest.param(
        series("8000", stated_trend=StatedTrend.DECREASED),
        LOWER_BETTER,
        "falling",
        "improving",
        id="one-period/stated-decrease/lower-better",
    ),
    pytest.param(
        series("8000", stated_trend=StatedTrend.UNCHANGED),
        HIGHER_BETTER,
        "no clear change",
        "no clear change",
        id="one-period/stated-unchanged",
    ),
]


@pytest.mark.parametrize(("points", "polarity", "relation", "judgement"), TRENDS)
def test_trend_over_recent_periods(points, polarity, relation, judgement):
    found = judgements.trend(points, polarity=polarity, value_type=ValueType.PERCENTAGE)

    assert (found.relation, found.judgement) == (relation, judgement)
    assert found.comparator is None


def test_stated_trend_says_so_and_invents_no_earlier_value():
    found = judgements.trend(
        series("4.34", stated_trend=StatedTrend.INCREASED),
        polarity=LOWER_BETTER,
        value_type=ValueType.PERCENTAGE,
    )

    assert found.stated
    assert found.sentence == (
        "It has increased since the previous period, according to the source, "
        "which is worse because a lower figure is better."
    )


def test_derived_trend_sentence_gives_the_first_and_last_values():
    found = judgements.trend(
        series("5.0", "4.5", "4.0"), polarity=LOWER_BETTER, value_type=ValueType.PERCENTAGE
    )

    assert found.sentence == (
        "Falling: it fell in each of the last 3 periods, from 5.0% in January 2025 to 4.0% in March 2025, "
        "which is better because a lower figure is better."
    )
    assert found.clause == "falling over the last 3 periods, which is better"


def test_a_trend_without_polarity_says_only_rising_or_falling():
    found = judgements.trend(series("4.0", "4.5", "5.0"), polarity=NONE, value_type=ValueType.PERCENTAGE)

    assert found.sentence == (
        "Rising: it rose in each of the last 3 periods, from 4.0% in January 2025 to 5.0% in March 2025."
    )


def test_steps_the_same_way_within_the_margin_of_error_say_so():
    found = judgements.trend(
        series("4.0", "4.2", "4.4", limits=[("3.0", "5.0"), ("3.2", "5.2"), ("3.4", "5.4")]),
        polarity=HIGHER_BETTER,
        value_type=ValueType.PERCENTAGE,
    )

    assert found.sentence == (
        "No clear change over the last 3 periods, from 4.0% in January 2025 to 4.4% in March 2025: "
        "the change is within the margin of error."
    )


# ---- trends of real series -------------------------------------------------------------------
# Milton Keynes (E06000042) and England (E92000001), yearly, from the ONS Explore Local Statistics
# data, github.com/ONSdigital/explore-local-statistics-data at commit
# 4972c588d0c192839afc8fa54ae82cb3dc7721ed; limits to 4 decimal places, as the database keeps them.


def yearly(*rows, value_type=ValueType.PERCENTAGE, places=1, area=HOME):
    """Points for consecutive years from (year, value) or (year, value, lower, upper)."""
    indicator = Indicator(title="Example", value_type=value_type, decimal_places=places)
    points = []
    for year, value, *limits in rows:
        points.append(
            DataPointFactory.build(
                indicator=indicator,
                area=area,
                year=year,
                value=Decimal(value),
                lower_limit=Decimal(limits[0]) if limits else None,
                upper_limit=Decimal(limits[1]) if limits else None,
            )
        )
    return points


# claimant-count/claimant-count.csv
CLAIMANTS_MK = yearly((2023, "3.4"), (2024, "4.0"), (2025, "4.1"))
CLAIMANTS_ENGLAND = yearly((2023, "3.6"), (2024, "4.0"), (2025, "4.0"), area=ENGLAND)
# gross-median-weekly-pay/gross-median-weekly-pay.csv (periods dated in April; labelled by year here)
PAY_MK_RECENT = yearly(
    (2023, "609.4", "555.6509", "663.1491"),
    (2024, "650.3", "587.8452", "712.7548"),
    (2025, "703.6", "638.7844", "768.4156"),
    value_type=ValueType.CURRENCY,
    places=2,
)
PAY_MK_2008 = yearly(
    (2008, "430.1", "387.9502", "472.2498"),
    (2009, "433.5", "396.1150", "470.8850"),
    (2010, "436.0", "399.2539", "472.7461"),
    value_type=ValueType.CURRENCY,
    places=2,
)
# employment-rate/employment-rate.csv, "Employment rate" rows
EMPLOYMENT_MK_RECESSION = yearly(
    (2008, "78.9", "76.0", "81.8"), (2009, "74.6", "71.6", "77.6"), (2010, "73.4", "70.5", "76.3")
)
EMPLOYMENT_MK_2022 = yearly(
    (2020, "80.3", "77.4", "83.2"), (2021, "80.7", "77.7", "83.7"), (2022, "81.9", "78.9", "84.9")
)
# modelled-unemployment/modelled-unemployment.csv
UNEMPLOYMENT_MK = yearly((2021, "3.8", "3", "4.6"), (2022, "2.9", "2", "3.8"), (2023, "3.6", "2.6", "4.6"))
# business-demography/business-demography.csv, "Business births" rows
BIRTHS_MK = yearly((2022, "11.2303"), (2023, "12.3268"), (2024, "12.0306"))


@pytest.mark.parametrize(
    ("points", "polarity", "relation", "judgement"),
    [
        pytest.param(CLAIMANTS_MK, LOWER_BETTER, "rising", "worsening", id="claimants/mk/rising"),
        pytest.param(
            CLAIMANTS_ENGLAND, LOWER_BETTER, "no clear change", "no clear change", id="claimants/england/flat"
        ),
        # The intervals of 2023 and 2025 overlap, yet the rise is 2.2 times its standard error.
        pytest.param(PAY_MK_RECENT, HIGHER_BETTER, "rising", "improving", id="pay/mk/2023-2025"),
        pytest.param(
            PAY_MK_2008,
            HIGHER_BETTER,
            "no clear change",
            "no clear change",
            id="pay/mk/2008-2010/within-error",
        ),
        # Overlapping intervals again: the old rule saw no clear change through the recession.
        pytest.param(
            EMPLOYMENT_MK_RECESSION, HIGHER_BETTER, "falling", "worsening", id="employment/mk/2008-2010"
        ),
        pytest.param(
            EMPLOYMENT_MK_2022,
            HIGHER_BETTER,
            "no clear change",
            "no clear change",
            id="employment/mk/2020-2022/within-error",
        ),
        pytest.param(
            UNEMPLOYMENT_MK,
            LOWER_BETTER,
            "no clear change",
            "no clear change",
            id="unemployment/mk/up-and-down",
        ),
        pytest.param(
            BIRTHS_MK, HIGHER_BETTER, "no clear change", "no clear change", id="births/mk/up-and-down"
        ),
    ],
)
def test_trend_of_real_ons_series(points, polarity, relation, judgement):
    found = judgements.trend(points, polarity=polarity, value_type=points[0].indicator.value_type)

    assert (found.relation, found.judgement) == (relation, judgement)


def test_the_claimant_count_reads_as_the_issue_words_it():
    found = judgements.trend(CLAIMANTS_MK, polarity=LOWER_BETTER, value_type=ValueType.PERCENTAGE)

    assert found.sentence == (
        "Rising: it rose in each of the last 3 periods, from 3.4% in 2023 to 4.1% in 2025, "
        "which is worse because a lower figure is better."
    )


def test_a_change_is_clear_only_beyond_its_margin_of_error():
    pay = ValueType.CURRENCY

    assert judgements.clear_change(PAY_MK_RECENT[0], PAY_MK_RECENT[-1], value_type=pay), "£609.40 to £703.60"
    assert not judgements.clear_change(PAY_MK_2008[0], PAY_MK_2008[-1], value_type=pay), "£430.10 to £436.00"
    assert not judgements.clear_change(PAY_MK_RECENT[0], PAY_MK_RECENT[0], value_type=pay), "no change"
    assert judgements.clear_change(CLAIMANTS_MK[1], CLAIMANTS_MK[2], value_type=ValueType.PERCENTAGE), (
        "without intervals, values count as exact: 4.0% to 4.1% is a change"
    )


# ---- the one-sentence summary -----------------------------------------------------------------


def test_summary_repeats_the_sources_comparisons_and_trend_as_stated():
    home = point(HOME, "4.34")
    home.indicator.decimal_places = 2
    comparisons = judgements.compare_with_areas(
        home,
        [],
        [
            stated(ENGLAND, ComparisonRelation.LOWER, "the England average"),
            stated(SOUTH_EAST, ComparisonRelation.HIGHER, "the South East"),
        ],
        polarity=LOWER_BETTER,
        value_type=ValueType.PERCENTAGE,
    )
    trend = judgements.trend([home], polarity=LOWER_BETTER, value_type=ValueType.PERCENTAGE)

    assert judgements.summary_sentence(home, comparisons, trend) == (
        "Milton Keynes 4.34% in August 2025, lower than the England average and higher than the South East, "
        "according to the source."
    )


def test_summary_of_a_derived_comparison_gives_both_values_and_the_judgement():
    home = point(HOME, "17.6", value_type=ValueType.CHANGE)
    other = point(Area(pk=4, name="United Kingdom"), "21.6", value_type=ValueType.CHANGE)
    comparisons = judgements.compare_with_areas(
        home, [other], [], polarity=HIGHER_BETTER, value_type=ValueType.CHANGE
    )

    assert judgements.summary_sentence(home, comparisons, None) == (
        "Milton Keynes 17.6% in August 2025, lower than United Kingdom (21.6%), which is worse."
    )


def test_summary_ends_with_the_trend_read_by_polarity():
    home, england = CLAIMANTS_MK[-1], CLAIMANTS_ENGLAND[-1]
    comparisons = judgements.compare_with_areas(
        home, [england], [], polarity=LOWER_BETTER, value_type=ValueType.PERCENTAGE
    )
    trend = judgements.trend(CLAIMANTS_MK, polarity=LOWER_BETTER, value_type=ValueType.PERCENTAGE)

    assert judgements.summary_sentence(home, comparisons, trend) == (
        "Milton Keynes 4.1% in 2025, higher than England (4.0%), which is worse; "
        "rising over the last 3 periods, which is worse."
    )
