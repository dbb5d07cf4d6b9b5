"""CSV columns for staff exports and imports of the directory (django-import-export resources).

Import order for a whole directory: needs, audiences, organisations, places, services, then the
services' own rows: contacts, charges, weekly hours and dated sessions (these four in any order).
Rows are matched on their slug (places: their open data id), so importing a file again updates
rather than duplicates; the open data id (`uuid`) travels with each row, so API ids survive a move
between databases. Every row is checked like a form before anything is written, and the admin
shows the row-level errors in a preview; an import with any error or invalid row writes nothing.

Parents and partners may name records further down the same file, so they are linked once every
row is in; an unknown one fails the whole import with a message naming the row's slug.

A service's contacts, charges, weekly hours and dated sessions are one CSV each, one row per
contact (or charge, ...), whose `service` column holds the service's slug. The Services admin page
imports and exports them (its list of files); an export holds the rows of the services the page
lists, filters and search applied. Files of their own rather than columns on the service row: a
spreadsheet user edits one contact per row under named columns, instead of several packed into one
cell in a made-up syntax, and the preview gives each its own line and its own error. Weekdays are
names (Monday); a session starts and ends at a Milton Keynes date and time with its UTC offset
(2025-06-03 10:00:00+01:00), so it is exact either side of a clock change; a time typed without an
offset is read as Milton Keynes time.

These rows have no id of their own (and their API ids come from database row numbers, so those
change in a move), so a file lists each service it names in full: a row the same as one the service
has leaves it alone, in whatever order the rows come; a changed row updates the one with the same
name (contacts), description (charges), day (hours) or start (sessions); any other row is added,
and a row the file no longer lists is deleted. The preview shows each as Skipped, Update, New or
Delete, and importing the same file again changes nothing. A service the file does not name keeps
its rows, so a service's last contact is deleted in the admin.

Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is exported with a
leading apostrophe (initiatives/csv_cells.py) and read back without it, so a file exported and
imported again is unchanged. django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is
not used: it only drops one leading `=`, which changes the text and leaves `+`, `-` and `@`.

Not in the CSV: logos and photos (edit those in the admin), and the audit history. Each
organisation or service an import writes gets an audit entry naming who imported it and the
publication state it now has; so does each service whose contacts, charges, hours or sessions an
import adds, changes or deletes, listing those rows.
"""

import datetime
import uuid
from collections import defaultdict
from copy import deepcopy
from decimal import InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.results import RowResult

from initiatives.constraint_messages import in_plain_words
from initiatives.csv_cells import csv_cell, csv_cell_text
from initiatives.models import (
    Audience,
    Contact,
    CostOption,
    DatedSession,
    Location,
    Need,
    Organisation,
    Schedule,
    Service,
    Weekday,
)
from initiatives.publishing import Publishable
from initiatives.services import audit_record

LIST_SEPARATOR = "|"


class ExistingOnlyManyToManyWidget(widgets.ManyToManyWidget):
    """Slugs separated by "|"; an unknown one is an error, never silently dropped."""

    def clean(self, value, row=None, **kwargs):
        wanted = [part.strip() for part in str(value or "").split(self.separator) if part.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": wanted})
        missing = set(wanted) - {str(getattr(item, self.field)) for item in found}
        if missing:
            raise ValueError(f"no {self.model._meta.verbose_name} called {', '.join(sorted(missing))}")
        return found


class ExistingOnlyForeignKeyWidget(widgets.ForeignKeyWidget):
    """A slug or open data id of a record this database has; an unknown one is a row error naming it."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ObjectDoesNotExist, ValidationError) as error:  # ValidationError: not an id at all
            raise ValueError(f"no {self.model._meta.verbose_name} called {value}") from error


class WeekdayWidget(widgets.Widget):
    """A day by its name, as the public pages show it ("Monday"), never a number to decode."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        for day in Weekday:
            if day.label.lower() == text.lower():
                return day.value
        raise ValueError(f"“{text}” is not a day of the week; write Monday, Tuesday, … or Sunday")

    def render(self, value, obj=None, **kwargs):
        return Weekday(value).label if value is not None else ""


class MomentWidget(widgets.Widget):
    """A date and time with its UTC offset, in Milton Keynes time: 2025-06-03 10:00:00+01:00.

    The offset makes the moment exact on either side of a clock change; a time typed without one
    is read as Milton Keynes time, as the admin's form reads it.
    """

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError as error:
            raise ValueError(f"“{text}” is not a date and time like 2025-06-03 10:00") from error
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def render(self, value, obj=None, **kwargs):
        return timezone.localtime(value).isoformat(sep=" ") if value else ""


class ExampleInErrorMixin:
    """A cell that cannot be read is a row error showing what it should look like, not the parser's words."""

    example = ""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, InvalidOperation) as error:  # InvalidOperation: Decimal's own
            raise ValueError(f"“{value}” is not {self.example}") from error


class AmountWidget(ExampleInErrorMixin, widgets.DecimalWidget):
    example = "an amount in pounds like 25.00"


class TimeOfDayWidget(ExampleInErrorMixin, widgets.TimeWidget):
    example = "a time like 09:30"


class OpenDataIdField(fields.Field):
    """The record's uuid: kept when given, left to its new random value when the cell is empty."""

    def __init__(self):
        super().__init__(attribute="uuid", column_name="uuid", widget=widgets.CharWidget())

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = str(row.get(self.column_name) or "").strip()
        if value:
            instance.uuid = self.clean_uuid(value)

    @staticmethod
    def clean_uuid(value: str):
        try:
            return uuid.UUID(value)
        except ValueError as error:
            raise ValueError(
                f"“{value}” is not an id like 0b5c0e8e-…; leave it empty for a new record"
            ) from error


def audit_import(listing: Publishable, import_kwargs: dict, **detail) -> None:
    """An audit entry for a listing an import wrote: who, from which file, the state it now has."""
    audit_record(
        actor=import_kwargs.get("user"),
        action="csv_imported",
        record=listing,
        detail={
            "publication_state": listing.publication_state,
            "file": import_kwargs.get("file_name") or "",
            **detail,
        },
    )


class CsvResource(resources.ModelResource):
    """Shared by every file: formula-safe cells both ways, rows checked like a form, all or nothing."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_data(self, dataset, rollback_on_validation_errors=True, **kwargs):
        """Write nothing when any row fails its checks, just as when any row fails to import."""
        return super().import_data(
            dataset, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )

    def before_import_row(self, row, **kwargs):
        """Read each cell as the text it stands for: without the apostrophe an export put before a formula."""
        super().before_import_row(row, **kwargs)
        for column, value in row.items():
            row[column] = csv_cell_text(value)

    def export_field(self, field, instance, **kwargs):
        """The cell's text, with an apostrophe first if a spreadsheet would run it as a formula."""
        return csv_cell(super().export_field(field, instance, **kwargs))


class DirectoryResource(CsvResource):
    """Shared by listings and vocabularies: slug ids, open data ids, links set after every row is in."""

    uuid = OpenDataIdField()
    # Columns linked after the rows are saved: {column: (model field, model, lookup field, many)}.
    deferred_links: dict = {}

    class Meta(CsvResource.Meta):
        import_id_fields = ["slug"]

    def before_import(self, dataset, **kwargs):
        self._deferred_rows = []
        super().before_import(dataset, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        self._deferred_rows.append(row)

    def after_save_instance(self, instance, row, **kwargs):
        """A listing written by an import is audited like any admin save, with the state it now has."""
        super().after_save_instance(instance, row, **kwargs)
        if isinstance(instance, Publishable):
            audit_import(instance, kwargs)

    def after_import(self, dataset, result, **kwargs):
        """Link parents and partners, now that every record in the file exists."""
        super().after_import(dataset, result, **kwargs)
        problems = []
        for row in self._deferred_rows:
            record = self._meta.model.objects.filter(**self._row_lookup(row)).first()
            if record is None:
                continue  # the row itself failed; its error is already listed
            for column, (attribute, model, lookup, many) in self.deferred_links.items():
                wanted = [part.strip() for part in str(row.get(column) or "").split(LIST_SEPARATOR)]
                wanted = [part for part in wanted if part]
                targets = list(model.objects.filter(**{f"{lookup}__in": wanted}))
                missing = set(wanted) - {str(getattr(target, lookup)) for target in targets}
                if missing:
                    problems.append(f"{self._row_name(row)}: {column} {', '.join(sorted(missing))} not found")
                elif many:
                    getattr(record, attribute).set(targets)
                elif getattr(record, f"{attribute}_id") != (targets[0].pk if targets else None):
                    setattr(record, attribute, targets[0] if targets else None)
                    record.full_clean()
                    record.save()
        if problems:
            raise ValueError("Nothing was imported. " + "; ".join(problems))

    def _row_lookup(self, row) -> dict:
        return {name: row.get(name) for name in self._meta.import_id_fields}

    def _row_name(self, row) -> str:
        return " ".join(str(row.get(name)) for name in self._meta.import_id_fields)

    def dehydrate_links(self, record, attribute, lookup) -> str:
        manager = getattr(record, attribute)
        return LIST_SEPARATOR.join(sorted(str(getattr(item, lookup)) for item in manager.all()))


class NeedResource(DirectoryResource):
    parent = fields.Field(attribute="parent", column_name="parent", readonly=True)
    deferred_links = {"parent": ("parent", Need, "slug", False)}

    class Meta(DirectoryResource.Meta):
        model = Need
        name = "Needs"
        fields = ["slug", "name", "description", "question", "position", "parent", "uuid"]

    def dehydrate_parent(self, need):
        return need.parent.slug if need.parent_id else ""


class AudienceResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = Audience
        name = "Audiences"
        fields = ["slug", "name", "description", "position", "uuid"]


class OrganisationResource(DirectoryResource):
    parent = fields.Field(attribute="parent", column_name="parent", readonly=True)
    partners = fields.Field(column_name="partners", readonly=True)
    deferred_links = {
        "parent": ("parent", Organisation, "slug", False),
        "partners": ("partners", Organisation, "slug", True),
    }

    class Meta(DirectoryResource.Meta):
        model = Organisation
        name = "Organisations"
        fields = [
            "slug",
            "name",
            "description",
            "website",
            "email",
            "phone",
            "charity_number",
            "company_number",
            "parent",
            "partners",
            "publication_state",
            "last_verified_on",
            "review_due_on",
            "uuid",
        ]

    def get_queryset(self):
        return Organisation.objects.select_related("parent").prefetch_related("partners").order_by("name")

    def dehydrate_parent(self, organisation):
        return organisation.parent.slug if organisation.parent_id else ""

    def dehydrate_partners(self, organisation):
        return self.dehydrate_links(organisation, "partners", "slug")


class LocationResource(DirectoryResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=ExistingOnlyForeignKeyWidget(Organisation, field="slug"),
    )

    class Meta(DirectoryResource.Meta):
        model = Location
        name = "Places"
        import_id_fields = ["uuid"]
        fields = [
            "uuid",
            "name",
            "organisation",
            "address",
            "town",
            "postcode",
            "latitude",
            "longitude",
            "accessibility",
        ]

    def get_instance(self, instance_loader, row):
        # A row without an id is a new place; with one, the place it names (if this database has it).
        if not str(row.get("uuid") or "").strip():
            return None
        OpenDataIdField.clean_uuid(str(row["uuid"]).strip())
        return super().get_instance(instance_loader, row)


class ServiceResource(DirectoryResource):
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=ExistingOnlyForeignKeyWidget(Organisation, field="slug"),
    )
    needs = fields.Field(
        attribute="needs",
        column_name="needs",
        widget=ExistingOnlyManyToManyWidget(Need, separator=LIST_SEPARATOR, field="slug"),
    )
    audiences = fields.Field(
        attribute="audiences",
        column_name="audiences",
        widget=ExistingOnlyManyToManyWidget(Audience, separator=LIST_SEPARATOR, field="slug"),
    )
    locations = fields.Field(
        attribute="locations",
        column_name="locations",
        widget=ExistingOnlyManyToManyWidget(Location, separator=LIST_SEPARATOR, field="uuid"),
    )

    class Meta(DirectoryResource.Meta):
        model = Service
        name = "Services"
        fields = [
            "slug",
            "name",
            "organisation",
            "kind",
            "status",
            "summary",
            "description",
            "needs",
            "audiences",
            "eligibility",
            "minimum_age",
            "maximum_age",
            "in_person",
            "by_phone",
            "online",
            "is_free",
            "cost_description",
            "access_self_referral",
            "access_referral",
            "access_drop_in",
            "access_booking",
            "how_to_access",
            "languages",
            "accessibility",
            "locations",
            "service_area",
            "starts_on",
            "ends_on",
            "dates_note",
            "website",
            "email",
            "phone",
            "publication_state",
            "last_verified_on",
            "review_due_on",
            "uuid",
        ]

    def get_queryset(self):
        return (
            Service.objects.select_related("organisation")
            .prefetch_related("needs", "audiences", "locations")
            .order_by("name")
        )


# A service's own rows ----------------------------------------------------------------------------


def pair_rows(
    rows: list[tuple[int, tuple]], records: list, cells: dict, key: int | None
) -> tuple[dict, list]:
    """Pair a service's file rows (number, cells) with its records; return the pairs and the unpaired records.

    A row pairs first with a record exported as exactly the same cells, so a file imported again
    leaves every record alone; a row left over then pairs with a record left over that has the
    same cell at `key` (a contact's name, say), as an update. `cells` holds each record's exported
    cells, by record.
    """
    unpaired = list(records)
    pairs = {}
    tests = [lambda a, b: a == b] + ([lambda a, b: a[key] == b[key]] if key is not None else [])
    for same in tests:
        for number, row_cells in rows:
            if number in pairs:
                continue
            match = next((record for record in unpaired if same(cells[record], row_cells)), None)
            if match is not None:
                pairs[number] = match
                unpaired.remove(match)
    return pairs, unpaired


class ServiceRowsResource(CsvResource):
    """A service's contacts, charges, hours or sessions: the file lists each service it names in full.

    See the module docstring for how rows pair with the records a service has.
    """

    service = fields.Field(
        attribute="service",
        column_name="service",
        widget=ExistingOnlyForeignKeyWidget(Service, field="slug"),
    )

    # The column that says which of a service's records a changed row is (see pair_rows).
    key_column = ""

    class Meta(CsvResource.Meta):
        import_id_fields = ["service"]  # checks the column is there; rows are paired in before_import

    def get_queryset(self):
        model = self._meta.model
        linked = [
            f.attribute for f in self.get_import_fields() if isinstance(f.widget, widgets.ForeignKeyWidget)
        ]
        # Grouped by service, then as the service page lists them.
        ordering = ["service__name", "service_id", *model._meta.ordering, "pk"]
        return model.objects.select_related(*linked).order_by(*ordering)

    def export(self, queryset=None, **kwargs):
        """The rows of the services in `queryset` (the Services admin page passes those it lists), or all."""
        records = self.get_queryset()
        if queryset is not None:
            records = records.filter(service__in=queryset.values("pk"))
        return super().export(records, **kwargs)

    def before_import(self, dataset, **kwargs):
        """Pair each row with the record it stands for, before any row is written."""
        super().before_import(dataset, **kwargs)
        columns = [field for field in self.get_import_fields() if field.column_name in dataset.headers]
        names = [field.column_name for field in columns]
        key = names.index(self.key_column) if self.key_column in names else None
        rows = self._rows_by_service(dataset, columns)
        self._services = {service.slug: service for service in Service.objects.filter(slug__in=rows)}
        records = self._records_by_service(rows)
        self._pairs, self._unlisted, self._changes = {}, [], defaultdict(list)
        for slug, service_rows in rows.items():
            cells = {
                record: tuple(str(self.export_field(f, record)) for f in columns) for record in records[slug]
            }
            pairs, unlisted = pair_rows(service_rows, records[slug], cells, key)
            self._pairs.update(pairs)
            self._unlisted += unlisted

    @staticmethod
    def _rows_by_service(dataset, columns) -> dict[str, list[tuple[int, tuple]]]:
        """Each service slug's rows in the file, as (row number, cells as written)."""
        rows = defaultdict(list)
        for number, row in enumerate(dataset.dict, 1):
            cells = tuple(
                "" if row[field.column_name] is None else str(row[field.column_name]) for field in columns
            )
            rows[csv_cell_text(str(row.get("service") or ""))].append((number, cells))
        return rows

    def _records_by_service(self, slugs) -> dict[str, list]:
        records = defaultdict(list)
        for record in self.get_queryset().filter(service__slug__in=slugs):
            records[record.service.slug].append(record)
        return records

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._row_number = kwargs["row_number"]  # for get_instance, which is not told it

    def get_instance(self, instance_loader, row):
        return self._pairs.get(self._row_number)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            model, errors = self._meta.model, error.update_error_dict({})
            raise ValidationError(in_plain_words(model, errors, self.fields)) from None

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        change = {RowResult.IMPORT_TYPE_NEW: "added", RowResult.IMPORT_TYPE_UPDATE: "changed"}
        if row_result.import_type in change:
            self._note_change(row["service"], change[row_result.import_type], row_result.object_repr)

    def after_import(self, dataset, result, **kwargs):
        """Delete the rows the file no longer lists, then audit each service whose rows changed."""
        super().after_import(dataset, result, **kwargs)
        for record in self._unlisted:
            deleted = self._delete(record)
            result.append_row_result(deleted)
            result.increment_row_result_total(deleted)
            self._note_change(record.service.slug, "deleted", deleted.object_repr)
        for slug, rows in self._changes.items():
            audit_import(self._services[slug], kwargs, rows=rows)

    def _note_change(self, slug: str, change: str, row: str) -> None:
        self._changes[slug].append({change: str(self._meta.model._meta.verbose_name), "row": row})

    def _delete(self, record) -> RowResult:
        """Delete `record`, returning the preview's "Delete" line for it."""
        deleted = self.get_row_result_class()()
        deleted.import_type = RowResult.IMPORT_TYPE_DELETE
        deleted.add_instance_info(record)
        deleted.instance = deepcopy(record)  # with its id, for the admin's log
        diff = self.get_diff_class()(self, record, False)
        diff.compare_with(self, None)
        deleted.diff = diff.as_html()
        record.delete()
        return deleted


class ContactResource(ServiceRowsResource):
    key_column = "name"

    class Meta(ServiceRowsResource.Meta):
        model = Contact
        name = "Service contacts"
        fields = ["service", "name", "role", "phone", "email"]


class CostOptionResource(ServiceRowsResource):
    key_column = "description"
    amount = fields.Field(attribute="amount", column_name="amount", widget=AmountWidget())

    class Meta(ServiceRowsResource.Meta):
        model = CostOption
        name = "Service charges"
        fields = ["service", "description", "amount", "concessions"]


def place_column() -> fields.Field:
    """The place some hours or a session are at, by its open data id; empty for none."""
    return fields.Field(
        attribute="location",
        column_name="location",
        widget=ExistingOnlyForeignKeyWidget(Location, field="uuid"),
    )


class ScheduleResource(ServiceRowsResource):
    key_column = "weekday"
    weekday = fields.Field(attribute="weekday", column_name="weekday", widget=WeekdayWidget())
    opens_at = fields.Field(attribute="opens_at", column_name="opens_at", widget=TimeOfDayWidget())
    closes_at = fields.Field(attribute="closes_at", column_name="closes_at", widget=TimeOfDayWidget())
    location = place_column()

    class Meta(ServiceRowsResource.Meta):
        model = Schedule
        name = "Weekly opening hours"
        fields = ["service", "weekday", "opens_at", "closes_at", "location", "note"]


class DatedSessionResource(ServiceRowsResource):
    key_column = "starts_at"
    starts_at = fields.Field(attribute="starts_at", column_name="starts_at", widget=MomentWidget())
    ends_at = fields.Field(attribute="ends_at", column_name="ends_at", widget=MomentWidget())
    location = place_column()

    class Meta(ServiceRowsResource.Meta):
        model = DatedSession
        name = "Dated sessions"
        fields = ["service", "title", "starts_at", "ends_at", "location"]
