"""What the figure import commands share: read the file, check it, print every problem or import it all."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators.importing import CREATE, UNCHANGED, UPDATE, ParsedImport, UploadError, decode_upload
from indicators.services import ImportRefused, data_points_import, import_batch_create


class FigureImportCommand(BaseCommand):
    """A command that imports one file as an import batch: every row, or none and exit status 1."""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file, UTF-8.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change; save nothing."
        )

    def parse(self, text: str, options: dict) -> ParsedImport:
        raise NotImplementedError

    def batch_options(self, options: dict) -> dict:
        """What import_batch_create needs besides the file, to read it again as it was checked."""
        return {}

    def handle(self, *args, file: Path, dry_run: bool, **options):
        limit = settings.INDICATOR_IMPORT_MAX_BYTES
        try:
            with file.open("rb") as handle:
                text = decode_upload(handle.read(limit + 1), max_bytes=limit)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except UploadError as error:
            raise CommandError(str(error)) from error

        parsed = self.parse(text, options)
        for note in parsed.notes:
            self.stdout.write(note)
        if not parsed.is_valid:
            self._refuse(parsed)
        summary = (
            f"{len(parsed.rows)} rows: {parsed.count(CREATE)} new, {parsed.count(UPDATE)} to update, "
            f"{parsed.count(UNCHANGED)} unchanged"
        )
        if dry_run:
            self.stdout.write(f"{file.name} is valid: {summary}. Dry run: nothing was saved.")
            return
        try:
            with transaction.atomic():
                batch = import_batch_create(
                    file_name=file.name,
                    content=text,
                    row_count=len(parsed.rows),
                    actor=None,
                    **self.batch_options(options),
                )
                data_points_import(batch=batch, actor=None)
        except ImportRefused as refused:
            self._refuse(refused.parsed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file.name} as import batch {batch.pk}: {batch.created_count} new, "
                f"{batch.updated_count} updated, "
                f"{batch.row_count - batch.created_count - batch.updated_count} unchanged."
            )
        )

    def _refuse(self, parsed):
        for error in parsed.errors:
            self.stderr.write(str(error))
        raise CommandError(f"Nothing was imported: {len(parsed.errors)} problem(s) in the file.")
