"""Import one indicator's figures from an ONS Explore Local Statistics CSV: every row or none."""

from indicators.choices import ImportLayout
from indicators.importing import parse_ons
from indicators.management.import_command import FigureImportCommand


def _codes(text: str) -> list[str]:
    return [code.strip().upper() for code in text.split(",") if code.strip()]


class Command(FigureImportCommand):
    help = (
        "Import an indicator's figures from a CSV file of ONS Explore Local Statistics "
        "(github.com/ONSdigital/explore-local-statistics-data), for the areas the directory knows or "
        "those given. Every row for those areas must be valid or nothing is imported; problems are "
        "printed and the command exits with status 1."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--indicator", required=True, help="The slug of the indicator the file is about.")
        parser.add_argument(
            "--areas",
            type=_codes,
            default=[],
            help="Area codes to import, comma separated (E06000042,E12000008); default: every area in the "
            "directory.",
        )
        parser.add_argument(
            "--series",
            default="",
            help="The file's indicator (series) to import, where the file holds several, e.g. "
            "'Business births'.",
        )

    def _ons_options(self, options):
        return {"indicator": options["indicator"], "areas": options["areas"], "series": options["series"]}

    def parse(self, text, options):
        return parse_ons(text, **self._ons_options(options))

    def batch_options(self, options):
        return {"layout": ImportLayout.ONS, "options": self._ons_options(options)}
