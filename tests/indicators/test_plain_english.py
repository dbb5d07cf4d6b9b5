"""A figure in one plain sentence for resident pages: a table of cases by value type, on unsaved objects.

The sentence says what the figure counts, where and when, and nothing a resident would need
statistics to read: no comparison, interval, polarity or citation.
"""

from decimal import Decimal

import pytest

from indicators.choices import AreaKind, Polarity, ValueType
from indicators.models import Area, DataPoint, Indicator
from indicators.plain_english import plain_sentence

HOME = Area(pk=1, name="Milton Keynes", code="E06000042", kind=AreaKind.LOCAL_AUTHORITY, is_home=True)
STATISTICAL_WORDS = ("confidence", "interval", "stated", "better", "worse", "polarity", "compar", "95%")


def indicator(value_type, *, title="Example", what="", places=0, scope=""):
    return Indicator(
        title=title,
        value_type=value_type,
        what_it_counts=what,
        decimal_places=places,
        rank_scope=scope,
        polarity=Polarity.LOWER_IS_BETTER,
    )


def point(of, *, value=None, period="August 2025", sample=None, rank=None, out_of=None):
    return DataPoint(
        indicator=of,
        area=HOME,
        period_label=period,
        value=None if value is None else Decimal(value),
        sample_size=sample,
        rank=rank,
        rank_out_of=out_of,
        lower_limit=None if value is None else Decimal(value) - 1,
        upper_limit=None if value is None else Decimal(value) + 1,
    )


CASES = [
    pytest.param(
        indicator(
            ValueType.PERCENTAGE, what="of people aged 16 to 64 were claiming out-of-work benefits", places=1
        ),
        {"value": "4.34"},
        "In Milton Keynes, 4.3% of people aged 16 to 64 were claiming out-of-work benefits in August 2025.",
        id="percentage",
    ),
    pytest.param(
        indicator(ValueType.PERCENTAGE, title="Unemployment rate", places=2),
        {"value": "4.34"},
        "Unemployment rate: 4.34% in Milton Keynes in August 2025.",
        id="percentage/title-leads-without-wording",
    ),
    pytest.param(
        indicator(ValueType.COUNT, what="households had no adult in work"),
        {"value": "8000", "period": "July 2025"},
        "In Milton Keynes, 8,000 households had no adult in work in July 2025.",
        id="count",
    ),
    pytest.param(
        indicator(ValueType.COUNT, title="Workless households"),
        {"value": "8000", "period": "July 2025"},
        "Workless households: 8,000 in Milton Keynes in July 2025.",
        id="count/title-leads-without-wording",
    ),
    pytest.param(
        indicator(
            ValueType.COUNT, what="in every 1,000 people aged 16 to 24 were not in work or study", places=1
        ),
        {"value": "112.45", "period": "2024"},
        "In Milton Keynes, 112.5 in every 1,000 people aged 16 to 24 were not in work or study in 2024.",
        id="rate-per-1000/a-count-worded-as-a-rate",
    ),
    pytest.param(
        indicator(ValueType.CURRENCY, what="average weekly pay", places=2),
        {"value": "730.5", "period": "2024"},
        "In Milton Keynes, average weekly pay was £730.50 in 2024.",
        id="currency",
    ),
    pytest.param(
        indicator(ValueType.CURRENCY, title="Median weekly pay"),
        {"value": "35000", "period": "2024"},
        "Median weekly pay: £35,000 in Milton Keynes in 2024.",
        id="currency/title-leads-without-wording",
    ),
    pytest.param(
        indicator(ValueType.CHANGE, what="average yearly pay", places=1),
        {"value": "17.6", "period": "2021 to 2024"},
        "In Milton Keynes, average yearly pay went up by 17.6% over 2021 to 2024.",
        id="change/up",
    ),
    pytest.param(
        indicator(ValueType.CHANGE, what="the number of jobs", places=1),
        {"value": "-2.5", "period": "2023 to 2024"},
        "In Milton Keynes, the number of jobs went down by 2.5% over 2023 to 2024.",
        id="change/down-said-in-words-not-a-minus-sign",
    ),
    pytest.param(
        indicator(ValueType.CHANGE, what="the number of jobs", places=1),
        {"value": "-0.04", "period": "2023 to 2024"},
        "In Milton Keynes, the number of jobs stayed about the same over 2023 to 2024.",
        id="change/rounds-to-nothing",
    ),
    pytest.param(
        indicator(ValueType.CHANGE, title="Growth in average pay", places=1),
        {"value": "17.6", "period": "2021 to 2024"},
        "Growth in average pay: went up by 17.6% in Milton Keynes over 2021 to 2024.",
        id="change/title-leads-without-wording",
    ),
    pytest.param(
        indicator(ValueType.RANK, what="average weekly pay", scope="UK cities"),
        {"rank": 8, "period": "2024"},
        "Milton Keynes ranked 8th among UK cities for average weekly pay in 2024.",
        id="rank/among-a-scope",
    ),
    pytest.param(
        indicator(ValueType.RANK, what="business start-ups", scope="UK cities"),
        {"rank": 3, "out_of": 63, "period": "2022"},
        "Milton Keynes ranked 3rd of 63 UK cities for business start-ups in 2022.",
        id="rank/out-of-n",
    ),
    pytest.param(
        indicator(ValueType.RANK, title="Rank for new economy firms"),
        {"rank": 4, "period": "Cities Outlook 2025"},
        "Rank for new economy firms: Milton Keynes ranked 4th in Cities Outlook 2025.",
        id="rank/title-leads-without-wording",
    ),
    pytest.param(
        indicator(ValueType.PERCENTAGE, title="Share of new firms", what="of firms are new", places=1),
        {"rank": 2, "out_of": 10, "period": "2024"},
        "Share of new firms: Milton Keynes ranked 2nd of 10 in 2024.",
        id="rank-only-point-of-a-percentage/title-leads",
    ),
    pytest.param(
        indicator(ValueType.SURVEY_PROPORTION, what="of workers enjoy the type of job they do"),
        {"value": "66", "period": "September to October 2025", "sample": 169},
        "In Milton Keynes, 66% of workers enjoy the type of job they do, "
        "from a survey of 169 people in September to October 2025.",
        id="survey/with-sample-size",
    ),
    pytest.param(
        indicator(ValueType.SURVEY_PROPORTION, what="of people believe they have the skills for a good job"),
        {"value": "76", "period": "September to October 2025", "sample": 1250},
        "In Milton Keynes, 76% of people believe they have the skills for a good job, "
        "from a survey of 1,250 people in September to October 2025.",
        id="survey/large-sample-grouped",
    ),
    pytest.param(
        indicator(ValueType.SURVEY_PROPORTION, title="Confident in their skills"),
        {"value": "76", "period": "September to October 2025"},
        "Confident in their skills: 76% in Milton Keynes, from a survey in September to October 2025.",
        id="survey/no-sample-size/title-leads-without-wording",
    ),
]


@pytest.mark.parametrize(("of", "figure", "expected"), CASES)
def test_each_kind_of_figure_reads_as_one_plain_sentence(of, figure, expected):
    sentence = plain_sentence(of, point(of, **figure))

    assert sentence == expected
    assert not any(word in sentence.lower() for word in STATISTICAL_WORDS)


def test_no_figure_says_so_in_a_sentence():
    unemployment = indicator(ValueType.PERCENTAGE, title="Unemployment rate")

    assert plain_sentence(unemployment, None) == "There is no figure yet for “Unemployment rate”."


def test_a_rank_indicator_whose_point_has_no_rank_has_no_figure():
    ranked = indicator(ValueType.RANK, title="Start-up rank")

    assert plain_sentence(ranked, point(ranked, value="0.7")) == "There is no figure yet for “Start-up rank”."


def test_the_indicator_reads_its_latest_home_figure():
    pay = indicator(ValueType.CURRENCY, what="average weekly pay")
    pay.figures = [point(pay, value="730", period="2024")]

    assert pay.plain_sentence == "In Milton Keynes, average weekly pay was £730 in 2024."
