"""Word indicator values the way residents read them: 4.34%, £730.50, 8,000, 4th of 63, 4th in the UK.

Plain functions of a data point already loaded with its indicator, shared by the judgements,
the charts, the evidence table and (through thin wrappers in templatetags/figures.py) templates.
"""

from decimal import ROUND_HALF_UP, Decimal

from .choices import ValueType
from .intervals import confidence_interval

PERCENT_TYPES = {ValueType.PERCENTAGE, ValueType.CHANGE, ValueType.SURVEY_PROPORTION}


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# A rank scope starting with one of these words is the source's own wording, used as written.
SCOPE_AS_WRITTEN = ("in", "among", "across", "within")


def rank_text(rank: int, out_of: int | None, scope: str) -> str:
    """A rank as the source words it: '4th', '4th in the UK', '8th among UK cities', '4th of 63 UK cities'.

    "Of 63" only where the figure says how many were ranked. A scope starting with "in", "among",
    "across" or "within" is used as written ('in the UK'); any other scope names what was ranked
    ('UK cities'), read "among UK cities", or "of 63 UK cities" with the number ranked.
    """
    text = ordinal(rank)
    scope = scope.strip()
    if scope.split(" ", 1)[0].lower() in SCOPE_AS_WRITTEN:
        return f"{text} of {out_of} {scope}" if out_of else f"{text} {scope}"
    if out_of:
        return f"{text} of {out_of} {scope}".rstrip()
    return f"{text} among {scope}" if scope else text


def format_number(value: Decimal, places: int) -> str:
    """'8,000', '4.34', '58.3' for 58.25: rounded half up, as statistics are published, with the
    thousands grouped by commas. A value that rounds to zero reads 0, never -0."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:z,f}"


def figure(point) -> str:
    """A data point's value or rank, formatted for reading."""
    indicator = point.indicator
    if point.value is None or indicator.value_type == ValueType.RANK:
        if point.rank is None:
            return "not available"
        return rank_text(point.rank, point.rank_out_of, indicator.rank_scope)
    number = format_number(point.value, indicator.decimal_places)
    if indicator.value_type in PERCENT_TYPES:
        return f"{number}%"
    if indicator.value_type == ValueType.CURRENCY:
        return f"£{number}"
    return number


def limit(value: Decimal | None, point) -> str:
    """A confidence limit with its indicator's decimal places ('' when there is none)."""
    if value is None:
        return ""
    return format_number(value, point.indicator.decimal_places)


def computed_interval(point) -> str:
    """A survey proportion's 95% interval worked out from its sample size, where none is published."""
    interval = confidence_interval(point, point.indicator.value_type)
    if interval is None or not interval.computed:
        return ""
    places = point.indicator.decimal_places
    lower, upper = (format_number(Decimal(end), places) for end in (interval.lower, interval.upper))
    return f"{lower}% to {upper}%"
