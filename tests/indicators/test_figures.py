"""Figures read the way residents read them: 4.34%, 8,000, £35,000, 4th of 63, 4th in the UK."""

from decimal import Decimal

import pytest

from indicators.choices import ValueType
from indicators.formatting import figure
from indicators.models import DataPoint, Indicator


def point(value_type, *, places=0, value=None, rank=None, rank_out_of=None):
    """An unsaved data point: formatting needs no database."""
    indicator = Indicator(title="Example", value_type=value_type, decimal_places=places)
    return DataPoint(
        indicator=indicator,
        value=None if value is None else Decimal(value),
        rank=rank,
        rank_out_of=rank_out_of,
    )


@pytest.mark.parametrize(
    ("value_type", "places", "value", "expected"),
    [
        pytest.param(ValueType.PERCENTAGE, 2, "4.34", "4.34%", id="percentage-two-places"),
        pytest.param(ValueType.PERCENTAGE, 2, "4.3400", "4.34%", id="percentage-as-stored"),
        pytest.param(ValueType.PERCENTAGE, 2, "4.3", "4.30%", id="percentage-pads-to-places"),
        pytest.param(ValueType.PERCENTAGE, 0, "62", "62%", id="percentage-whole"),
        pytest.param(ValueType.SURVEY_PROPORTION, 0, "41", "41%", id="survey-proportion"),
        pytest.param(ValueType.COUNT, 0, "8000", "8,000", id="count-thousands"),
        pytest.param(ValueType.COUNT, 0, "1234567", "1,234,567", id="count-millions"),
        pytest.param(ValueType.COUNT, 0, "950", "950", id="count-under-a-thousand"),
        pytest.param(ValueType.COUNT, 1, "12345.5", "12,345.5", id="count-with-places"),
        pytest.param(ValueType.CHANGE, 1, "17.6", "17.6%", id="change-growth"),
        pytest.param(ValueType.CHANGE, 1, "-2.5", "-2.5%", id="change-fall"),
        pytest.param(ValueType.CURRENCY, 0, "35000", "£35,000", id="currency-whole-pounds"),
        pytest.param(ValueType.CURRENCY, 2, "12.5", "£12.50", id="currency-pence"),
        pytest.param(ValueType.PERCENTAGE, 1, "58.25", "58.3%", id="half-rounds-up-as-published"),
        pytest.param(ValueType.PERCENTAGE, 1, "58.35", "58.4%", id="half-rounds-up-after-odd-digit"),
        pytest.param(ValueType.CHANGE, 1, "-2.25", "-2.3%", id="half-rounds-away-from-zero"),
        pytest.param(ValueType.COUNT, 0, "999.5", "1,000", id="rounding-reaches-a-thousand"),
        pytest.param(ValueType.CHANGE, 1, "-0.04", "0.0%", id="rounded-to-zero-has-no-minus"),
    ],
)
def test_value_is_formatted_for_its_type(value_type, places, value, expected):
    assert figure(point(value_type, places=places, value=value)) == expected


@pytest.mark.parametrize(
    ("rank", "expected"),
    [
        pytest.param(1, "1st", id="1"),
        pytest.param(2, "2nd", id="2"),
        pytest.param(3, "3rd", id="3"),
        pytest.param(4, "4th", id="4"),
        pytest.param(11, "11th", id="11"),
        pytest.param(12, "12th", id="12"),
        pytest.param(13, "13th", id="13"),
        pytest.param(21, "21st", id="21"),
        pytest.param(22, "22nd", id="22"),
        pytest.param(23, "23rd", id="23"),
        pytest.param(101, "101st", id="101"),
        pytest.param(111, "111th", id="111"),
        pytest.param(112, "112th", id="112"),
    ],
)
def test_rank_is_an_ordinal(rank, expected):
    assert figure(point(ValueType.RANK, rank=rank)) == expected


def test_rank_names_how_many_were_ranked_when_known():
    assert figure(point(ValueType.RANK, rank=4, rank_out_of=63)) == "4th of 63"


def test_rank_indicator_shows_the_rank_even_when_a_value_is_stored():
    shown = figure(point(ValueType.RANK, value="0.734", rank=2, rank_out_of=10))

    assert shown == "2nd of 10"


def test_a_point_with_only_a_rank_shows_the_rank_whatever_the_indicator_type():
    assert figure(point(ValueType.PERCENTAGE, places=1, rank=3, rank_out_of=40)) == "3rd of 40"


@pytest.mark.parametrize(
    ("rank_out_of", "scope", "expected"),
    [
        pytest.param(63, "UK cities", "4th of 63 UK cities", id="number-ranked-and-scope"),
        pytest.param(None, "UK cities", "4th among UK cities", id="scope-only"),
        pytest.param(63, "", "4th of 63", id="number-ranked-only"),
        pytest.param(None, "", "4th", id="rank-only"),
        # A scope starting with "in", "among", "across" or "within" is the source's wording, used as written.
        pytest.param(None, "in the UK", "4th in the UK", id="as-the-source-words-it"),
        pytest.param(63, "in the UK", "4th of 63 in the UK", id="as-the-source-words-it/number-ranked"),
        pytest.param(None, "among UK cities", "4th among UK cities", id="among-written-out/not-doubled"),
        pytest.param(None, "across England", "4th across England", id="across"),
        pytest.param(None, " in the UK ", "4th in the UK", id="spaces-around-the-scope"),
        pytest.param(
            None, "Inner London boroughs", "4th among Inner London boroughs", id="a-noun-starting-in"
        ),
    ],
)
def test_rank_says_what_was_ranked_when_known(rank_out_of, scope, expected):
    shown = point(ValueType.RANK, rank=4, rank_out_of=rank_out_of)
    shown.indicator.rank_scope = scope

    assert figure(shown) == expected
