"""Read the CSV files behind ONS Explore Local Statistics.

They are published at github.com/ONSdigital/explore-local-statistics-data.

Every file there has one layout: an area code and name, the series' name, a period, the observation,
its measure and unit, 95% confidence limits, a status and notes. Files published before October 2025
spell the headings differently ("AREACD", "Lower Confidence Interval (95%)", with "Variable Name" and
"Polarity" columns) and write periods as years, months or "2023-2024"; later files write ISO 8601
dates and intervals ("2015-01-01/P1Y"). Both are read.

Nothing here touches the database: `read_ons` checks a file against an indicator's definition (its
value type, unit and polarity) and returns the observations for the chosen areas, or every problem
with its row. The admin and `manage.py import_ons` turn the observations into an import batch
(`importing.parse_ons_batch`); the demo loader reads its vendored copies with the same function.
"""

import calendar
import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .choices import Polarity, ValueType
from .formatting import PERCENT_TYPES
from .import_rules import STORED_PLACES, RowError

AREA_CODE = re.compile(r"[EKNSWJ]\d{8}")

# Each column the reader uses, with the headings it goes by in either layout (compared in lower case).
HEADINGS = {
    "area_code": ("areacd",),
    "series": ("indicator", "variable name"),
    "period": ("period",),
    "observation": ("observation",),
    "measure": ("measure",),
    "unit": ("unit",),
    "lower_limit": ("lci_95", "lower confidence interval (95%)"),
    "upper_limit": ("uci_95", "upper confidence interval (95%)"),
    "status": ("status", "observation status"),
    "polarity": ("polarity",),
}
REQUIRED = ("area_code", "period", "observation")

# ONS status markers (the GSS guidance on symbols in tables), read for residents.
STATUS_WORDS = {
    "x": "not available",
    "u": "low reliability",
    "c": "confidential",
    "z": "not applicable",
}
POLARITIES = {"1": Polarity.HIGHER_IS_BETTER, "-1": Polarity.LOWER_IS_BETTER, "0": Polarity.NO_JUDGEMENT}
POLARITY_WORDS = {
    Polarity.HIGHER_IS_BETTER: "a higher figure is better",
    Polarity.LOWER_IS_BETTER: "a lower figure is better",
    Polarity.NO_JUDGEMENT: "neither higher nor lower is better",
}

# Reasons a row is left out without being wrong.
OTHER_AREA, OTHER_SERIES, NO_FIGURE = "for other areas", "for other series", "with no figure"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str  # as residents read it: "2015", "2023-24", "April 2019", "January to March 2024"


@dataclass(frozen=True)
class Observation:
    row: int
    area_code: str
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    value: Decimal
    lower_limit: Decimal | None
    upper_limit: Decimal | None
    status_note: str


@dataclass
class OnsReading:
    observations: list[Observation] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)  # reason -> rows
    notes: list[str] = field(default_factory=list)  # what a reader should know that is not wrong
    missing_areas: list[str] = field(default_factory=list)  # areas asked for that the file has no figure for
    series: str = ""
    unit: str = ""

    def left_out_text(self) -> str:
        """'9,870 rows for other areas and 12 with no figure were left out', or ''."""
        parts = [
            f"{count:,} {'row' if count == 1 else 'rows'} {reason}" for reason, count in self.left_out.items()
        ]
        if not parts:
            return ""
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{joined} {'was' if sum(self.left_out.values()) == 1 else 'were'} left out"


# ==================================================================================================
# Periods
# ==================================================================================================
FINANCIAL_YEAR = re.compile(r"(\d{4})[-/](\d{2}|\d{4})")
MONTH = re.compile(r"(\d{4})-(\d{2})")
QUARTER = re.compile(r"(?:(\d{4})[- ]?Q([1-4])|Q([1-4])[- ]?(\d{4}))", re.IGNORECASE)
# A date, optionally with a midnight time (some files write "T00:00:00", older ones "t00-00-00").
DATE = r"(\d{4})-(\d{2})-(\d{2})(?:[Tt]00[:-]00[:-]00)?"
INTERVAL = re.compile(DATE + r"/[Pp](\d+)([YyMm])")
SINGLE_DATE = re.compile(DATE)


class PeriodError(ValueError):
    pass


def _month_name(month: int) -> str:
    return calendar.month_name[month]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _span_label(start: datetime.date, end: datetime.date) -> str:
    """A label for a span: '2015', '2008 to 2010', '2023-24', 'April 2019', 'January to March 2024'.

    Other spans read 'September 2021 to August 2022', or with days where they do not start on the first.
    """
    whole_years = start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31
    if whole_years:
        return str(start.year) if start.year == end.year else f"{start.year} to {end.year}"
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and end.year == start.year + 1:
        return f"{start.year}-{str(end.year)[2:]}"  # a financial year
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        if (start.year, start.month) == (end.year, end.month):
            return f"{_month_name(start.month)} {start.year}"
        if start.year == end.year:
            return f"{_month_name(start.month)} to {_month_name(end.month)} {end.year}"
        return f"{_month_name(start.month)} {start.year} to {_month_name(end.month)} {end.year}"
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def _date(year: str, month: str, day: str) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise PeriodError(f"{year}-{month}-{day} is not a date") from None


def _month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(
        datetime.date(year, month, 1), datetime.date(year, month, last), f"{_month_name(month)} {year}"
    )


def _financial_year(match: re.Match) -> Period | None:
    """'2023-24' or '2023-2024' as April to March; None when the second part is not the next year."""
    first, second = int(match[1]), match[2]
    if int(second) != (first + 1 if len(second) == 4 else (first + 1) % 100):
        return None
    return Period(datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31), f"{first}-{second[-2:]}")


def writes_months(periods) -> bool:
    """Whether a file's periods include a month that cannot be a financial year ('2019-04').

    Such a file writes months, so its '2003-04' is April 2003, not the financial year 2003-04.
    """
    for text in periods:
        match = MONTH.fullmatch(text.strip())
        if match and 1 <= int(match[2]) <= 12 and _financial_year(match) is None:
            return True
    return False


def parse_period(text: str, *, months: bool = False) -> Period:
    """A period as the ONS files write it, with its first and last days and a label to read.

    Forms: a year ("2015"); a financial year, April to March ("2023-24", "2023-2024"); a month
    ("2019-04"); a quarter ("2024 Q1", "2024-Q1", "Q1 2024"); a date ("2025-04-30",
    "2019-04-10T00:00:00"), read as its month: the files date ASHE's April pay survey to its
    reference day in some years and to the month in others, and both are the same figure; and an
    ISO 8601 start with a length in years or months ("2015-01-01/P1Y", "2008-01-01/P3Y",
    "2024-01-01/P3M"). "2011-12" is a financial year unless `months` says the file writes months
    (`writes_months`): on its own it could be either.
    """
    cleaned = text.strip()
    if re.fullmatch(r"\d{4}", cleaned):
        year = int(cleaned)
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), cleaned)
    match = FINANCIAL_YEAR.fullmatch(cleaned)
    if match and not months and (financial_year := _financial_year(match)):
        return financial_year
    if (match := MONTH.fullmatch(cleaned)) and 1 <= int(match[2]) <= 12:
        return _month(int(match[1]), int(match[2]))
    if match and (financial_year := _financial_year(match)):
        return financial_year
    if match := QUARTER.fullmatch(cleaned):
        year, quarter = int(match[1] or match[4]), int(match[2] or match[3])
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = _add_months(start, 3) - datetime.timedelta(days=1)
        return Period(start, end, _span_label(start, end))
    if match := INTERVAL.fullmatch(cleaned):
        start = _date(match[1], match[2], match[3])
        length, unit = int(match[4]), match[5].upper()
        if length < 1:
            raise PeriodError(f"“{text}” has a length of zero")
        end = _add_months(start, length * (12 if unit == "Y" else 1)) - datetime.timedelta(days=1)
        return Period(start, end, _span_label(start, end))
    if match := SINGLE_DATE.fullmatch(cleaned):
        day = _date(match[1], match[2], match[3])
        return _month(day.year, day.month)
    raise PeriodError(
        f"period “{text}” is not written as the ONS files write periods: a year (2015), a financial "
        "year (2023-24), a month (2019-04), a quarter (2024 Q1), a date (2025-04-30) or a start with a "
        "length (2015-01-01/P1Y)"
    )


# ==================================================================================================
# The file
# ==================================================================================================
def _columns(headings: list[str]) -> tuple[dict[str, int], list[RowError]]:
    lowered = [heading.strip().lstrip("\ufeff").lower() for heading in headings]
    columns = {}
    for name, aliases in HEADINGS.items():
        positions = [index for index, heading in enumerate(lowered) if heading in aliases]
        if positions:
            columns[name] = positions[0]
    missing = [HEADINGS[name][0] for name in REQUIRED if name not in columns]
    if missing:
        return columns, [
            RowError(
                None,
                "This is not an ONS Explore Local Statistics file: it has no "
                + ", ".join(f"“{heading}”" for heading in missing)
                + " column. Its first row must be the file's own headings (areacd, areanm, geography, "
                "indicator, period, observation, measure, unit, lci_95, uci_95, status, notes).",
            )
        ]
    return columns, []


def _number(text: str) -> Decimal | None:
    """A number as the files write it; None for an empty cell. Raises InvalidOperation for text."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    number = Decimal(cleaned)
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def _unit_kind(measure: str, unit: str) -> str:
    """'percent', 'pounds' or the unit itself, lower case, to compare a file with an indicator."""
    words = f"{measure} {unit}".lower()
    if "%" in words or "percent" in words:
        return "percent"
    if "£" in words or "pound" in words or "gbp" in words:
        return "pounds"
    return unit.strip().lower() or measure.strip().lower()


def _indicator_unit_kind(value_type: str, unit: str) -> str:
    if value_type in PERCENT_TYPES:
        return "percent"
    if value_type == ValueType.CURRENCY:
        return "pounds"
    return unit.strip().lower()


def _definition_errors(
    reading: OnsReading, rows: list, *, value_type: str, unit: str, polarity: str
) -> list[RowError]:
    """The file's measure and unit against the indicator's, and each row's against the file's.

    A polarity that disagrees with the indicator's is noted, not refused: files published before
    October 2025 mark almost every series "1" (higher is better), the claimant count included.
    """
    errors = []
    if value_type == ValueType.RANK:
        return [RowError(None, "The indicator holds ranks; ONS Explore Local Statistics files hold values.")]
    units = Counter((row["measure"], row["unit"]) for row in rows)
    (measure, file_unit), _ = units.most_common(1)[0]
    reading.unit = file_unit or measure
    file_kind = _unit_kind(measure, file_unit)
    wanted = _indicator_unit_kind(value_type, unit)
    if wanted and file_kind != wanted:
        errors.append(
            RowError(
                None,
                f"The file measures “{measure or file_unit}” ({file_unit or 'no unit'}) but the indicator's "
                f"type is “{ValueType(value_type).label}”{f' ({unit})' if unit else ''}: choose the "
                "indicator this file is about, or correct the indicator first.",
            )
        )
    for row in rows:
        if (row["measure"], row["unit"]) != (measure, file_unit):
            errors.append(
                RowError(
                    row["number"],
                    f"its unit “{row['unit'] or row['measure']}” contradicts the file's "
                    f"“{file_unit or measure}”: one series never mixes definitions",
                )
            )
    stated = {POLARITIES.get(row["polarity"].strip()) for row in rows if row["polarity"].strip()} - {None}
    for other in sorted(stated - {polarity}):
        reading.notes.append(
            f"The file's polarity column says {POLARITY_WORDS[other]}; the indicator says "
            f"{POLARITY_WORDS[polarity]}, and the indicator's is kept."
        )
    return errors


def _choose_series(reading: OnsReading, rows: list, series: str | None) -> list:
    names = Counter(row["series"] for row in rows)
    if series:
        chosen = [name for name in names if name.strip().lower() == series.strip().lower()]
        if not chosen:
            reading.errors.append(
                RowError(None, f"The file has no series “{series}”. It holds: {', '.join(sorted(names))}.")
            )
            return []
        kept = [row for row in rows if row["series"] == chosen[0]]
        reading.series = chosen[0]
    elif len(names) > 1:
        reading.errors.append(
            RowError(
                None,
                f"The file holds {len(names)} series ({', '.join(sorted(names))}); choose the one this "
                "indicator is, so that no two definitions are mixed.",
            )
        )
        return []
    else:
        kept = rows
        reading.series = next(iter(names), "")
    if len(kept) < len(rows):
        reading.left_out[OTHER_SERIES] += len(rows) - len(kept)
    return kept


def _observation(row: dict, problems: list[str], *, months: bool) -> Observation | None:
    try:
        period = parse_period(row["period"], months=months)
    except PeriodError as error:
        problems.append(str(error))
        period = None
    values = {}
    for name, column in (
        ("value", "observation"),
        ("lower_limit", "lower_limit"),
        ("upper_limit", "upper_limit"),
    ):
        try:
            values[name] = _number(row[column])
        except (InvalidOperation, ValueError):
            problems.append(f"{HEADINGS[column][0]} “{row[column]}” is not a number")
            values[name] = None
    if (values["lower_limit"] is None) != (values["upper_limit"] is None) and not problems:
        problems.append("it gives one confidence limit without the other")
    if problems or period is None:
        return None
    status = row["status"].strip().lower()
    words = STATUS_WORDS.get(status.strip("[]"), status)  # newer tables bracket them: "[u]"
    note = f"ONS marks this figure as {words}." if status else ""
    return Observation(
        row["number"],
        row["area_code"],
        period.start,
        period.end,
        period.label,
        values["value"],
        values["lower_limit"],
        values["upper_limit"],
        note,
    )


def read_ons(
    text: str,
    *,
    value_type: str,
    unit: str,
    polarity: str,
    area_codes: Collection[str],
    series: str | None = None,
) -> OnsReading:
    """Read an Explore Local Statistics CSV for one indicator and the areas `area_codes`.

    Rows for other areas or other series, and rows with no figure (the status says why), are left
    out and counted; areas asked for that the file has no figure for are listed, for the caller to
    judge. Every other row must be right: a period in a form the files use, numbers in the
    observation and limits, a well-formed area code, and the same measure and unit as the rest of the
    file, which must match the indicator's value type, unit and polarity.
    """
    reading = OnsReading()
    try:
        records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as error:
        reading.errors.append(RowError(None, f"The file could not be read as CSV: {error}."))
        return reading
    if not records:
        reading.errors.append(RowError(None, "The file is empty."))
        return reading
    columns, reading.errors = _columns(records[0])
    if reading.errors:
        return reading

    wanted = {code.strip().upper() for code in area_codes}
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {name: cells[index].strip() if index < len(cells) else "" for name, index in columns.items()}
        row.update({name: "" for name in HEADINGS if name not in columns}, number=number)
        row["area_code"] = row["area_code"].upper()
        if not AREA_CODE.fullmatch(row["area_code"]):
            reading.errors.append(
                RowError(number, f"“{row['area_code']}” is not an ONS area code (such as E06000042)")
            )
        elif row["area_code"] in wanted:
            rows.append(row)
        else:
            reading.left_out[OTHER_AREA] += 1
    rows = _choose_series(reading, rows, series)
    if not rows:
        if not reading.errors:
            reading.errors.append(
                RowError(
                    None, f"The file holds no figures for {', '.join(sorted(wanted)) or 'the areas chosen'}."
                )
            )
        return reading

    with_figures = []
    for row in rows:
        if row["observation"] or not row["status"]:
            with_figures.append(row)
        else:
            reading.left_out[NO_FIGURE] += 1  # "x": ONS has no figure for it
    if not with_figures:
        reading.errors.append(RowError(None, "None of the chosen rows has a figure."))
        return reading
    months = writes_months(row["period"] for row in with_figures)
    reading.errors += _definition_errors(
        reading, with_figures, value_type=value_type, unit=unit, polarity=polarity
    )
    for row in with_figures:
        problems: list[str] = []
        if not row["observation"]:
            problems.append("observation is empty, and no status says why")
        observation = _observation(row, problems, months=months)
        reading.errors += [RowError(row["number"], problem) for problem in problems]
        if observation is not None:
            reading.observations.append(observation)
    reading.missing_areas = sorted(wanted - {observation.area_code for observation in reading.observations})
    reading.errors.sort(key=lambda error: error.row or 0)
    return reading
