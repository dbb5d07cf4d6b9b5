from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from initiatives.opendata.oruk_import.reading import FeedError, read_api, read_files
from initiatives.opendata.oruk_import.writing import feed_import


class Command(BaseCommand):
    help = (
        "Import services and organisations from another directory's Open Referral UK feed, as drafts "
        "for staff review: saved JSON pages (files, or folders of *.json files), or a live API with "
        "--url. Running it again updates those drafts, never duplicates, and leaves reviewed records alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="JSON files or folders of them")
        parser.add_argument(
            "--url",
            help="The address of a live Open Referral UK API, e.g. https://example.org/api/v3 "
            "(the part before /services); read instead of files.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            help="Seconds to wait for each answer from --url before giving up (default 30).",
        )
        parser.add_argument(
            "--source",
            default="oruk",
            help="A short name for the feed, e.g. 'bucks-fis'; records match on it and the feed's ids.",
        )

    def handle(self, *args, paths, url, timeout, source, **options):
        services = self._read(paths, url, timeout)
        report = feed_import(services=services, source=source[:200])
        for duplicate in report.duplicates:
            self.stderr.write(duplicate)
        for problem in report.skipped:
            self.stderr.write(f"Skipped {problem}")
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        self.stdout.write(
            f"Imported from {source}; new and changed records are drafts for review.\n{report.summary()}"
        )

    def _read(self, paths: list[Path], url: str | None, timeout: float) -> list[dict]:
        """The whole feed, or CommandError before anything is written."""
        if bool(paths) == bool(url):
            raise CommandError("Give either JSON files and folders or --url, not both or neither.")
        if timeout <= 0:
            raise CommandError("--timeout must be a positive number of seconds.")
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"Not found: {', '.join(missing)}")
        try:
            return read_api(url, timeout=timeout) if url else read_files(paths)
        except FeedError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
