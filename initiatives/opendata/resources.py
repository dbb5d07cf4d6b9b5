"""CSV columns for staff exports and imports of the directory (django-import-export resources).

Import order for a whole directory: needs, audiences, organisations, places, services. Rows are
matched on their slug (places: their open data id), so importing a file again updates rather than
duplicates; the open data id (`uuid`) travels with each row, so API ids survive a move between
databases. Every row is checked like a form before anything is written, and the admin shows the
row-level errors in a preview; an import with any error writes nothing.

Parents and partners may name records further down the same file, so they are linked once every
row is in; an unknown one fails the whole import with a message naming the row's slug.

Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is exported with a
leading apostrophe (initiatives/csv_cells.py) and read back without it, so a file exported and
imported again is unchanged. django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is
not used: it only drops one leading `=`, which changes the text and leaves `+`, `-` and `@`.

Not in the CSV: logos and photos, contacts, costs, weekly hours and dated sessions (edit those in
the admin), and the audit history. Each organisation or service an import writes gets an audit
entry naming who imported it and the publication state it now has.
"""

import uuid

from import_export import fields, resources, widgets

from initiatives.csv_cells import csv_cell, csv_cell_text
from initiatives.models import Audience, Location, Need, Organisation, Service
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


class DirectoryResource(resources.ModelResource):
    """Shared: slug ids, model validation before saving, links set after every row is in."""

    uuid = OpenDataIdField()
    # Columns linked after the rows are saved: {column: (model field, model, lookup field, many)}.
    deferred_links: dict = {}

    class Meta:
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self._deferred_rows = []
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        """Read each cell as the text it stands for: without the apostrophe an export put before a formula."""
        super().before_import_row(row, **kwargs)
        for column, value in row.items():
            row[column] = csv_cell_text(value)

    def export_field(self, field, instance, **kwargs):
        """The cell's text, with an apostrophe first if a spreadsheet would run it as a formula."""
        return csv_cell(super().export_field(field, instance, **kwargs))

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        self._deferred_rows.append(row)

    def after_save_instance(self, instance, row, **kwargs):
        """A listing written by an import is audited like any admin save, with the state it now has."""
        super().after_save_instance(instance, row, **kwargs)
        if isinstance(instance, Publishable):
            audit_record(
                actor=kwargs.get("user"),
                action="csv_imported",
                record=instance,
                detail={
                    "publication_state": instance.publication_state,
                    "file": kwargs.get("file_name") or "",
                },
            )

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
        fields = ["slug", "name", "description", "question", "position", "parent", "uuid"]

    def dehydrate_parent(self, need):
        return need.parent.slug if need.parent_id else ""


class AudienceResource(DirectoryResource):
    class Meta(DirectoryResource.Meta):
        model = Audience
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
        widget=widgets.ForeignKeyWidget(Organisation, field="slug"),
    )

    class Meta(DirectoryResource.Meta):
        model = Location
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
        widget=widgets.ForeignKeyWidget(Organisation, field="slug"),
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
