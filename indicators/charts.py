"""Lay out an indicator's values as an accessible SVG chart, drawn by templates/indicators/chart.svg.html.

This module does the arithmetic (scales, ticks, marker shapes) and the template only
draws what it is given, so the chart needs no JavaScript and no library that could
reach the network. Each area keeps one colour, one marker shape and one dash pattern
everywhere, so the chart reads without colour. One period draws a dot plot (areas
side by side); several periods draw lines over time.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import ValueType
from .formatting import PERCENT_TYPES, figure, format_number
from .intervals import confidence_interval

WIDTH = 640
LINE_CHART_HEIGHT = 320
ROW_HEIGHT = 44
MARKER_SIZE = 7
MAX_PERIOD_LABELS = 6
FONT_SIZE = 14  # in the chart's own units; the chart scales to the width it is given
# Labels must read at 12 CSS px or more: drawn narrower than WIDTH * MIN_LABEL_PX / FONT_SIZE, they
# would not, so site.css hides the chart on narrow screens and the table of values below stands in.
MIN_LABEL_PX = 12


@dataclass(frozen=True)
class SeriesStyle:
    colour: str  # every colour has at least 4.5:1 contrast against white
    dash: str  # an SVG stroke-dasharray; "" for a solid line
    shape: str  # circle, square, triangle or diamond


STYLES = [
    SeriesStyle("#1d4f91", "", "circle"),
    SeriesStyle("#a14a00", "8 4", "square"),
    SeriesStyle("#00594f", "2 4", "triangle"),
    SeriesStyle("#6b2c91", "12 4 2 4", "diamond"),
    SeriesStyle("#4b4f54", "4 2", "circle"),
]


def marker_path(shape: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    """An SVG path drawing the marker `shape` centred on (x, y)."""
    if shape == "square":
        s = size * 0.85
        return f"M{x - s:.1f},{y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"
    if shape == "triangle":
        s = size * 1.15
        return f"M{x:.1f},{y - s:.1f}L{x + s:.1f},{y + s * 0.8:.1f}L{x - s:.1f},{y + s * 0.8:.1f}Z"
    if shape == "diamond":
        s = size * 1.2
        return f"M{x:.1f},{y - s:.1f}L{x + s:.1f},{y:.1f}L{x:.1f},{y + s:.1f}L{x - s:.1f},{y:.1f}Z"
    return f"M{x - size:.1f},{y:.1f}a{size},{size} 0 1,0 {2 * size},0a{size},{size} 0 1,0 {-2 * size},0Z"


@dataclass
class Mark:
    """One data point: its marker, an optional interval whisker and what it says."""

    x: float
    y: float
    path: str
    label: str  # "Milton Keynes, August 2025: 4.34%"
    value_text: str
    interval_path: str = ""  # the 95% interval as a line with end caps
    text_x: float = 0.0  # where a dot plot writes the value, clear of the marker and interval


@dataclass
class Series:
    area: object
    style: SeriesStyle
    marks: list[Mark] = field(default_factory=list)
    line: str = ""  # polyline points for a line chart; the stem's end for a dot plot
    key_marker: str = ""


@dataclass
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor, so the first and last labels stay inside the chart


@dataclass
class Chart:
    kind: str  # "dots" (one period) or "lines" (several)
    id: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    low: float  # the value at the start of the value axis
    high: float  # the value at its end
    title: str = ""
    summary: str = ""
    series: list[Series] = field(default_factory=list)
    value_ticks: list[Tick] = field(default_factory=list)
    period_ticks: list[Tick] = field(default_factory=list)
    zero: float = 0.0  # where the value axis crosses zero
    font_size: int = FONT_SIZE

    @property
    def horizontal(self) -> bool:
        """Values run across the page in a dot plot, up the page in a line chart."""
        return self.kind == "dots"

    def scale(self, value: float) -> float:
        fraction = (value - self.low) / (self.high - self.low)
        if self.horizontal:
            return self.left + fraction * (self.right - self.left)
        return self.bottom - fraction * (self.bottom - self.top)

    @property
    def description(self) -> str:
        return f"{self.summary} The table below the chart gives every value."


def nice_step(span: float, count: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`."""
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def value_ticks(low: float, high: float) -> tuple[float, float, list[float]]:
    """Round the value range out to whole ticks, always including zero."""
    low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        high = low + 1
    step = nice_step(high - low)
    start, stop = math.floor(low / step) * step, math.ceil(high / step) * step
    count = round((stop - start) / step)
    return start, stop, [start + i * step for i in range(count + 1)]


def tick_label(value: float, step: float, value_type: str) -> str:
    places = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    number = format_number(Decimal(str(round(value, places))), places)
    if value_type in PERCENT_TYPES:
        return f"{number}%"
    if value_type == ValueType.CURRENCY:
        return f"£{number}"
    return number


def _areas_in_order(points) -> list:
    return sorted({point.area for point in points}, key=lambda area: (not area.is_home, area.kind, area.name))


def _value_range(points, value_type) -> tuple[float, float]:
    ends = []
    for point in points:
        ends.append(float(point.value))
        interval = confidence_interval(point, value_type)
        if interval is not None:
            ends += [interval.lower, interval.upper]
    return min(ends), max(ends)


def build_chart(indicator, points, *, summary: str) -> Chart | None:
    """Lay out `points` (an indicator's data points, any order); None when nothing has a value."""
    value_type = indicator.value_type
    points = [point for point in points if point.value is not None]
    if value_type == ValueType.RANK or not points:
        return None
    periods = sorted({(point.period_start, point.period_end) for point in points})
    areas = _areas_in_order(points)
    styles = {area.pk: STYLES[index % len(STYLES)] for index, area in enumerate(areas)}
    low, high = _value_range(points, value_type)
    start, stop, ticks = value_ticks(low, high)
    step = ticks[1] - ticks[0]
    home = areas[0].name
    if len(periods) == 1:
        chart = _dot_plot(indicator, points, areas, styles, start, stop)
        chart.title = f"{indicator.title}: {home} and other areas, {points[0].period_label}"
    else:
        chart = _line_chart(indicator, points, areas, styles, periods, start, stop)
        chart.title = f"{indicator.title}: {home} over time"
    chart.summary = (
        summary or f"{indicator.title}: {len(points)} values for {', '.join(a.name for a in areas)}."
    )
    chart.value_ticks = [
        Tick(round(chart.scale(value), 1), tick_label(value, step, value_type)) for value in ticks
    ]
    chart.zero = round(chart.scale(0.0), 1)
    return chart


def _mark(point, x, y, shape) -> Mark:
    text = figure(point)
    return Mark(
        x=round(x, 1),
        y=round(y, 1),
        path=marker_path(shape, x, y),
        label=f"{point.area.name}, {point.period_label}: {text}",
        value_text=text,
    )


def _dot_plot(indicator, points, areas, styles, low, high) -> Chart:
    """One row per area: a dashed stem from zero to the value, its marker and its interval."""
    top = 8
    chart = Chart(
        kind="dots",
        id=f"chart-{indicator.slug}",
        width=WIDTH,
        height=top + ROW_HEIGHT * len(areas) + 24,
        left=160,
        right=WIDTH - 70,
        top=top,
        bottom=top + ROW_HEIGHT * len(areas),
        low=low,
        high=high,
    )
    by_area = {point.area.pk: point for point in points}
    for row, area in enumerate(areas):
        point, style = by_area[area.pk], styles[area.pk]
        y = top + ROW_HEIGHT * row + ROW_HEIGHT / 2
        x = chart.scale(float(point.value))
        mark = _mark(point, x, y, style.shape)
        interval = confidence_interval(point, indicator.value_type)
        start = end = x
        if interval is not None:
            start, end = chart.scale(interval.lower), chart.scale(interval.upper)
            mark.interval_path = (
                f"M{start:.1f},{y:.1f}H{end:.1f}M{start:.1f},{y - 6:.1f}v12M{end:.1f},{y - 6:.1f}v12"
            )
        mark.text_x = round(max(x, end) + MARKER_SIZE + 6, 1)
        series = Series(area, style, [mark])
        # The stem stops where the interval starts, so the interval's caps stay clear to see.
        series.line = f"{chart.scale(0.0):.1f},{y:.1f} {min(x, start):.1f},{y:.1f}"
        series.key_marker = marker_path(style.shape, 18, 10, 5)
        chart.series.append(series)
    return chart


def _period_ticks(periods, labels, x_of, width) -> list[Tick]:
    """Label as many periods as fit without overlapping, always the first and the last."""
    widest = max(len(label) for label in labels.values()) * FONT_SIZE * 0.55 + 16
    fits = max(2, min(MAX_PERIOD_LABELS, int(width // widest) + 1))
    every = math.ceil((len(periods) - 1) / (fits - 1)) if len(periods) > 1 else 1
    shown = periods[::every]
    if shown[-1] != periods[-1]:
        shown[-1] = periods[-1]
    ticks = [Tick(round(x_of(period), 1), labels[period]) for period in shown]
    ticks[0].anchor = "start"
    if len(ticks) > 1:
        ticks[-1].anchor = "end"
    return ticks


def _line_chart(indicator, points, areas, styles, periods, low, high) -> Chart:
    """Values over time: x by the middle of each period, one dashed line and marker shape per area."""
    chart = Chart(
        kind="lines",
        id=f"chart-{indicator.slug}",
        width=WIDTH,
        height=LINE_CHART_HEIGHT,
        left=70,
        right=WIDTH - 24,
        top=20,
        bottom=LINE_CHART_HEIGHT - 50,
        low=low,
        high=high,
    )
    middles = {period: period[0] + (period[1] - period[0]) / 2 for period in periods}
    first, last = min(middles.values()), max(middles.values())
    span = (last - first).days or 1

    def x_of(period) -> float:
        return chart.left + (middles[period] - first).days / span * (chart.right - chart.left)

    labels = {(point.period_start, point.period_end): point.period_label for point in points}
    chart.period_ticks = _period_ticks(periods, labels, x_of, chart.right - chart.left)

    for area in areas:
        style = styles[area.pk]
        series = Series(area, style, key_marker=marker_path(style.shape, 18, 10, 5))
        own = sorted(
            (point for point in points if point.area.pk == area.pk),
            key=lambda point: (point.period_start, point.period_end),
        )
        for point in own:
            x = x_of((point.period_start, point.period_end))
            y = chart.scale(float(point.value))
            mark = _mark(point, x, y, style.shape)
            interval = confidence_interval(point, indicator.value_type)
            if interval is not None:
                low_y, high_y = chart.scale(interval.lower), chart.scale(interval.upper)
                caps = f"M{x - 5:.1f},{low_y:.1f}h10M{x - 5:.1f},{high_y:.1f}h10"
                mark.interval_path = f"M{x:.1f},{low_y:.1f}V{high_y:.1f}{caps}"
            series.marks.append(mark)
        series.line = " ".join(f"{mark.x:.1f},{mark.y:.1f}" for mark in series.marks)
        chart.series.append(series)
    return chart
