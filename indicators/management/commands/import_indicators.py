"""Import a CSV of indicator figures: every row or none, as the admin's import page does."""

from indicators.importing import parse_data_points
from indicators.management.import_command import FigureImportCommand


class Command(FigureImportCommand):
    help = (
        "Import indicator figures from a CSV file (format: see the README). Every row must be valid or "
        "nothing is imported; row errors are printed and the command exits with status 1."
    )

    def parse(self, text, options):
        return parse_data_points(text)
