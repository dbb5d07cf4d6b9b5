"""Cells of the CSV files we write, made safe to open in a spreadsheet (no formula injection).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or carriage
return) as a formula, so a listing named `=HYPERLINK("http://evil","x")` would become a live link
in a member of staff's spreadsheet. As OWASP advises, such text gets a leading apostrophe, which
spreadsheets read as "this is text" and do not show. Numbers are left alone, negative ones too,
whether given as numbers or as their plain text ("-0.76", a longitude): a number runs nothing.

Every CSV the site writes goes through `csv_cell`: the staff exports (initiatives/opendata/
resources.py), the indicator downloads and the evidence table (indicators/views.py). A staff
import reads the apostrophe back off (`csv_cell_text`), so an export imported again is unchanged.
"""

import csv
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# Plain decimal numbers, as our exports write them: never a formula, so never escaped.
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def csv_cell(value):
    """Return the value to write in a CSV cell: text that could start a formula, with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return ESCAPE + value
    return value


def csv_cell_text(value):
    """Return the text a cell written by `csv_cell` stood for (the escaping apostrophe removed)."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_csv(file, rows: Iterable[Iterable]) -> None:
    """Write `rows` to `file` (a response or any file) as CSV, every cell through `csv_cell`."""
    csv.writer(file).writerows([csv_cell(cell) for cell in row] for row in rows)
