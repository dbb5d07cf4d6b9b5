"""95% confidence intervals: as published, or worked out for a survey proportion from its sample."""

import math
from dataclasses import dataclass

from .choices import ValueType

Z_95 = 1.959963984540054  # the normal quantile for a two-sided 95% interval


@dataclass(frozen=True)
class Interval:
    """A 95% confidence interval; `computed` when we worked it out from the sample size."""

    lower: float
    upper: float
    computed: bool = False

    def overlaps(self, other: "Interval") -> bool:
        return self.lower <= other.upper and other.lower <= self.upper


def wilson_interval(percent: float, sample_size: int) -> tuple[float, float]:
    """Return the Wilson score 95% interval, in percent, for a survey proportion."""
    p, n = percent / 100, sample_size
    centre = (p + Z_95**2 / (2 * n)) / (1 + Z_95**2 / n)
    half_width = Z_95 * math.sqrt(p * (1 - p) / n + Z_95**2 / (4 * n**2)) / (1 + Z_95**2 / n)
    return 100 * max(centre - half_width, 0.0), 100 * min(centre + half_width, 1.0)


def confidence_interval(point, value_type: str) -> Interval | None:
    """The published limits; for a survey proportion without them, the interval from its sample."""
    if point.lower_limit is not None and point.upper_limit is not None:
        return Interval(float(point.lower_limit), float(point.upper_limit))
    if (
        value_type == ValueType.SURVEY_PROPORTION
        and point.value is not None
        and point.sample_size
        and 0 <= point.value <= 100
    ):
        return Interval(*wilson_interval(float(point.value), point.sample_size), computed=True)
    return None
