"""What the spreadsheet import and the ONS reader share: how a problem is reported and how values are kept."""

from dataclasses import dataclass
from decimal import Decimal

STORED_PLACES = Decimal("0.0001")  # DataPoint keeps four decimal places


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row in the file (the heading row is 1); None for the file as a whole
    message: str

    def __str__(self):
        return f"Row {self.row}: {self.message}" if self.row else self.message
