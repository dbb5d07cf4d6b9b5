"""Places at known distances from a Milton Keynes postcode, for the distance tests. Clearly fake."""

from decimal import Decimal

from initiatives.geo import MILES_PER_DEGREE, Point
from initiatives.postcodes import sector_centroids
from tests.factories import LocationFactory, ServiceFactory

# Central Milton Keynes: the shipped centroid of the sector of MK9 3EP.
CENTRAL_MK = sector_centroids()["MK9 3"].point


def point_from(centre: Point, *, north: float = 0, east: float = 0) -> Point:
    """The point `north` and `east` miles from `centre` (negative for south and west)."""
    return Point(
        centre.latitude + north / MILES_PER_DEGREE,
        centre.longitude + east / (MILES_PER_DEGREE * centre.longitude_scale),
    )


def place(*, north: float = 0, east: float = 0, centre: Point = CENTRAL_MK, **fields):
    """A saved Location that many miles north and east of `centre`."""
    point = point_from(centre, north=north, east=east)
    return LocationFactory(
        latitude=Decimal(f"{point.latitude:.6f}"), longitude=Decimal(f"{point.longitude:.6f}"), **fields
    )


def service_at(*places, **fields):
    """A published in-person service delivered at the given places."""
    service = ServiceFactory(**fields)
    service.locations.add(*places)
    return service
