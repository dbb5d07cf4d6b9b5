from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from initiatives.opendata.oruk_import import FeedError, feed_import


class Command(BaseCommand):
    help = (
        "Import services and organisations from saved Open Referral UK JSON pages (files, or folders of "
        "*.json files) as drafts for staff review. Running it again updates those drafts, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="JSON files or folders of them")
        parser.add_argument(
            "--source",
            default="oruk",
            help="A short name for the feed, e.g. 'bucks-fis'; records match on it and the feed's ids.",
        )

    def handle(self, *args, paths, source, **options):
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"Not found: {', '.join(missing)}")
        try:
            report = feed_import(paths=paths, source=source[:200])
        except FeedError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        for problem in report.problems:
            self.stderr.write(f"Skipped {problem}")
        self.stdout.write(f"Imported from {source}: {report.summary()}. New records are drafts for review.")
