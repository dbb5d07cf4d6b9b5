"""Postcodes residents type, read into a place on the map from the shipped sector centroids.

A full postcode ("MK9 3EP") is placed at the centre of its sector ("MK9 3"); an outward
code ("MK9") at the average position of all the postcodes in its sectors. The centroids
come from initiatives/data/mk_postcode_sectors.csv, built once from Ordnance Survey
Code-Point Open by scripts/build_postcode_sectors.py: nothing is looked up over the network.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

from .geo import Point

SECTORS_FILE = Path(__file__).resolve().parent / "data" / "mk_postcode_sectors.csv"
COVERED_AREA = "MK"

# The shapes of a UK postcode: outward code (area letters, district number, maybe a letter),
# then the inward code (sector digit, two unit letters). Spaces are removed before matching.
_OUTWARD = r"(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)"
_FULL = re.compile(rf"{_OUTWARD}(?P<sector>[0-9])(?P<unit>[A-Z]{{2}})")
_OUTWARD_ONLY = re.compile(_OUTWARD)
_SECTOR = re.compile(rf"{_OUTWARD} (?P<sector>[0-9])")  # "MK9 3": needs its space to be told from "MK93"

INVALID_MESSAGE = "Enter a postcode like MK9 3EP, or the first part of one, like MK9."
OUTSIDE_MESSAGE = (
    "“%(postcode)s” is outside the area we cover. Enter a Milton Keynes postcode, starting with MK."
)
UNKNOWN_MESSAGE = (
    "We cannot find the postcode “%(postcode)s”. Check it, or enter just its first part, like MK9."
)


@dataclass(frozen=True)
class Postcode:
    """A postcode as typed, tidied: 'mk93ep' becomes outward 'MK9', sector '3', unit 'EP'."""

    outward: str
    sector: str = ""
    unit: str = ""

    def __str__(self):
        return f"{self.outward} {self.sector}{self.unit}".strip()

    @property
    def sector_code(self) -> str:
        return f"{self.outward} {self.sector}" if self.sector else ""


def parse_postcode(text: str) -> Postcode:
    """Read a full postcode, a sector or an outward code in any case and spacing.

    Raise ValidationError with a message a resident can act on if it is not one.
    """
    spaced = " ".join(text.upper().split())
    compact = spaced.replace(" ", "")
    if match := _FULL.fullmatch(compact):
        return Postcode(match["outward"], match["sector"], match["unit"])
    if match := _SECTOR.fullmatch(spaced):
        return Postcode(match["outward"], match["sector"])
    if match := _OUTWARD_ONLY.fullmatch(compact):
        return Postcode(match["outward"])
    raise ValidationError(INVALID_MESSAGE, code="invalid")


def postcode_point(text: str) -> tuple[Postcode, Point]:
    """Parse a postcode and place it on the map, or say why it cannot be placed."""
    postcode = parse_postcode(text)
    if re.match(r"[A-Z]+", postcode.outward)[0] != COVERED_AREA:
        raise ValidationError(OUTSIDE_MESSAGE, code="outside", params={"postcode": str(postcode)})
    point = postcode_centre(postcode)
    if point is None:
        raise ValidationError(UNKNOWN_MESSAGE, code="unknown", params={"postcode": str(postcode)})
    return postcode, point


def postcode_centre(postcode: Postcode | str) -> Point | None:
    """Where a postcode is on the map, from the shipped sectors; None for one outside them."""
    if isinstance(postcode, str):
        try:
            postcode = parse_postcode(postcode)
        except ValidationError:
            return None
    sectors = sector_centroids()
    if postcode.sector:
        centroid = sectors.get(postcode.sector_code)
        return centroid.point if centroid else None
    in_district = [c for code, c in sectors.items() if code.split()[0] == postcode.outward]
    if not in_district:
        return None
    # Weighted by postcodes, so a district is centred where its addresses are.
    total = sum(c.postcodes for c in in_district)
    return Point(
        sum(c.point.latitude * c.postcodes for c in in_district) / total,
        sum(c.point.longitude * c.postcodes for c in in_district) / total,
    )


@dataclass(frozen=True)
class SectorCentroid:
    point: Point
    postcodes: int


@cache
def sector_centroids() -> dict[str, SectorCentroid]:
    """The shipped sector centroids, read from disk once per process."""
    with SECTORS_FILE.open(encoding="utf-8") as data:
        rows = csv.DictReader(line for line in data if not line.startswith("#"))
        return {
            row["sector"]: SectorCentroid(
                Point(float(row["latitude"]), float(row["longitude"])), int(row["postcodes"])
            )
            for row in rows
        }
