"""Arrange data points as an accessible table: one row per period, one column per area."""

from dataclasses import dataclass

# A table with more periods than this waits behind a disclosure ("Table of all 75 values, 2001 to
# 2025"): below the chart, 25 rows would take a phone several screens to scroll past.
FOLD_AFTER_ROWS = 10


@dataclass
class PeriodRow:
    label: str
    cells: list  # a DataPoint or None, one per area column


@dataclass
class ValueTable:
    areas: list
    rows: list[PeriodRow]
    sources: list

    @property
    def folded(self) -> bool:
        return len(self.rows) > FOLD_AFTER_ROWS

    @property
    def span(self) -> str:
        """'2001 to 2025': the first and last periods."""
        if not self.rows:
            return ""
        first, last = self.rows[0].label, self.rows[-1].label
        return first if first == last else f"{first} to {last}"

    @property
    def value_count(self) -> int:
        return sum(cell is not None for row in self.rows for cell in row.cells)


def values_by_period(points, *, default_source) -> ValueTable:
    areas = sorted(
        {point.area for point in points}, key=lambda area: (not area.is_home, area.kind, area.name)
    )
    by_period: dict[tuple, dict] = {}
    labels: dict[tuple, str] = {}
    for point in points:
        key = (point.period_start, point.period_end)
        by_period.setdefault(key, {})[point.area.pk] = point
        labels[key] = point.period_label
    rows = [
        PeriodRow(labels[key], [by_period[key].get(area.pk) for area in areas]) for key in sorted(by_period)
    ]
    sources = list(dict.fromkeys(point.cited_source for point in points)) or [default_source]
    return ValueTable(areas, rows, sources)
