"""Writes to indicator figures that span many rows: spreadsheet imports and their roll-back.

Each runs in one transaction and records who did it, so an import writes every row or
none, and a roll-back undoes all of an import or nothing.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from initiatives.services import audit_record

from .choices import ChangeKind, ImportLayout, ImportStatus
from .importing import CREATE, UPDATE, WRITTEN_FIELDS, ParsedImport, RowError, parse_batch
from .models import DataPoint, ImportBatch, ImportedChange, StatedComparison

# What an ImportedChange keeps of a data point, to restore it or to see that it changed since:
# every field an import writes, and the batch that wrote it.
SNAPSHOT_FIELDS = (
    *(f"{name}_id" if name == "source" else name for name in WRITTEN_FIELDS),
    "import_batch_id",
)
DECIMAL_FIELDS = {"value", "lower_limit", "upper_limit"}


class ImportRefused(ValidationError):
    """The file has row errors (perhaps new since its preview): nothing was written."""

    def __init__(self, parsed: ParsedImport):
        super().__init__([str(error) for error in parsed.errors])
        self.parsed = parsed


def _snapshot(point: DataPoint) -> dict:
    """The point's values as JSON: decimals as plain strings, so '4.3400' and '4.34' compare equal."""
    snapshot = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(point, name)
        snapshot[name] = format(value.normalize(), "f") if isinstance(value, Decimal) else value
    return snapshot


def _restore(point: DataPoint, snapshot: dict) -> None:
    for name, value in snapshot.items():
        setattr(point, name, Decimal(value) if name in DECIMAL_FIELDS and value is not None else value)


def import_batch_create(
    *, file_name: str, content: str, row_count: int, actor, layout=ImportLayout.CSV, options=None
) -> ImportBatch:
    """Keep an uploaded file server-side, pending, so its preview can be confirmed without a new upload.

    An ONS file keeps the `options` it is read with (indicator, areas, series), so the confirm step
    reads it exactly as the preview did.
    """
    return ImportBatch.objects.create(
        file_name=file_name[:255],
        content=content,
        layout=layout,
        options=options or {},
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        row_count=row_count,
    )


@transaction.atomic
def data_points_import(*, batch: ImportBatch, actor) -> ImportBatch:
    """Import a pending batch's file: every row, or none if any row is wrong now.

    The file is checked again against the database as it is now, not as it was at the
    preview. Rows that change nothing are left alone; every created or updated data
    point records the batch, and what it held before, so the import can be rolled back.
    """
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.IMPORTED, imported_at=timezone.now()
    )
    if not claimed:
        raise ValidationError("This file has already been imported or rolled back.")
    parsed = parse_batch(batch)
    if not parsed.is_valid:
        raise ImportRefused(parsed)

    created, updated, changes = [], [], []
    for row in parsed.rows:
        if row.action == CREATE:
            point = DataPoint(
                indicator=row.indicator,
                area=row.area,
                period_start=row.period_start,
                period_end=row.period_end,
                import_batch=batch,
                **row.values,
            )
            created.append((row, point))
        elif row.action == UPDATE:
            point = row.existing
            before = _snapshot(point)
            for name in row.changes:
                setattr(point, name, row.values[name])
            point.import_batch = batch
            updated.append(point)
            changes.append(
                ImportedChange(
                    batch=batch,
                    data_point=point,
                    row_number=row.number,
                    kind=ChangeKind.UPDATED,
                    before=before,
                    after=_snapshot(point),
                )
            )
    # Fields a row leaves alone still hold their current values, so one field list serves every row.
    DataPoint.objects.bulk_update(updated, [*WRITTEN_FIELDS, "import_batch"], batch_size=500)
    DataPoint.objects.bulk_create([point for _, point in created], batch_size=500)
    changes += [
        ImportedChange(
            batch=batch,
            data_point=point,
            row_number=row.number,
            kind=ChangeKind.CREATED,
            after=_snapshot(point),
        )
        for row, point in created
    ]
    ImportedChange.objects.bulk_create(changes)

    batch.refresh_from_db()
    batch.row_count = len(parsed.rows)
    batch.created_count = len(created)
    batch.updated_count = len(updated)
    batch.save(update_fields=["row_count", "created_count", "updated_count"])
    audit_record(
        actor=actor,
        action="import",
        record=batch,
        detail={"created": batch.created_count, "updated": batch.updated_count, "rows": batch.row_count},
    )
    return batch


def _roll_back_conflicts(batch: ImportBatch, changes: list[ImportedChange]) -> list[RowError]:
    """Rows whose data point changed since this import: undoing them would lose someone's work."""
    points = [change.data_point for change in changes if change.data_point is not None]
    with_comparisons = set(
        StatedComparison.objects.filter(data_point__in=points).values_list("data_point_id", flat=True)
    )
    conflicts = []
    for change in changes:
        point = change.data_point
        if point is None:
            if change.kind == ChangeKind.UPDATED:
                conflicts.append(RowError(change.row_number, "the figure has been deleted since"))
        elif point.import_batch_id != batch.pk:
            conflicts.append(RowError(change.row_number, "the figure was changed by a later import"))
        elif _snapshot(point) != change.after:
            conflicts.append(RowError(change.row_number, "the figure has been edited since"))
        elif change.kind == ChangeKind.CREATED and point.pk in with_comparisons:
            conflicts.append(RowError(change.row_number, "staff have added stated comparisons to the figure"))
    return conflicts


@transaction.atomic
def import_batch_roll_back(*, batch: ImportBatch, actor) -> ImportBatch:
    """Undo an import: delete the data points it created and restore those it updated.

    Refused, changing nothing, if any of those figures has changed since: roll back
    later imports first, or correct the figures by hand.
    """
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTED).update(
        status=ImportStatus.ROLLED_BACK,
        rolled_back_at=timezone.now(),
        rolled_back_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if not claimed:
        raise ValidationError(f"{batch} cannot be rolled back: only an imported file can be.")
    changes = list(batch.changes.select_related("data_point"))
    conflicts = _roll_back_conflicts(batch, changes)
    if conflicts:
        raise ValidationError([f"{batch} was not rolled back. {conflict}." for conflict in conflicts])

    DataPoint.objects.filter(
        pk__in=[change.data_point_id for change in changes if change.kind == ChangeKind.CREATED]
    ).delete()
    restored = []
    for change in changes:
        if change.kind == ChangeKind.UPDATED:
            _restore(change.data_point, change.before)
            restored.append(change.data_point)
    DataPoint.objects.bulk_update(restored, SNAPSHOT_FIELDS, batch_size=500)

    batch.refresh_from_db()
    audit_record(
        actor=actor,
        action="roll back",
        record=batch,
        detail={"deleted": batch.created_count, "restored": len(restored)},
    )
    return batch
