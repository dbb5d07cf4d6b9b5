"""A figure in one plain sentence for resident pages: a table of cases by value type, on unsaved objects.

The sentence says what the figure counts, where and when, and nothing a resident would need
statistics to read: no comparison, interval, polarity or citation. The sentence beside it says how
the figure changed over time and where it stands against England, in words as plain.
"""

from decimal import Decimal

import pytest

from indicators.choices import AreaKind, Polarity, ValueType
from indicators.models import Area, DataPoint, Indicator
from indicators.plain_english import change_sentence, plain_sentence
from tests.factories import DataPointFactory

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
        indicator(ValueType.RANK, what="new technology businesses", scope="in the UK"),
        {"rank": 4, "period": "Cities Outlook 2025"},
        "Milton Keynes ranked 4th in the UK for new technology businesses in Cities Outlook 2025.",
        id="rank/as-the-source-words-it",
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


# ---- how the figure changed over time ---------------------------------------------------------
# Values from the ONS Explore Local Statistics data, github.com/ONSdigital/explore-local-statistics-data
# at commit 4972c588d0c192839afc8fa54ae82cb3dc7721ed: claimant-count/claimant-count.csv,
# employment-rate/employment-rate.csv ("Employment rate" rows), gross-median-weekly-pay/...csv.

ENGLAND = Area(pk=2, name="England", code="E92000001", kind=AreaKind.COUNTRY)
SOUTH_EAST = Area(pk=3, name="South East", code="E12000008", kind=AreaKind.REGION)


def over_time(of, series: dict) -> Indicator:
    """`of` with `figures` as with_figures() gives them: {area: [(year, value[, lower, upper]), ...]}."""
    of.figures = []
    for area, rows in series.items():
        for year, value, *limits in rows:
            of.figures.append(
                DataPointFactory.build(
                    indicator=of,
                    area=area,
                    year=year,
                    value=None if value is None else Decimal(value),
                    lower_limit=Decimal(limits[0]) if limits else None,
                    upper_limit=Decimal(limits[1]) if limits else None,
                    rank=4 if value is None else None,
                )
            )
    of.figures.sort(key=lambda point: (point.period_end, point.area.is_home), reverse=True)
    return of


def claimants():
    return indicator(ValueType.PERCENTAGE, what="of people aged 16 to 64 were claiming benefits", places=1)


def employment():
    return indicator(ValueType.PERCENTAGE, what="of people aged 16 to 64 were in work", places=1)


def pay():
    return indicator(ValueType.CURRENCY, what="median weekly pay", places=2)


CHANGES = [
    pytest.param(
        claimants(),
        {HOME: [(2015, "1.6"), (2020, "4.7"), (2025, "4.1")], ENGLAND: [(2015, "1.8"), (2025, "4.0")]},
        "Up from 1.6% in 2015 to 4.1% in 2025; now above England.",
        id="up/changed-side",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2004, "1.7"), (2019, "1.9")], ENGLAND: [(2004, "2.2"), (2019, "2.6")]},
        "Up from 1.7% in 2004 to 1.9% in 2019; still below England.",
        id="up/two-periods-are-enough/still-below",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2021, "5.0"), (2022, "3.5"), (2023, "3.4")], ENGLAND: [(2021, "5.5"), (2023, "3.6")]},
        "Down from 5.0% in 2021 to 3.4% in 2023; still below England.",
        id="down/still-below",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2016, "1.4"), (2017, "1.4")], ENGLAND: [(2016, "1.8"), (2017, "1.8")]},
        "About the same as in 2016 (1.4%); still below England.",
        id="about-the-same/equal",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2022, "3.54"), (2023, "3.46")], ENGLAND: [(2022, "3.8"), (2023, "3.6")]},
        "About the same as in 2022 (3.5%); still below England.",
        id="about-the-same/rounds-equal",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2023, "3.4"), (2024, "4.0")], ENGLAND: [(2023, "3.6"), (2024, "4.0")]},
        "Up from 3.4% in 2023 to 4.0% in 2024; now the same as England.",
        id="up/now-level",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2015, "1.6"), (2025, "4.1")], ENGLAND: [(2025, "4.0")]},
        "Up from 1.6% in 2015 to 4.1% in 2025; above England.",
        id="comparator-only-at-the-end",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2015, "1.6"), (2025, "4.1")], ENGLAND: [(2015, "1.8")]},
        "Up from 1.6% in 2015 to 4.1% in 2025.",
        id="no-comparator-at-the-end",
    ),
    pytest.param(
        claimants(),
        {HOME: [(2015, "1.6"), (2025, "4.1")], SOUTH_EAST: [(2015, "1.1"), (2025, "3.1")]},
        "Up from 1.6% in 2015 to 4.1% in 2025; still above South East.",
        id="without-england-the-first-comparator",
    ),
    pytest.param(
        claimants(),
        {
            HOME: [(2015, "1.6"), (2025, "4.1")],
            SOUTH_EAST: [(2015, "1.1"), (2025, "3.1")],
            ENGLAND: [(2015, "1.8"), (2025, "4.0")],
        },
        "Up from 1.6% in 2015 to 4.1% in 2025; now above England.",
        id="england-first",
    ),
    pytest.param(
        pay(),
        {
            HOME: [(2008, "430.1", "387.9502", "472.2498"), (2025, "703.6", "638.7844", "768.4156")],
            ENGLAND: [(2008, "396.1", "394.5473", "397.6527"), (2025, "648.4", "645.8583", "650.9417")],
        },
        "Up from £430.10 in 2008 to £703.60 in 2025; still similar to England.",
        id="pay/intervals-overlap/similar",
    ),
    pytest.param(
        employment(),
        {
            HOME: [(2020, "80.3", "77.4", "83.2"), (2022, "81.9", "78.9", "84.9")],
            ENGLAND: [(2020, "75.6", "75.3", "75.9"), (2022, "75.8", "75.5", "76.1")],
        },
        "About the same as in 2020 (80.3%); still above England.",
        id="employment/within-the-margin-of-error/about-the-same",
    ),
    pytest.param(
        employment(),
        {
            HOME: [(2004, "79.5", "77.1", "81.9"), (2023, "76.0", "72.2", "79.8")],
            ENGLAND: [(2004, "72.8", "72.6", "73.0"), (2023, "76.0", "75.6", "76.4")],
        },
        "About the same as in 2004 (79.5%); now similar to England.",
        id="employment/now-similar",
    ),
    pytest.param(
        employment(),
        {
            HOME: [(2008, "78.9", "76.0", "81.8"), (2010, "73.4", "70.5", "76.3")],
            ENGLAND: [(2008, "72.3", "72.1", "72.5"), (2010, "70.3", "70.1", "70.5")],
        },
        "Down from 78.9% in 2008 to 73.4% in 2010; now similar to England.",
        id="employment/clear-fall-though-intervals-overlap",
    ),
]


@pytest.mark.parametrize(("of", "series", "expected"), CHANGES)
def test_change_over_time_in_one_plain_sentence(of, series, expected):
    sentence = change_sentence(over_time(of, series))

    assert sentence == expected
    assert not any(word in sentence.lower() for word in STATISTICAL_WORDS)


@pytest.mark.parametrize(
    ("of", "series"),
    [
        pytest.param(
            claimants(), {HOME: [(2025, "4.1")], ENGLAND: [(2024, "4.0"), (2025, "4.0")]}, id="one-period"
        ),
        pytest.param(claimants(), {}, id="no-figures"),
        pytest.param(claimants(), {HOME: [(2024, "4.0"), (2025, None)]}, id="latest-has-no-value"),
        pytest.param(
            indicator(ValueType.RANK, what="pay", scope="UK cities"),
            {HOME: [(2023, None), (2024, None)]},
            id="rank",
        ),
        pytest.param(
            indicator(ValueType.CHANGE, what="average pay", places=1),
            {HOME: [(2023, "2.5"), (2024, "3.1")]},
            id="a-change-is-already-over-time",
        ),
    ],
)
def test_no_change_sentence_without_two_values_to_compare(of, series):
    assert change_sentence(over_time(of, series)) == ""
