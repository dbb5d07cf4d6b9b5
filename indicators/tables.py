"""Arrange data points as an accessible table: one row per period, one column per area."""

from dataclasses import dataclass


@dataclass
class PeriodRow:
    label: str
    cells: list  # a DataPoint or None, one per area column


@dataclass
class ValueTable:
    areas: list
    rows: list[PeriodRow]
    sources: list


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
