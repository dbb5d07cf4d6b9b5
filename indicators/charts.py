"""Lay out an indicator's values as an accessible SVG chart, drawn by templates/indicators/chart.svg.html.

This module does the arithmetic (scales, ticks, marker shapes) and the template only
draws what it is given, so the chart needs no JavaScript and no library that could
reach the network. Each area keeps one colour, one marker shape and one dash pattern
everywhere, so the chart reads without colour. One period draws a dot plot (areas
side by side); several periods draw lines over time.

Each chart is drawn twice, to two layouts: WIDE for screens wider than 40rem and PHONE,
narrower and taller with fewer period labels, for the rest. site.css shows one of them, so
each layout's labels read at 12 CSS px or more wherever it is shown (MIN_LABEL_PX; the
tests in tests/indicators/test_charts.py read the widths from site.css).
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import ValueType
from .formatting import PERCENT_TYPES, figure, format_number
from .intervals import confidence_interval

# Labels must read at 12 CSS px or more: a layout drawn narrower than width * MIN_LABEL_PX / font_size
# CSS px would not, so site.css shows each layout only on screens where it is drawn at least that wide.
MIN_LABEL_PX = 12
CHARACTER_WIDTH = 0.6  # a label's width per character, in font sizes: generous for digits and capitals


@dataclass(frozen=True)
class Layout:
    """The size of one drawing of a chart, in the chart's own units (it scales to the width it is given)."""

    name: str  # "wide" or "phone": the SVG's class and its ids' suffix
    width: int
    line_chart_height: int
    font_size: int
    marker_size: float
    cap: float  # half the width of an interval whisker's end caps
    row_height: int  # a dot plot's row per area
    max_period_labels: int
    names_above: bool  # a dot plot names each area above its row rather than to its left
    tooltips: bool  # each mark's <title>, shown on hover: a phone has no hover, so it saves the bytes
    line_width: float
    css_class: str


WIDE = Layout(
    "wide", 640, 320, 14, 7, 5, 44, 6, names_above=False, tooltips=True, line_width=2.5, css_class="chart-svg"
)
# Shown on screens up to 40rem, in a box at most 26rem wide, so from 256 CSS px (a 320 px screen
# with 32 px gutters) the 15-unit labels in 320 units read at 12 to 19.5 CSS px.
PHONE = Layout(
    "phone",
    320,
    300,
    15,
    4.5,
    3,
    60,
    4,
    names_above=True,
    tooltips=False,
    line_width=2,
    css_class="chart-phone",
)
LAYOUTS = (WIDE, PHONE)


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


def marker_path(shape: str, x: float, y: float, size: float = WIDE.marker_size) -> str:
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
    label: str  # "Milton Keynes, August 2025: 4.34%"; a tooltip, so the phone layout leaves it out
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
    name_y: float = 0.0  # where a dot plot writes the area's name


@dataclass
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor, so the first and last labels stay inside the chart
    row: int = 0  # a period label that would overlap the one before it drops to a second row


@dataclass
class Chart:
    """One drawing of an indicator's chart, laid out for one Layout."""

    kind: str  # "dots" (one period) or "lines" (several)
    id: str
    layout: Layout
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
    baseline: float = 0.0  # where the value axis starts: at zero, or at its lowest tick

    @property
    def font_size(self) -> int:
        return self.layout.font_size

    @property
    def element_id(self) -> str:
        """The id its title and description hang from: one per drawing, the wide one's unchanged."""
        return self.id if self.layout is WIDE else f"{self.id}-{self.layout.name}"

    @property
    def period_label_y(self) -> float:
        return self.bottom + self.font_size + 10

    @property
    def second_row_y(self) -> float:
        return self.period_label_y + round(self.font_size * 1.3)

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
        starts = f" The scale starts at {self.value_ticks[0].label}." if self.low > 0 else ""
        return f"{self.summary}{starts} The table of values below the chart gives every value."


@dataclass
class ChartFigure:
    """An indicator's chart: its summary and key, and one drawing per layout."""

    title: str
    summary: str
    series: list[Series]  # for the key: each area's style, in the drawings' order
    drawings: list[Chart]
    scale_note: str = ""  # "The scale starts at 60%, not at zero.", when it does not


def nice_step(span: float, count: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`."""
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def starts_at_zero(low: float, high: float) -> bool:
    """Whether a line chart's scale should reach down to zero.

    Bars and dot-plot stems are lengths, so a dot plot always starts at zero. A line shows change,
    and a scale from zero flattens a series far from it: an employment rate moving between 70% and
    82% would barely move. So a line chart starts at zero only when that at most doubles the span
    of its values, and otherwise says under the chart where it starts.
    """
    return low <= 0 or low <= high - low


def value_ticks(low: float, high: float, *, from_zero: bool = True) -> tuple[float, float, list[float]]:
    """Round the value range out to whole ticks, including zero when `from_zero`."""
    if from_zero:
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


def text_width(text: str, font_size: float) -> float:
    """About how wide `text` is drawn, in the chart's units."""
    return len(text) * font_size * CHARACTER_WIDTH


def build_chart(indicator, points, *, summary: str) -> ChartFigure | None:
    """Lay out `points` (an indicator's data points, any order); None when nothing has a value."""
    value_type = indicator.value_type
    points = [point for point in points if point.value is not None]
    if value_type == ValueType.RANK or not points:
        return None
    periods = sorted({(point.period_start, point.period_end) for point in points})
    areas = _areas_in_order(points)
    styles = {area.pk: STYLES[index % len(STYLES)] for index, area in enumerate(areas)}
    home = areas[0].name
    if len(periods) == 1:
        title = f"{indicator.title}: {home} and other areas, {points[0].period_label}"
    else:
        title = f"{indicator.title}: {home} over time"
    summary = summary or f"{indicator.title}: {len(points)} values for {', '.join(a.name for a in areas)}."
    low, high = _value_range(points, value_type)
    from_zero = len(periods) == 1 or starts_at_zero(low, high)
    scale = value_ticks(low, high, from_zero=from_zero)
    drawings = []
    for layout in LAYOUTS:
        chart = _draw(indicator, points, areas, styles, periods, layout, scale)
        chart.title, chart.summary = title, summary
        drawings.append(chart)
    key = [
        Series(area, styles[area.pk], key_marker=marker_path(styles[area.pk].shape, 18, 10, 5))
        for area in areas
    ]
    scale_note = ""
    if not from_zero:
        start, _, ticks = scale
        scale_note = f"The scale starts at {tick_label(start, ticks[1] - ticks[0], value_type)}, not at zero."
    return ChartFigure(title, summary, key, drawings, scale_note)


def _draw(indicator, points, areas, styles, periods, layout: Layout, value_scale) -> Chart:
    value_type = indicator.value_type
    start, stop, ticks = value_scale
    step = ticks[1] - ticks[0]
    labels = [tick_label(value, step, value_type) for value in ticks]
    if len(periods) == 1:
        chart = _dot_plot(indicator, points, areas, styles, start, stop, layout)
    else:
        # The value axis's labels sit left of the plot, as wide as the widest needs.
        left = round(max(text_width(label, layout.font_size) for label in labels) + 14)
        chart = _line_chart(indicator, points, areas, styles, periods, start, stop, layout, left)
    chart.value_ticks = [
        Tick(round(chart.scale(value), 1), label) for value, label in zip(ticks, labels, strict=True)
    ]
    if chart.horizontal:
        _label_every_other_tick_if_crowded(chart)
    chart.baseline = round(chart.scale(max(start, 0.0)), 1)
    return chart


def _label_every_other_tick_if_crowded(chart: Chart) -> None:
    """Across a narrow dot plot, keep every grid line but label only every other one when the
    labels would come closer than half a font size; the first (zero or below) keeps its label."""
    ticks = chart.value_ticks
    spacing = abs(ticks[1].position - ticks[0].position)
    widest = max(text_width(tick.label, chart.font_size) for tick in ticks)
    if spacing - widest < chart.font_size / 2:
        for index, tick in enumerate(ticks):
            if index % 2:
                tick.label = ""


def _mark(point, x, y, shape, layout: Layout) -> Mark:
    text = figure(point)
    return Mark(
        x=round(x, 1),
        y=round(y, 1),
        path=marker_path(shape, x, y, layout.marker_size),
        label=f"{point.area.name}, {point.period_label}: {text}",
        value_text=text,
    )


def _dot_plot(indicator, points, areas, styles, low, high, layout: Layout) -> Chart:
    """One row per area: a dashed stem from zero to the value, its marker and its interval.

    The value is written right of its marker, so the plot stops short enough for the longest.
    On a phone each area's name sits above its row; on a wide screen, to its left.
    """
    by_area = {point.area.pk: point for point in points}
    longest = max(text_width(figure(point), layout.font_size) for point in by_area.values())
    names = max(text_width(area.name, layout.font_size) for area in areas)
    top = 8
    chart = Chart(
        kind="dots",
        id=f"chart-{indicator.slug}",
        layout=layout,
        width=layout.width,
        height=top + layout.row_height * len(areas) + 24,
        left=12 if layout.names_above else max(160, round(names + 24)),
        right=round(layout.width - longest - layout.marker_size - 10),
        top=top,
        bottom=top + layout.row_height * len(areas),
        low=low,
        high=high,
    )
    for row, area in enumerate(areas):
        point, style = by_area[area.pk], styles[area.pk]
        middle = top + layout.row_height * row + layout.row_height / 2
        y = middle + layout.font_size * 0.6 if layout.names_above else middle
        x = chart.scale(float(point.value))
        mark = _mark(point, x, y, style.shape, layout)
        interval = confidence_interval(point, indicator.value_type)
        start = end = x
        if interval is not None:
            start, end = chart.scale(interval.lower), chart.scale(interval.upper)
            caps = f"{y - layout.cap - 1:.1f}v{2 * layout.cap + 2}"
            mark.interval_path = f"M{start:.1f},{y:.1f}H{end:.1f}M{start:.1f},{caps}M{end:.1f},{caps}"
        mark.text_x = round(max(x, end) + layout.marker_size + 6, 1)
        series = Series(area, style, [mark])
        # The stem stops where the interval starts, so the interval's caps stay clear to see.
        series.line = f"{chart.scale(0.0):.1f},{y:.1f} {min(x, start):.1f},{y:.1f}"
        series.name_y = round(y - layout.font_size * 1.2, 1) if layout.names_above else mark.y
        chart.series.append(series)
    return chart


def _period_ticks(periods, labels, x_of, chart: Chart) -> list[Tick]:
    """Label evenly spaced periods, as many as fit without overlapping, always the first and the last.

    Tries every period, every second, third, ...: of the spacings whose labels keep clear of one
    another (at most the layout's number of them), the one with most labels wins, evenly spaced
    to the end where it can be, so 25 years read 2001, 2009, 2017, 2025 on a phone. When even the
    first and last alone would overlap (long names on a phone), the last drops to a second row.
    """
    layout = chart.layout
    gap = layout.font_size * 0.8

    def ticks_for(indices) -> list[Tick]:
        ticks = [Tick(round(x_of(periods[i]), 1), labels[periods[i]]) for i in indices]
        ticks[0].anchor = "start"
        if len(ticks) > 1:
            ticks[-1].anchor = "end"
        return ticks

    def clear(ticks) -> bool:
        extents = []
        for tick in ticks:
            width = text_width(tick.label, layout.font_size)
            start = {"start": tick.position, "end": tick.position - width}.get(
                tick.anchor, tick.position - width / 2
            )
            extents.append((start, start + width))
        return all(later[0] - earlier[1] >= gap for earlier, later in zip(extents, extents[1:], strict=False))

    last = len(periods) - 1
    best = None  # ((how many labels, evenly spaced to the end), indices)
    for every in range(1, last + 1):
        indices = list(range(0, last + 1, every))
        even = indices[-1] == last
        # Off the spacing, the last period follows the others or takes the place of the last of them.
        for candidate in [indices] if even else [[*indices, last], [*indices[:-1], last]]:
            if len(candidate) <= layout.max_period_labels and clear(ticks_for(candidate)):
                if best is None or (len(candidate), even) > best[0]:
                    best = ((len(candidate), even), candidate)
                break
    if best is not None:
        return ticks_for(best[1])
    ticks = ticks_for([0, last]) if last else ticks_for([0])
    if len(ticks) > 1 and not clear(ticks):
        ticks[-1].row = 1
    return ticks


def _line_chart(indicator, points, areas, styles, periods, low, high, layout: Layout, left: float) -> Chart:
    """Values over time: x by the middle of each period, one dashed line and marker shape per area."""
    chart = Chart(
        kind="lines",
        id=f"chart-{indicator.slug}",
        layout=layout,
        width=layout.width,
        height=layout.line_chart_height,
        left=left,
        right=layout.width - (24 if layout is WIDE else 12),
        top=20,
        bottom=layout.line_chart_height - round(layout.font_size * 3.5),
        low=low,
        high=high,
    )
    middles = {period: period[0] + (period[1] - period[0]) / 2 for period in periods}
    first, last = min(middles.values()), max(middles.values())
    span = (last - first).days or 1

    def x_of(period) -> float:
        return chart.left + (middles[period] - first).days / span * (chart.right - chart.left)

    labels = {(point.period_start, point.period_end): point.period_label for point in points}
    chart.period_ticks = _period_ticks(periods, labels, x_of, chart)

    for area in areas:
        style = styles[area.pk]
        series = Series(area, style)
        own = sorted(
            (point for point in points if point.area.pk == area.pk),
            key=lambda point: (point.period_start, point.period_end),
        )
        for point in own:
            x = x_of((point.period_start, point.period_end))
            y = chart.scale(float(point.value))
            mark = _mark(point, x, y, style.shape, layout)
            interval = confidence_interval(point, indicator.value_type)
            if interval is not None:
                low_y, high_y = chart.scale(interval.lower), chart.scale(interval.upper)
                cap = layout.cap
                caps = f"M{x - cap:.1f},{low_y:.1f}h{2 * cap}M{x - cap:.1f},{high_y:.1f}h{2 * cap}"
                mark.interval_path = f"M{x:.1f},{low_y:.1f}V{high_y:.1f}{caps}"
            series.marks.append(mark)
        series.line = " ".join(f"{mark.x:.1f},{mark.y:.1f}" for mark in series.marks)
        chart.series.append(series)
    return chart
