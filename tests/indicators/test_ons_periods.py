"""Periods as the ONS Explore Local Statistics files write them, read as first and last days and a label."""

import csv
import datetime
from pathlib import Path

import pytest

from indicators.ons import PeriodError, parse_period, writes_months

SAMPLES = Path(__file__).parent / "ons_sample"
D = datetime.date


@pytest.mark.parametrize(
    ("written", "start", "end", "label"),
    [
        pytest.param("2015", D(2015, 1, 1), D(2015, 12, 31), "2015", id="year"),
        pytest.param("2023-24", D(2023, 4, 1), D(2024, 3, 31), "2023-24", id="financial-year-short"),
        pytest.param("2023-2024", D(2023, 4, 1), D(2024, 3, 31), "2023-24", id="financial-year-long"),
        pytest.param("1999-00", D(1999, 4, 1), D(2000, 3, 31), "1999-00", id="financial-year-across-century"),
        pytest.param("2011-12", D(2011, 4, 1), D(2012, 3, 31), "2011-12", id="next-year-wins-over-december"),
        pytest.param("2019-04", D(2019, 4, 1), D(2019, 4, 30), "April 2019", id="month"),
        pytest.param("2024-02", D(2024, 2, 1), D(2024, 2, 29), "February 2024", id="month-in-leap-year"),
        pytest.param("2024 Q1", D(2024, 1, 1), D(2024, 3, 31), "January to March 2024", id="quarter"),
        pytest.param(
            "2024-Q4", D(2024, 10, 1), D(2024, 12, 31), "October to December 2024", id="quarter-dash"
        ),
        pytest.param("Q2 2024", D(2024, 4, 1), D(2024, 6, 30), "April to June 2024", id="quarter-first"),
        pytest.param(
            "2025-04-30", D(2025, 4, 1), D(2025, 4, 30), "April 2025", id="survey-date-as-its-month"
        ),
        pytest.param("2019-04-10T00:00:00", D(2019, 4, 1), D(2019, 4, 30), "April 2019", id="date-with-time"),
        pytest.param("2015-01-01/P1Y", D(2015, 1, 1), D(2015, 12, 31), "2015", id="calendar-year-interval"),
        pytest.param("2008-01-01/P3Y", D(2008, 1, 1), D(2010, 12, 31), "2008 to 2010", id="three-years"),
        pytest.param(
            "2023-04-01/P1Y", D(2023, 4, 1), D(2024, 3, 31), "2023-24", id="financial-year-interval"
        ),
        pytest.param(
            "2021-09-01/P1Y",
            D(2021, 9, 1),
            D(2022, 8, 31),
            "September 2021 to August 2022",
            id="academic-year",
        ),
        pytest.param(
            "2024-01-01/P3M", D(2024, 1, 1), D(2024, 3, 31), "January to March 2024", id="quarter-interval"
        ),
        pytest.param("2024-02-01/P1M", D(2024, 2, 1), D(2024, 2, 29), "February 2024", id="month-interval"),
        pytest.param(
            "2019-01-01T00:00:00/P1Y", D(2019, 1, 1), D(2019, 12, 31), "2019", id="interval-with-time"
        ),
        pytest.param(
            "2017-11-16t00-00-00/p1y",
            D(2017, 11, 16),
            D(2018, 11, 15),
            "16 November 2017 to 15 November 2018",
            id="older-lower-case-interval",
        ),
    ],
)
def test_each_form_the_files_use(written, start, end, label):
    period = parse_period(written)

    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "written",
    [
        "2015-13",
        "2024-02-30",
        "twenty fifteen",
        "2015-2017",
        "2015-01-01/P0Y",
        "2015-01-01/P1W",
        "",
        "2024 Q5",
    ],
)
def test_anything_else_is_refused_with_the_forms_it_could_be(written):
    with pytest.raises(PeriodError) as refused:
        parse_period(written)

    assert written in str(refused.value) or "is not a date" in str(refused.value)


def test_a_survey_dated_to_its_day_is_the_same_figure_as_one_dated_to_its_month():
    """ASHE's pay survey: 2019-04 in files before October 2025, 2019-04-10 after."""
    assert parse_period("2019-04") == parse_period("2019-04-10") == parse_period("2019-04-10T00:00:00")


def test_a_file_that_writes_months_reads_2003_04_as_april_2003():
    """The older pay file runs 2002-04, 2003-04, 2004-04...: there, 2003-04 is April, not a financial year."""
    periods = ["2002-04", "2003-04", "2004-04"]

    assert writes_months(periods)
    assert [parse_period(period, months=True).label for period in periods] == [
        "April 2002",
        "April 2003",
        "April 2004",
    ]
    assert not writes_months(["2022-23", "2023-24"]), "financial years alone"
    assert parse_period("2003-04").label == "2003-04", "on its own, the next year makes it a financial year"


def test_every_period_in_the_vendored_files_is_read_as_ending_after_it_starts():
    """Each sample's periods: one year (or one survey month) each, none overlapping its neighbour."""
    for sample in SAMPLES.glob("*.csv"):
        with sample.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        column = "period" if "period" in rows[0] else "Period"
        for row in rows:
            period = parse_period(row[column])
            assert period.start <= period.end
            assert (period.end - period.start).days in (29, 364, 365), (sample.name, row[column])
