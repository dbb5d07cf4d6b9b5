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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files import File
from django.db import models
from django.db.models import Q, Value
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import capfirst, slugify

from initiatives.models import Contact, CostOption, DatedSession, Location, Organisation, Schedule, Service
from initiatives.postcodes import postcode_centre

Snapshot = dict  # field name -> JSON value; a ChildSpec's name -> list of row dicts


@dataclass(frozen=True)
class Section:
    """Fields shown together under one heading in the editor's form, then any sets of rows."""

    title: str
    fields: tuple[str, ...]
    hint: str = ""
    rows: tuple[str, ...] = ()  # names of the listing's ChildSpecs shown in this section

    @property
    def anchor(self) -> str:
        return "section-" + slugify(self.title)


@dataclass(frozen=True)
class ChildSpec:
    """Rows that belong to a listing and are edited as one set, like the weekly opening times.

    Approving a change to the set replaces the listing's rows with the proposed ones.
    """

    name: str  # the listing's related_name for the rows, e.g. "schedules"
    label: str
    model: type[models.Model]
    parent_field: str  # the rows' foreign key to the listing
    fields: tuple[str, ...]
    row_label: str  # one row in words, e.g. "Time": "Time 1", "Time 2 (new)"
    hint: str = ""
    describe: Callable[[models.Model], str] = str  # one row in words, for comparisons

    def model_field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def live_rows(self, listing) -> list[dict]:
        """The listing's rows now, each a dict of model attribute names."""
        return list(getattr(listing, self.name).values(*(self.model_field(n).attname for n in self.fields)))

    def write(self, listing, organisation, rows: list[dict]) -> None:
        getattr(listing, self.name).all().delete()
        self.model.objects.bulk_create(
            [
                self.model(**{self.parent_field: listing}, **_row_values(self, organisation, row))
                for row in rows
            ]
        )


@dataclass(frozen=True)
class NewPlacesSpec(ChildSpec):
    """Places an editor proposes with a listing: none on the live listing, so any row is a change.

    Approving adds each place to the organisation's places, set on the map from its postcode
    sector, and links it to the listing.
    """

    def live_rows(self, listing) -> list[dict]:
        return []

    def write(self, listing, organisation, rows: list[dict]) -> None:
        for row in rows:
            place = self.model(organisation=organisation, **_row_values(self, organisation, row))
            if centre := postcode_centre(place.postcode):
                place.latitude = round(Decimal(centre.latitude), 6)
                place.longitude = round(Decimal(centre.longitude), 6)
            place.full_clean()
            place.save()
            getattr(listing, self.parent_field).add(place)


def _row_values(child: ChildSpec, organisation, row: dict) -> dict:
    values = {}
    for name in child.fields:
        model_field = child.model_field(name)
        value = from_json(model_field, row.get(name))
        if model_field.is_relation and value is not None:
            # A place that has gone, or was never this organisation's, is dropped rather than linked.
            value = value if choices_for(model_field, organisation).filter(pk=value).exists() else None
        values[model_field.attname] = value
    return values


@dataclass(frozen=True)
class ListingSpec:
    model: type[models.Model]
    sections: tuple[Section, ...]
    children: tuple[ChildSpec, ...] = field(default=())
    labels: tuple[tuple[str, str], ...] = ()  # (field, label) where the model's words do not suit editors

    @property
    def fields(self) -> tuple[str, ...]:
        """The listing's own editable fields, in form order."""
        return tuple(name for section in self.sections for name in section.fields)

    @property
    def added_on_approval(self) -> tuple[str, ...]:
        """Sets of rows that exist only in proposals, such as new places."""
        return tuple(child.name for child in self.children if isinstance(child, NewPlacesSpec))

    def child(self, name: str) -> ChildSpec:
        return next(child for child in self.children if child.name == name)

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every key of a snapshot, in form order: each section's fields, then its sets of rows."""
        return tuple(name for section in self.sections for name in (*section.fields, *section.rows))

    def model_field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def label(self, name: str) -> str:
        for child in self.children:
            if child.name == name:
                return child.label
        return dict(self.labels).get(name) or capfirst(self.model_field(name).verbose_name)


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


def _describe_charge(charge: CostOption) -> str:
    text = charge.description
    if charge.amount is not None:
        text += f": £{charge.amount:.2f}"
    return text + (f"; {charge.concessions}" if charge.concessions else "")


def _describe_contact(person: Contact) -> str:
    text = ", ".join(part for part in (person.name, person.role) if part)
    reach = ", ".join(part for part in (person.phone, person.email) if part)
    return f"{text}: {reach}" if reach else text


def _describe_session(session: DatedSession) -> str:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    text = f"{starts:%A} {starts.day} {starts:%B %Y}, {starts:%H:%M} to {ends:%H:%M}"
    return text + (f": {session.title}" if session.title else "")


def _describe_place(place: Location) -> str:
    text = ", ".join(part for part in (place.name, place.address_line, place.town, place.postcode) if part)
    return text + (f". Access: {place.accessibility}" if place.accessibility else "")


SERVICE_SPEC = ListingSpec(
    model=Service,
    sections=(
        Section("About the service", ("name", "kind", "status", "summary", "description")),
        Section(
            "Places",
            ("service_area", "locations"),
            rows=("new_places",),
            hint="Tick each of your places where the service runs, or add a new one.",
        ),
        Section("Opening times", (), rows=("schedules",)),
        Section(
            "Dates and sessions",
            ("starts_on", "ends_on", "dates_note"),
            rows=("sessions",),
            hint="Leave the dates empty for a service that runs all year round. "
            "Add sessions on particular days, such as a job fair.",
        ),
        Section(
            "Cost",
            ("is_free", "cost_description"),
            rows=("cost_options",),
            hint="Tick “free” if nobody pays. Otherwise add each charge: what it is for, how much, "
            "and any lower prices.",
        ),
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
        Section("Languages and accessibility", ("languages", "accessibility")),
        Section(
            "Contact details",
            ("website", "email", "phone"),
            rows=("contacts",),
            hint="Leave these empty to show your organisation's contact details instead. "
            "Add named people residents can ask for.",
        ),
        Section("Photo", ("photo", "photo_alt"), hint="A photo is optional. If you add one, describe it."),
    ),
    children=(
        ChildSpec(
            name="cost_options",
            label="Charges",
            row_label="Charge",
            model=CostOption,
            parent_field="service",
            fields=("description", "amount", "concessions"),
            describe=_describe_charge,
        ),
        NewPlacesSpec(
            name="new_places",
            label="New places",
            row_label="New place",
            model=Location,
            parent_field="locations",
            fields=("name", "address", "town", "postcode", "accessibility"),
            hint="Staff check a new place with the rest of your changes; it is then on the map "
            "and listed among your places.",
            describe=_describe_place,
        ),
        ChildSpec(
            name="schedules",
            label="Opening times",
            row_label="Time",
            model=Schedule,
            parent_field="service",
            fields=("weekday", "opens_at", "closes_at", "location", "note"),
            hint="One row for each day and time it is open, for example Monday 09:30 to 12:30. "
            "Open twice a day? Use two rows. For midnight, use 00:00.",
        ),
        ChildSpec(
            name="sessions",
            label="Sessions on particular dates",
            row_label="Session",
            model=DatedSession,
            parent_field="service",
            fields=("starts_at", "ends_at", "location", "title"),
            hint="One row for each date. For a session that ends at midnight, use 00:00.",
            describe=_describe_session,
        ),
        ChildSpec(
            name="contacts",
            label="Named contacts",
            row_label="Contact",
            model=Contact,
            parent_field="service",
            fields=("name", "role", "phone", "email"),
            describe=_describe_contact,
        ),
    ),
    labels=(("locations", "Your places"),),
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
    chosen = _chosen_ids(listing, [name for name in spec.fields if spec.model_field(name).many_to_many])
    for name in spec.fields:
        model_field = spec.model_field(name)
        if model_field.many_to_many:
            value = chosen[name]
        else:
            value = getattr(listing, model_field.attname if model_field.is_relation else name)
        snapshot[name] = to_json(model_field, value)
    for child in spec.children:
        rows = child.live_rows(listing)
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


def _chosen_ids(listing, names: list[str]) -> dict[str, list[int]]:
    """The ids chosen in each of the listing's many-to-many fields, read in one query."""
    chosen: dict[str, list[int]] = {name: [] for name in names}
    queries = []
    for name in names:
        relation = listing._meta.get_field(name)
        links = relation.remote_field.through._default_manager.filter(
            **{relation.m2m_field_name(): listing.pk}
        )
        queries.append(
            links.values_list(Value(name, output_field=models.CharField()), relation.m2m_reverse_name())
        )
    if queries:
        for name, pk in queries[0].union(*queries[1:], all=True):
            chosen[name].append(pk)
    return chosen


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
            {name: to_json(child.model_field(name), row.get(name)) for name in child.fields}
            for row in formsets[child.name].rows()
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
        """A child row in words: the spec's description of it, then where, then any note."""
        values = {name: from_json(child.model_field(name), row.get(name)) for name in child.fields}
        relations = [name for name in child.fields if child.model_field(name).is_relation]
        text = child.describe(child.model(**{name: v for name, v in values.items() if name not in relations}))
        for name in relations:
            if values[name] is not None:
                text += f" at {self._related(child.model_field(name), values[name])}"
        if row.get("note"):
            text += f" ({row['note']})"
        return text
