"""Write a feed that has been read into draft organisations, services and places, in one transaction.

Records are matched on the feed's own ids (external_source + external_id; a place on its id within
its organisation), so importing the same feed again changes nothing, and a changed feed updates
the drafts it made. A record staff have published, archived or sent for review is "kept": the feed
never overwrites a decision, nor the hours, contacts, costs or places under it.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

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
)
from initiatives.publishing import PublicationState
from initiatives.services import audit_record
from initiatives.slugs import free_slug

from .mapping import (
    PLACE,
    LocationPlan,
    OrganisationPlan,
    RecordProblem,
    ServicePlan,
    TermReference,
    identifier,
    label,
    service_plan,
)

AUDIT_ACTION = "import_oruk"
OUTCOMES = ("created", "updated", "unchanged", "kept")
# A service's rows that the feed owns while the service is a draft: the model, and the fields it fills.
CHILDREN = {
    "schedules": (Schedule, ("weekday", "opens_at", "closes_at", "note", "location_id")),
    "sessions": (DatedSession, ("title", "starts_at", "ends_at", "location_id")),
    "contacts": (Contact, ("name", "role", "email", "phone")),
    "cost_options": (CostOption, ("description", "amount", "concessions")),
}


@dataclass
class ImportReport:
    services: Counter = field(default_factory=Counter)
    organisations: Counter = field(default_factory=Counter)
    repeats: Counter = field(default_factory=Counter)  # how often each id given more than once appears
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> list[str]:
        return [
            f"service {external_id} appears {count} times in this feed; only the first was imported"
            for external_id, count in self.repeats.items()
        ]

    def summary(self) -> str:
        duplicates = sum(self.repeats.values()) - len(self.repeats)
        return "\n".join(
            [
                f"Services: {_counts(self.services)}.",
                f"Organisations: {_counts(self.organisations)}.",
                f"{duplicates} duplicates, {len(self.skipped)} skipped.",
            ]
        )


def _counts(counter: Counter) -> str:
    return ", ".join(f"{counter[outcome]} {outcome}" for outcome in OUTCOMES)


@transaction.atomic
def feed_import(*, services: list[dict], source: str, actor=None) -> ImportReport:
    """Import each service of a feed that has been read, with its organisation, as drafts."""
    run = _Run(source=source, actor=actor)
    ids = Counter(filter(None, map(identifier, services)))
    run.report.repeats = Counter({external_id: count for external_id, count in ids.items() if count > 1})
    for item in _first_of_each_id(services):
        try:
            plan = service_plan(item, source=source)
            organisation = run.organisation(plan.organisation)
            with transaction.atomic():  # a service that fails validation leaves nothing behind
                outcome = _service_import(plan, organisation, run)
        except (RecordProblem, ValidationError) as error:
            run.report.skipped.append(f"{label(item)}: {_describe(error)}")
            continue
        run.report.services[outcome] += 1
        if outcome != "kept":
            run.report.notes.extend(f"{label(item)}: {note}" for note in plan.notes)
    return run.report


def _first_of_each_id(services: list[dict]) -> list[dict]:
    """The first service with each id: a repeat is reported, never imported over the first."""
    seen, firsts = set(), []
    for item in services:
        external_id = identifier(item)
        if external_id and external_id in seen:
            continue
        seen.add(external_id)  # services without an id are each skipped later, with the reason
        firsts.append(item)
    return firsts


class _Run:
    """One import: its report, the organisations settled so far, and our needs and audiences."""

    def __init__(self, *, source: str, actor):
        self.source, self.actor = source, actor
        self.report = ImportReport()
        self.organisations: dict[str, Organisation] = {}
        self.needs, self.audiences = list(Need.objects.all()), list(Audience.objects.all())

    def organisation(self, plan: OrganisationPlan) -> Organisation:
        """The organisation's record, imported once per run however many services name it."""
        if plan.external_id not in self.organisations:
            try:
                with transaction.atomic():
                    record, outcome = _organisation_import(plan, self)
            except ValidationError as error:
                raise ValidationError(f"its organisation {plan.external_id}: {_describe(error)}") from error
            self.organisations[plan.external_id] = record
            self.report.organisations[outcome] += 1
        return self.organisations[plan.external_id]

    def audit(self, record, outcome: str) -> None:
        audit_record(
            actor=self.actor,
            action=AUDIT_ACTION,
            record=record,
            detail={"source": self.source, "result": outcome},
        )

    def terms(self, references: list[TermReference]) -> tuple[set[int], set[int]]:
        """Our needs and audiences the feed's terms name: by our own id first, else by name.

        Our own API's terms carry our ids and say whether each is a need or an audience.
        """
        needs, audiences = set(), set()
        for reference in references:
            ours = [term for term in self.needs + self.audiences if str(term.uuid) in reference.ids]
            if not ours:
                pool = {"need": self.needs, "audience": self.audiences}.get(
                    reference.link_type, self.needs + self.audiences
                )
                ours = [term for term in pool if term.name.casefold() in reference.names]
            for term in ours:
                (needs if isinstance(term, Need) else audiences).add(term.pk)
        return needs, audiences


def _organisation_import(plan: OrganisationPlan, run: _Run) -> tuple[Organisation, str]:
    record = Organisation.objects.filter(external_source=run.source, external_id=plan.external_id).first()
    if record is not None and record.publication_state != PublicationState.DRAFT:
        return record, "kept"
    if plan.fields is None and record is not None:
        return record, "unchanged"  # named by id only: what we have is all we know
    values = plan.fields or plan.placeholder
    if record is not None and not _differs(record, values):
        return record, "unchanged"
    outcome = "updated" if record else "created"
    record = record or _new_draft(Organisation, run, plan.external_id, values["name"])
    _save(record, values, outcome, run)
    return record, outcome


@dataclass
class _Target:
    """What the feed makes of a draft service, each part checked against our models."""

    values: dict
    places: list[tuple[Location, bool]]  # each place, and whether the feed changes it
    needs: set[int]
    audiences: set[int]
    children: dict[str, list]  # unsaved rows, by related name


def _service_import(plan: ServicePlan, organisation: Organisation, run: _Run) -> str:
    service = Service.objects.filter(external_source=run.source, external_id=plan.external_id).first()
    if service is not None and service.publication_state != PublicationState.DRAFT:
        return "kept"
    target = _target(plan, organisation, run)
    if service is not None and not _differs_from(service, target):
        return "unchanged"
    outcome = "updated" if service else "created"
    service = service or _new_draft(Service, run, plan.external_id, plan.fields["name"])
    _save(service, target.values, outcome, run)
    _replace_parts(service, target, run)
    return outcome


def _target(plan: ServicePlan, organisation: Organisation, run: _Run) -> _Target:
    needs, audiences = run.terms(plan.terms)
    places = [place for location in plan.locations if (place := _place(location, organisation, plan.notes))]
    by_feed_id = {place.external_id: place for place, _ in places}
    return _Target(
        values={**plan.fields, "organisation": organisation},
        places=places,
        needs=needs,
        audiences=audiences,
        children={
            related: _valid_rows(related, rows, by_feed_id, plan.notes)
            for related, rows in plan.children.items()
        },
    )


def _differs_from(service: Service, target: _Target) -> bool:
    return (
        _differs(service, target.values)
        or any(changed for _, changed in target.places)
        or {place.pk for place, _ in target.places} != set(service.locations.values_list("pk", flat=True))
        or target.needs != set(service.needs.values_list("pk", flat=True))
        or target.audiences != set(service.audiences.values_list("pk", flat=True))
        or any(_rows_differ(service, related, rows) for related, rows in target.children.items())
    )


def _replace_parts(service: Service, target: _Target, run: _Run) -> None:
    """Link the service's places, needs and audiences, and replace its hours, contacts and costs."""
    for place, changed in target.places:
        if changed:
            outcome = "updated" if place.pk else "created"
            place.save()
            run.audit(place, outcome)
    service.locations.set([place for place, _ in target.places])
    service.needs.set(target.needs)
    service.audiences.set(target.audiences)
    for related, rows in target.children.items():
        getattr(service, related).all().delete()
        for row in rows:
            row.service = service
        CHILDREN[related][0].objects.bulk_create(rows)


def _place(plan: LocationPlan, organisation: Organisation, notes: list[str]) -> tuple[Location, bool] | None:
    """The organisation's place with this feed id, brought up to date unless the organisation is
    kept, and whether it changed; None, with a note, when our model cannot hold what the feed says."""
    location = organisation.locations.filter(external_id=plan.external_id).first()
    if location is not None and organisation.publication_state != PublicationState.DRAFT:
        return location, False
    changed = location is None or _differs(location, plan.fields)
    location = location or Location(organisation=organisation, external_id=plan.external_id)
    for name, value in plan.fields.items():
        setattr(location, name, value)
    try:
        location.full_clean()
    except ValidationError as error:
        notes.append(f"place {plan.external_id} left out: {_describe(error)}")
        return None
    return location, changed


def _valid_rows(related: str, rows: list[dict], places: dict[str, Location], notes: list[str]) -> list:
    """Unsaved rows of a child model, hours and sessions at their place (`places`, by feed id);
    each row our model cannot hold is left out with a note."""
    model, _ = CHILDREN[related]
    valid = []
    for values in rows:
        fields = {name: value for name, value in values.items() if name != PLACE}
        row = model(**fields, **({"location": places.get(values[PLACE])} if PLACE in values else {}))
        try:
            row.full_clean(exclude=["service", "location"])
        except ValidationError as error:
            notes.append(f"{model._meta.verbose_name} “{row}” left out: {_describe(error)}")
            continue
        valid.append(row)
    return valid


def _rows_differ(service: Service, related: str, rows: list) -> bool:
    _, fields = CHILDREN[related]
    ours = Counter(getattr(service, related).values_list(*fields))
    return ours != Counter(tuple(getattr(row, name) for name in fields) for row in rows)


def _differs(record, values: dict) -> bool:
    return any(getattr(record, name) != value for name, value in values.items())


def _new_draft(model, run: _Run, external_id: str, name: str):
    return model(
        external_source=run.source,
        external_id=external_id,
        slug=free_slug(model, name, fallback="imported"),
        publication_state=PublicationState.DRAFT,
    )


def _save(record, values: dict, outcome: str, run: _Run) -> None:
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    run.audit(record, outcome)


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
