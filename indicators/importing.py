"""Read a CSV of data points, check every row, and say what importing it would do.

Nothing here writes. `parse_data_points` returns every row ready to save, or every
row-level error, so the admin preview, the confirm step and the `import_indicators`
command share one set of rules; `indicators.services` writes a valid file in one
transaction. The format is described in the README ("Importing figures from a spreadsheet").
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from initiatives.text_rules import single_line

from . import ons
from .choices import ImportLayout
from .import_rules import STORED_PLACES, RowError
from .models import Area, DataPoint, Indicator, Source

REQUIRED_COLUMNS = ("indicator", "area_code", "period_label", "period_start", "period_end", "value")
OPTIONAL_COLUMNS = (
    "lower_limit",
    "upper_limit",
    "sample_size",
    "rank",
    "rank_out_of",
    "status_note",
    "source",
)
DECIMAL_COLUMNS = ("value", "lower_limit", "upper_limit")
WHOLE_NUMBER_COLUMNS = ("sample_size", "rank", "rank_out_of")
# The data point fields an import writes, when the file has their column.
WRITTEN_FIELDS = ("period_label", *DECIMAL_COLUMNS, *WHOLE_NUMBER_COLUMNS, "status_note", "source")
PERIOD_LABEL_LENGTH = DataPoint._meta.get_field("period_label").max_length
STATUS_NOTE_LENGTH = DataPoint._meta.get_field("status_note").max_length
LARGEST_VALUE = Decimal("1e10")  # 14 digits with 4 after the point
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SOURCE_SEPARATOR = "|"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


class UploadError(ValueError):
    """The file as a whole cannot be read: too big, or not UTF-8 text."""


def decode_upload(data: bytes, *, max_bytes: int) -> str:
    """Return the file's text: UTF-8, with or without a byte order mark, at most `max_bytes`."""
    if len(data) > max_bytes:
        raise UploadError(
            f"The file is larger than {filesizeformat(max_bytes)}. Split it into smaller files and "
            "import each one."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadError(
            "The file is not UTF-8 text. In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
        ) from error
    if "\x00" in text:
        raise UploadError("The file is not a CSV file. Save the spreadsheet as CSV and try again.")
    return text


@dataclass
class ImportRow:
    """One valid row: the data point it names and the values it writes."""

    number: int
    indicator: Indicator
    area: Area
    period_start: datetime.date
    period_end: datetime.date
    values: dict  # field name -> value, for the columns the file has
    existing: DataPoint | None = None

    @property
    def key(self) -> tuple:
        return (self.indicator.pk, self.area.pk, self.period_start, self.period_end)

    @property
    def changes(self) -> dict:
        """The fields this row changes on the existing data point, with their current values."""
        if self.existing is None:
            return {}
        return {
            name: getattr(self.existing, name)
            for name, value in self.values.items()
            if self._comparable(name, getattr(self.existing, name)) != self._comparable(name, value)
        }

    def _comparable(self, name: str, value):
        # An empty source means the indicator's own, so naming that source changes nothing.
        if name == "source":
            return value.pk if value is not None else self.indicator.source_id
        return value

    @property
    def action(self) -> str:
        if self.existing is None:
            return CREATE
        return UPDATE if self.changes else UNCHANGED


@dataclass
class ParsedImport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a reader should know that is not wrong

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The heading row and the numbered data rows that have anything in them."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    headings = [heading.strip().lower() for heading in records[0]] if records else []
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    return headings, rows


def _heading_errors(headings: list[str]) -> list[RowError]:
    if not any(headings):
        return [RowError(None, "The file is empty. Its first row must name the columns.")]
    errors = [
        RowError(None, f"The file has no “{column}” column. The first row must name the columns.")
        for column in REQUIRED_COLUMNS
        if column not in headings
    ]
    repeated = sorted({heading for heading in headings if heading and headings.count(heading) > 1})
    errors += [RowError(None, f"The column “{heading}” appears more than once.") for heading in repeated]
    return errors


def _decimal(text: str, column: str, problems: list[str]) -> Decimal | None:
    cleaned = text.replace(",", "").removeprefix("£").removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.append(f"{column} “{text}” is not a number")
        return None
    if abs(number) >= LARGEST_VALUE:
        problems.append(f"{column} “{text}” is too large")
        return None
    return number.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def _whole_number(text: str, column: str, problems: list[str]) -> int | None:
    cleaned = text.replace(",", "").strip()
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value() or number < 1:
        problems.append(f"{column} “{text}” is not a whole number of 1 or more")
        return None
    return int(number)


def _date(text: str, column: str, problems: list[str]) -> datetime.date | None:
    cleaned = text.strip()
    if not cleaned:
        problems.append(f"{column} is empty")
        return None
    try:
        if not ISO_DATE.fullmatch(cleaned):
            raise ValueError
        return datetime.date.fromisoformat(cleaned)
    except ValueError:
        problems.append(f"{column} “{text}” is not a date written like 2025-08-31")
        return None


@dataclass
class _Lookups:
    """Indicators, areas and sources the file names, each fetched in one query."""

    indicators: dict[str, Indicator]
    areas: dict[str, Area]
    sources: dict[tuple[str, str], Source]

    @classmethod
    def for_rows(cls, records: list[dict]) -> "_Lookups":
        slugs = {record.get("indicator", "").strip() for record in records}
        codes = {record.get("area_code", "").strip().upper() for record in records}
        citations = {_citation(record.get("source", "")) for record in records} - {None}
        sources = {}
        if citations:
            candidates = Source.objects.filter(
                publisher__in={publisher for publisher, _ in citations},
                title__in={title for _, title in citations},
            )
            sources = {(source.publisher, source.title): source for source in candidates}
        return cls(
            indicators={indicator.slug: indicator for indicator in Indicator.objects.filter(slug__in=slugs)},
            areas={area.code: area for area in Area.objects.filter(code__in=codes)},
            sources=sources,
        )


def _one_line(text: str, column: str, problems: list[str]) -> None:
    # Rows are checked here rather than by full_clean, as they are written in bulk.
    try:
        single_line(text)
    except ValidationError as error:
        problems.append(f"{column}: {' '.join(error.messages)}")


def _status_note(text: str, problems: list[str]) -> str:
    note = text.strip()
    if len(note) > STATUS_NOTE_LENGTH:
        problems.append(f"status_note is longer than {STATUS_NOTE_LENGTH} characters")
    else:
        _one_line(note, "status_note", problems)
    return note


def _citation(text: str) -> tuple[str, str] | None:
    if not text.strip():
        return None
    publisher, _, title = text.partition(SOURCE_SEPARATOR)
    return publisher.strip(), title.strip()


def _parse_row(number: int, record: dict, lookups: _Lookups) -> tuple[ImportRow | None, list[str]]:
    """Check one row; return it ready to save, or the problems found in it."""
    problems: list[str] = []
    slug = record["indicator"].strip()
    indicator = lookups.indicators.get(slug)
    if indicator is None:
        problems.append(f"no indicator has the slug “{slug}”" if slug else "indicator is empty")
    code = record["area_code"].strip().upper()
    area = lookups.areas.get(code)
    if area is None:
        problems.append(f"no area has the code “{code}”" if code else "area_code is empty")

    label = record["period_label"].strip()
    if not label:
        problems.append("period_label is empty")
    elif len(label) > PERIOD_LABEL_LENGTH:
        problems.append(f"period_label is longer than {PERIOD_LABEL_LENGTH} characters")
    else:
        _one_line(label, "period_label", problems)
    start = _date(record["period_start"], "period_start", problems)
    end = _date(record["period_end"], "period_end", problems)
    if start and end and start > end:
        problems.append("period_start is after period_end")

    values: dict = {"period_label": label}
    for column in DECIMAL_COLUMNS:
        if column in record:
            values[column] = _decimal(record[column], column, problems)
    for column in WHOLE_NUMBER_COLUMNS:
        if column in record:
            values[column] = _whole_number(record[column], column, problems)
    if "status_note" in record:
        values["status_note"] = _status_note(record["status_note"], problems)
    if "source" in record:
        citation = _citation(record["source"])
        values["source"] = lookups.sources.get(citation) if citation else None
        if citation and values["source"] is None:
            problems.append(
                f"no source “{record['source'].strip()}”: write it as publisher|title exactly as in the "
                "admin, or leave it empty to use the indicator's source"
            )
    if problems:
        return None, problems
    return ImportRow(number, indicator, area, start, end, values), []


def _consistency_problems(row: ImportRow) -> list[str]:
    """Check the values the point will hold: this row's, and the existing point's for columns left out."""

    def final(name):
        return row.values[name] if name in row.values else getattr(row.existing, name, None)

    problems = []
    value, lower, upper = final("value"), final("lower_limit"), final("upper_limit")
    rank, out_of = final("rank"), final("rank_out_of")
    if value is None and rank is None:
        problems.append("value is empty: give a value (or a rank)")
    if lower is not None and upper is not None:
        if lower > upper:
            problems.append(f"lower_limit {lower.normalize():f} is above upper_limit {upper.normalize():f}")
        elif value is not None and not lower <= value <= upper:
            problems.append("value is outside its lower_limit and upper_limit")
    if rank is not None and out_of is not None and rank > out_of:
        problems.append(f"rank {rank} is more than rank_out_of {out_of}")
    return problems


def _attach_existing(rows: list[ImportRow]) -> None:
    """Find the data points the rows would update, in one query."""
    if not rows:
        return
    candidates = DataPoint.objects.select_related("source").filter(
        indicator__in={row.indicator.pk for row in rows}, area__in={row.area.pk for row in rows}
    )
    by_key = {
        (point.indicator_id, point.area_id, point.period_start, point.period_end): point
        for point in candidates
    }
    for row in rows:
        row.existing = by_key.get(row.key)


def parse_data_points(text: str) -> ParsedImport:
    """Check every row of a data point CSV; the result is valid only if every row is."""
    try:
        headings, numbered = _table(text)
    except csv.Error as error:
        return ParsedImport(errors=[RowError(None, f"The file could not be read as CSV: {error}.")])
    errors = _heading_errors(headings)
    if errors:
        return ParsedImport(errors=errors)
    if not numbered:
        return ParsedImport(errors=[RowError(None, "The file has no rows of figures under its headings.")])

    known = [heading for heading in headings if heading in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    records = []
    for number, cells in numbered:
        if any(cell.strip() for cell in cells[len(headings) :]):
            errors.append(RowError(number, f"has more cells than the {len(headings)} column headings"))
        padded = cells + [""] * (len(headings) - len(cells))
        records.append((number, {heading: padded[headings.index(heading)] for heading in known}))
    return _parse_records(records, ParsedImport(errors=errors))


def _parse_records(records: list[tuple[int, dict]], parsed: ParsedImport) -> ParsedImport:
    """Check numbered records of the CSV's columns against the database, adding to `parsed`."""
    lookups = _Lookups.for_rows([record for _, record in records])
    seen: dict[tuple, int] = {}
    for number, record in records:
        row, problems = _parse_row(number, record, lookups)
        if row is not None:
            first = seen.setdefault(row.key, number)
            if first != number:
                problems.append(f"repeats row {first}: the same indicator, area and period")
            else:
                parsed.rows.append(row)
        parsed.errors += [RowError(number, problem) for problem in problems]

    _attach_existing(parsed.rows)
    for row in parsed.rows:
        parsed.errors += [RowError(row.number, problem) for problem in _consistency_problems(row)]
    parsed.errors.sort(key=lambda error: error.row or 0)
    return parsed


def _ons_record(slug: str, observation) -> dict:
    """An ONS observation as a row of our own CSV, so that one set of rules checks both."""

    def text(number):
        return "" if number is None else format(number, "f")

    return {
        "indicator": slug,
        "area_code": observation.area_code,
        "period_label": observation.period_label,
        "period_start": observation.period_start.isoformat(),
        "period_end": observation.period_end.isoformat(),
        "value": text(observation.value),
        "lower_limit": text(observation.lower_limit),
        "upper_limit": text(observation.upper_limit),
        "status_note": observation.status_note,
        "source": "",  # the indicator's own source, which names the file
    }


def parse_ons(text: str, *, indicator: str, areas: list[str], series: str = "") -> ParsedImport:
    """Check an ONS Explore Local Statistics file for one indicator and the areas given.

    `areas` empty means every area the directory knows. Rows for other areas and series are left
    out, and the notes say how many; every row kept is checked as a row of our own CSV would be.
    """
    target = Indicator.objects.filter(slug=indicator).first()
    if target is None:
        return ParsedImport(errors=[RowError(None, f"No indicator has the slug “{indicator}”.")])
    codes = [code.strip().upper() for code in areas if code.strip()]
    known = set(Area.objects.filter(code__in=codes).values_list("code", flat=True)) if codes else set()
    unknown = [code for code in codes if code not in known]
    if unknown:
        return ParsedImport(
            errors=[
                RowError(None, f"No area has the code “{code}”: add it under Areas first, or leave it out.")
                for code in unknown
            ]
        )
    reading = ons.read_ons(
        text,
        value_type=target.value_type,
        unit=target.unit,
        polarity=target.polarity,
        area_codes=codes or set(Area.objects.values_list("code", flat=True)),
        series=series or None,
    )
    parsed = ParsedImport(errors=list(reading.errors), notes=reading.notes)
    if reading.left_out:
        parsed.notes.append(reading.left_out_text() + ".")
    if reading.missing_areas and reading.observations:
        missing = f"The file holds no figures for {', '.join(reading.missing_areas)}"
        if codes:  # asked for by name: a typing slip, or the wrong file
            parsed.errors.append(RowError(None, missing + "."))
        else:
            parsed.notes.append(missing + ": their figures, if any, are left as they are.")
    records = [
        (observation.row, _ons_record(target.slug, observation)) for observation in reading.observations
    ]
    if records:
        _parse_records(records, parsed)
    return parsed


def parse_batch(batch) -> ParsedImport:
    """Check a kept upload again, read as the layout it was uploaded in."""
    if batch.layout == ImportLayout.ONS:
        return parse_ons(batch.content, **batch.options)
    return parse_data_points(batch.content)
