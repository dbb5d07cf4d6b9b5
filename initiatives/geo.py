"""Distances between places, worked out inside the database on SQLite and PostgreSQL alike.

Neither database has trigonometry we can rely on (SQLite's maths functions are optional),
so distances use the equirectangular approximation: over the 30 miles of the MK postcode
area it differs from the great-circle distance by well under 0.1%. It is plain arithmetic,
so the database can filter and sort thousands of places in one query and paginate them.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE = EARTH_RADIUS_MILES * math.pi / 180  # along a meridian: about 69.1


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    @property
    def longitude_scale(self) -> float:
        """How much shorter a degree of longitude is than one of latitude, here."""
        return math.cos(math.radians(self.latitude))


@dataclass(frozen=True)
class BoundingBox:
    south: float
    north: float
    west: float
    east: float


def bounding_box(centre: Point, miles: float) -> BoundingBox:
    """The latitude/longitude box that holds every place within `miles` of `centre`.

    The database can answer this from an index before it does any arithmetic.
    """
    lat_delta = miles / MILES_PER_DEGREE
    lon_delta = lat_delta / centre.longitude_scale
    return BoundingBox(
        centre.latitude - lat_delta,
        centre.latitude + lat_delta,
        centre.longitude - lon_delta,
        centre.longitude + lon_delta,
    )


def squared_degrees(centre: Point, latitude_field: str = "latitude", longitude_field: str = "longitude"):
    """A database expression: the squared distance from `centre`, in degrees of latitude.

    Monotonic in the real distance, so it sorts and compares correctly; square roots
    (which SQLite may lack) wait until miles_from_squared_degrees on the rows shown.
    """
    north = Cast(F(latitude_field), FloatField()) - Value(centre.latitude)
    east = (Cast(F(longitude_field), FloatField()) - Value(centre.longitude)) * Value(centre.longitude_scale)
    return north * north + east * east


def squared_degrees_within(miles: float) -> float:
    """The largest squared_degrees value of a place within `miles`."""
    return (miles / MILES_PER_DEGREE) ** 2


def miles_from_squared_degrees(value: float) -> float:
    return math.sqrt(value) * MILES_PER_DEGREE


def describe_miles(miles: float) -> str:
    """'0.4 miles away', '1 mile away', 'Less than 0.1 miles away'."""
    rounded = round(miles, 1)
    if rounded < 0.1:
        return "Less than 0.1 miles away"
    if rounded == 1:
        return "1 mile away"
    return f"{rounded:g} miles away"
