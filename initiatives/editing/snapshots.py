"""Listings as plain data: what an editor may change, read, compared and written back as JSON.

One ListingSpec per model lists, in sections, every field a charity editor manages. The manage
forms, revision snapshots, the staff comparison, history versions and restoring all read it, so
letting editors manage another field of Organisation or Service is one line here (plus the
model field and its migration), for example::

    Section("Photo", ("photo", "photo_alt")),

Text, number, date, choice, foreign-key and many-to-many fields need nothing more. A file field
(FileField/ImageField) is held in a snapshot by its stored name; a new upload travels beside the
revision as a RevisionFile and is copied onto the listing when the revision is approved
(editing.moderation). Rows edited as a set, such as the weekly opening times, are a ChildSpec.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files import File
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst

from initiatives.models import Location, Organisation, Schedule, Service

Snapshot = dict  # field name -> JSON value; a ChildSpec's name -> list of row dicts


@dataclass(frozen=True)
class Section:
    """Fields shown together under one heading in the editor's form."""

    title: str
    fields: tuple[str, ...]
    hint: str = ""


@dataclass(frozen=True)
class ChildSpec:
    """Rows that belong to a listing and are edited as one set, like the weekly opening times."""

    name: str  # the listing's related_name for the rows, e.g. "schedules"
    label: str
    model: type[models.Model]
    parent_field: str  # the rows' foreign key to the listing
    fields: tuple[str, ...]

    def model_field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


@dataclass(frozen=True)
class ListingSpec:
    model: type[models.Model]
    sections: tuple[Section, ...]
    children: tuple[ChildSpec, ...] = field(default=())

    @property
    def fields(self) -> tuple[str, ...]:
        """The listing's own editable fields, in form order."""
        return tuple(name for section in self.sections for name in section.fields)

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every key of a snapshot: the fields, then the child row sets."""
        return self.fields + tuple(child.name for child in self.children)

    def model_field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def label(self, name: str) -> str:
        for child in self.children:
            if child.name == name:
                return child.label
        return capfirst(self.model_field(name).verbose_name)


ORGANISATION_SPEC = ListingSpec(
    model=Organisation,
    sections=(
        Section("About the organisation", ("name", "description")),
        Section("Logo", ("logo",), hint="Shown beside your organisation's name."),
        Section("Contact details", ("website", "email", "phone")),
        Section(
            "Registration",
            ("charity_number", "company_number"),
            hint="Numbers from the Charity Commission and Companies House, if you have them.",
        ),
    ),
)

SERVICE_SPEC = ListingSpec(
    model=Service,
    sections=(
        Section("About the service", ("name", "kind", "status", "summary", "description")),
        Section("Photo", ("photo", "photo_alt"), hint="A photo is optional. If you add one, describe it."),
        Section(
            "Who it is for",
            ("needs", "audiences", "eligibility", "minimum_age", "maximum_age"),
            hint="Residents find services by need and by who they are, so tick every one that fits.",
        ),
        Section("Ways to get help", ("in_person", "by_phone", "online"), hint="Tick every one that applies."),
        Section(
            "How to start",
            ("access_self_referral", "access_referral", "access_drop_in", "access_booking", "how_to_access"),
            hint="Tick every way a resident can start, then describe the steps.",
        ),
        Section("Cost", ("is_free", "cost_description")),
        Section(
            "Where and when",
            ("service_area", "locations", "starts_on", "ends_on", "dates_note"),
            hint="Leave the dates empty for a service that runs all year round.",
        ),
        Section("Languages and accessibility", ("languages", "accessibility")),
        Section(
            "Contact details",
            ("website", "email", "phone"),
            hint="Leave these empty to show your organisation's contact details instead.",
        ),
    ),
    children=(
        ChildSpec(
            name="schedules",
            label="Opening times",
            model=Schedule,
            parent_field="service",
            fields=("weekday", "opens_at", "closes_at", "location", "note"),
        ),
    ),
)

SPECS = {Organisation: ORGANISATION_SPEC, Service: SERVICE_SPEC}


def spec_for(listing_or_model) -> ListingSpec:
    model = listing_or_model if isinstance(listing_or_model, type) else type(listing_or_model)
    return SPECS[model._meta.concrete_model]


def choices_for(model_field: models.Field, organisation: Organisation):
    """The rows an editor of `organisation` may pick for a relation: never another organisation's."""
    related = model_field.related_model
    if related is Location:
        return Location.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
    return related._default_manager.all()


# Reading -----------------------------------------------------------------------------------------


def to_json(model_field: models.Field, value):
    """One field's value as JSON: ids for relations, ISO text for dates and times, names for files."""
    if model_field.many_to_many:
        return sorted(item if isinstance(item, int) else item.pk for item in (value or ()))
    if isinstance(model_field, models.FileField):
        return value.name if isinstance(value, FieldFile) and value else (value or "")
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        # Browsers send text areas with CRLF line ends; the same words must compare equal.
        return value.replace("\r\n", "\n")
    return value


def from_json(model_field: models.Field, value):
    """The Python value of one field from its JSON form (the inverse of to_json)."""
    if model_field.many_to_many or value is None:
        return value
    if model_field.is_relation:
        return model_field.target_field.to_python(value)
    if isinstance(model_field, models.FileField):
        return value
    return model_field.to_python(value)


def _sorted_rows(rows: list[dict], fields: tuple[str, ...]) -> list[dict]:
    return sorted(rows, key=lambda row: json.dumps([row.get(name) for name in fields], default=str))


def snapshot_of(listing) -> Snapshot:
    """Everything an editor can change about the listing, as it is now in the database."""
    spec = spec_for(listing)
    snapshot: Snapshot = {}
    for name in spec.fields:
        model_field = spec.model_field(name)
        if model_field.many_to_many:
            value = list(getattr(listing, name).values_list("pk", flat=True))
        else:
            value = getattr(listing, model_field.attname if model_field.is_relation else name)
        snapshot[name] = to_json(model_field, value)
    for child in spec.children:
        rows = getattr(listing, child.name).values(
            *(child.model_field(name).attname for name in child.fields)
        )
        snapshot[child.name] = _sorted_rows(
            [
                {
                    name: to_json(child.model_field(name), row[child.model_field(name).attname])
                    for name in child.fields
                }
                for row in rows
            ],
            child.fields,
        )
    return snapshot


def snapshot_from_forms(spec: ListingSpec, form, formsets: dict) -> tuple[Snapshot, dict[str, File]]:
    """The listing an editor's valid form and formsets propose, and any newly uploaded files.

    A new upload's snapshot value is filled in with its stored name once the revision keeps it.
    """
    snapshot: Snapshot = {}
    uploads: dict[str, File] = {}
    for name in spec.fields:
        value = form.cleaned_data.get(name)
        model_field = spec.model_field(name)
        if (
            isinstance(model_field, models.FileField)
            and isinstance(value, File)
            and not isinstance(value, FieldFile)
        ):
            uploads[name] = value
            value = None
        snapshot[name] = to_json(model_field, value)
    for child in spec.children:
        rows = [
            {name: to_json(child.model_field(name), row_form.cleaned_data.get(name)) for name in child.fields}
            for row_form in formsets[child.name].forms
            if row_form.has_changed() and not row_form.cleaned_data.get("DELETE")
        ]
        snapshot[child.name] = _sorted_rows(rows, child.fields)
    return snapshot, uploads


def form_initial(spec: ListingSpec, snapshot: Snapshot) -> tuple[dict, dict[str, list[dict]]]:
    """Initial values for the listing form and for each child formset, from a snapshot."""
    initial = {
        name: from_json(spec.model_field(name), snapshot[name])
        for name in spec.fields
        if name in snapshot and not isinstance(spec.model_field(name), models.FileField)
    }
    children = {
        child.name: [
            {name: from_json(child.model_field(name), row.get(name)) for name in child.fields}
            for row in snapshot.get(child.name, [])
        ]
        for child in spec.children
    }
    return initial, children


# Comparing ---------------------------------------------------------------------------------------


def changed_names(spec: ListingSpec, before: Snapshot, after: Snapshot) -> list[str]:
    """The snapshot keys whose values differ; a key missing on both sides has not changed."""
    return [name for name in spec.all_names if name in after and before.get(name) != after.get(name)]


def clashing_names(spec: ListingSpec, *, base: Snapshot, proposed: Snapshot, current: Snapshot) -> list[str]:
    """Fields a revision changes that someone else has changed differently since it was based."""
    return [
        name
        for name in changed_names(spec, base, proposed)
        if current.get(name) != base.get(name) and current.get(name) != proposed.get(name)
    ]


@dataclass
class FieldChange:
    """One row of a comparison: a field's label and its value on each side, ready to show."""

    name: str
    label: str
    before: list[str]
    after: list[str]
    is_list: bool
    is_file: bool
    changed: bool

    @property
    def added(self) -> list[str]:
        return [item for item in self.after if item not in self.before]

    @property
    def removed(self) -> list[str]:
        return [item for item in self.before if item not in self.after]


def compare(
    spec: ListingSpec, before: Snapshot, after: Snapshot, *, only_changed: bool = True
) -> list[FieldChange]:
    """Rows of a readable comparison between two snapshots, in form order."""
    names = changed_names(spec, before, after) if only_changed else [n for n in spec.all_names if n in after]
    describe = _Describer(spec, [before, after])
    rows = []
    for name in names:
        is_child = name not in spec.fields
        is_list = is_child or spec.model_field(name).many_to_many
        rows.append(
            FieldChange(
                name=name,
                label=spec.label(name),
                before=describe(name, before.get(name)),
                after=describe(name, after.get(name)),
                is_list=is_list,
                is_file=not is_child and isinstance(spec.model_field(name), models.FileField),
                changed=before.get(name) != after.get(name),
            )
        )
    return rows


class _Describer:
    """Turns snapshot values into words: names for ids, labels for choices, 'Yes' and 'No'.

    Looks up the names of every related row the snapshots mention once per model.
    """

    def __init__(self, spec: ListingSpec, snapshots: list[Snapshot]):
        self.spec = spec
        wanted: dict[type, set] = {}
        for name, model_field in self._relations():
            for snapshot in snapshots:
                wanted.setdefault(model_field.related_model, set()).update(
                    self._ids(name, model_field, snapshot)
                )
        self.names = {
            model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
            for model, ids in wanted.items()
            if ids
        }

    def _relations(self):
        for name in self.spec.fields:
            model_field = self.spec.model_field(name)
            if model_field.is_relation:
                yield name, model_field
        for child in self.spec.children:
            for name in child.fields:
                if child.model_field(name).is_relation:
                    yield (child.name, name), child.model_field(name)

    @staticmethod
    def _ids(name, model_field, snapshot) -> set:
        if isinstance(name, tuple):
            return {row.get(name[1]) for row in snapshot.get(name[0], []) if row.get(name[1]) is not None}
        value = snapshot.get(name)
        if model_field.many_to_many:
            return set(value or [])
        return {value} if value is not None else set()

    def __call__(self, name: str, value) -> list[str]:
        for child in self.spec.children:
            if child.name == name:
                return [self._row(child, row) for row in value or []]
        model_field = self.spec.model_field(name)
        if model_field.many_to_many:
            return sorted(self._related(model_field, pk) for pk in value or [])
        text = self._value(model_field, value)
        return [text] if text else []

    def _related(self, model_field, pk) -> str:
        return self.names.get(model_field.related_model, {}).get(pk, f"(removed, id {pk})")

    def _value(self, model_field, value) -> str:
        if value is None or value == "":
            return ""
        if model_field.is_relation:
            return self._related(model_field, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(from_json(model_field, value), value))
        if isinstance(model_field, models.BooleanField):
            return "Yes" if value else "No"
        python = from_json(model_field, value)
        if isinstance(python, datetime.date):
            return f"{python.day} {python:%B %Y}"
        return str(value)

    def _row(self, child: ChildSpec, row: dict) -> str:
        """A child row in words: the model's own __str__, then where, then any note."""
        values = {name: from_json(child.model_field(name), row.get(name)) for name in child.fields}
        relations = [name for name in child.fields if child.model_field(name).is_relation]
        text = str(child.model(**{name: v for name, v in values.items() if name not in relations}))
        for name in relations:
            if values[name] is not None:
                text += f" at {self._related(child.model_field(name), values[name])}"
        if row.get("note"):
            text += f" ({row['note']})"
        return text
