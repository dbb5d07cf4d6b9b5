"""Load the demo content from the data files in `data/`, all or nothing.

The data files hold the content of the seed document `work-and-local-economy.txt` (compiled November
2025): every organisation, initiative, event and figure it names, each figure with its period, area
and cited reference. Each file opens with a comment saying what its fields mean, so that staff can
correct a figure or a sentence without reading Python.

`load_demo()` first reads and checks every file: a reference to a record that is not there, a figure
without a period, a value that is not one of the allowed choices... raises one `DemoDataError` that
names the file, the record and the field, before anything is written. It is safe to run again and
again: records are matched on their slug or natural key and only saved when something differs, so a
second run creates no rows and changes no values (not even `updated_at`).

An indicator's figures may also come from a copy of an ONS Explore Local Statistics file in `data/ons/`
(its `[indicator.ons]` table names the file). `indicators.ons.read_ons` reads it, and each observation
becomes a data point exactly like one written in indicators.toml: checked the same way, then saved by
the same code, so the same guarantees hold.
"""

import datetime
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction

from indicators.import_rules import RowError
from indicators.models import (
    Area,
    ContextFact,
    DataPoint,
    Indicator,
    IndicatorNeed,
    IndicatorService,
    Source,
    StatedComparison,
)
from indicators.ons import read_ons
from initiatives.models import Audience, Need, Organisation, Service, ServiceArea, ServiceKind, ServiceStatus
from initiatives.publishing import PublicationState, Publishable
from initiatives.search.models import Synonym, split_terms
from initiatives.services import audit_record

DATA_DIR = Path(__file__).resolve().parent / "data"
ONS_DIR = "ons"  # within the data directory: the copies of ONS Explore Local Statistics files

# Fixed dates, never today(), so that a rerun changes nothing.
LAST_VERIFIED_ON = datetime.date(2025, 11, 30)
REVIEW_DUE_ON = datetime.date(2026, 5, 30)
AUDIT_ACTION = "load_demo"

PUBLISHED = PublicationState.PUBLISHED


class DemoDataError(ValueError):
    """A problem in the demo data files, saying where it is: the file, the record and the field."""


@dataclass(frozen=True)
class _Where:
    """A record's place in the data files, so that an error can send a person straight to it."""

    file: str
    record: str

    def within(self, part: str) -> "_Where":
        return _Where(self.file, f"{self.record}, {part}")

    def error(self, field_name: str, problem: str) -> DemoDataError:
        return DemoDataError(f'{self.file}, {self.record}, field "{field_name}": {problem}')


# ==================================================================================================
# What each kind of record in the data files looks like
# ==================================================================================================
_Rule = Callable[[_Where, dict], None]


@dataclass(frozen=True)
class _Shape:
    """The fields one kind of record may have, and how each is checked.

    Fields in `references` and `reference_lists` name other records (by the kind of record they name);
    `nested` fields hold sub-records of another shape; every other field is a field of `model`, whose
    own validation checks its value. `defaults` gives the value of each optional field left out.
    """

    model: type[models.Model]
    required: tuple[str, ...]
    defaults: dict = field(default_factory=dict)
    key: str | None = None  # the field other records name this one by
    references: dict[str, str] = field(default_factory=dict)
    reference_lists: dict[str, str] = field(default_factory=dict)
    nested: dict[str, "_Shape"] = field(default_factory=dict)
    rules: tuple[_Rule, ...] = ()
    data_only: tuple[str, ...] = ()  # fields that tell the loader what to read, never saved


def _at_least_one_need(where: _Where, service: dict) -> None:
    if not service["needs"]:  # residents find services through their needs
        raise where.error("needs", "list at least one need the service helps with")


def _period_in_order(where: _Where, point: dict) -> None:
    if point["period_start"] > point["period_end"]:
        raise where.error("period_end", "the period ends before it starts")


def _value_or_rank(where: _Where, point: dict) -> None:
    if point["value"] is None and point["rank"] is None:
        raise where.error("value", "give the figure: a value, or a rank")


def _one_figure_per_area_and_period(where: _Where, indicator: dict) -> None:
    # A copied data point whose dates were not changed would otherwise overwrite the one it copies.
    seen = set()
    for number, point in enumerate(indicator["data_point"], start=1):
        area_and_period = (point["area"], point["period_start"], point["period_end"])
        if area_and_period in seen:
            raise where.within(f"data point {number}").error(
                "period_start", "another data point of this indicator has the same area and period"
            )
        seen.add(area_and_period)


def _two_terms_or_more(where: _Where, synonym: dict) -> None:
    if len(split_terms(synonym["terms"])) < 2:
        raise where.error("terms", "give at least two terms, separated by commas")


NEED = _Shape(
    Need,
    key="slug",
    required=("slug", "name", "position", "question", "description"),
    defaults={"parent": None},
    references={"parent": "need"},
)
AUDIENCE = _Shape(Audience, key="slug", required=("slug", "name", "description"))
ORGANISATION = _Shape(
    Organisation,
    key="slug",
    required=("slug", "name", "description"),
    defaults={"parent": None, "partners": [], "publication_state": PUBLISHED},
    references={"parent": "organisation"},
    reference_lists={"partners": "organisation"},
)
# Contact fields (website, email, phone) are not among a service's fields here, so the loader never
# sets them and an editor's later additions are kept.
SERVICE = _Shape(
    Service,
    key="slug",
    required=("slug", "organisation", "name", "summary", "description", "needs"),
    defaults={
        "audiences": [],
        "kind": ServiceKind.SERVICE,
        "status": ServiceStatus.ACTIVE,
        "eligibility": "",
        "minimum_age": None,
        "maximum_age": None,
        "in_person": False,
        "by_phone": False,
        "online": False,
        "is_free": False,
        "cost_description": "",
        "access_self_referral": False,
        "access_referral": False,
        "access_drop_in": False,
        "access_booking": False,
        "how_to_access": "",
        "languages": "",
        "accessibility": "",
        "service_area": ServiceArea.BOROUGH,
        "starts_on": None,
        "ends_on": None,
        "dates_note": "",
        "publication_state": PUBLISHED,
    },
    references={"organisation": "organisation"},
    reference_lists={"needs": "need", "audiences": "audience"},
    rules=(_at_least_one_need,),
)
AREA = _Shape(Area, key="code", required=("code", "name", "kind", "is_home"))
SOURCE = _Shape(
    Source,
    key="key",  # a name used only within the data files: a Source is unique by publisher and title
    required=("key", "publisher", "title"),
    defaults={
        "url": "",  # left out, the loader leaves the url alone, so that staff can add it in the admin
        "published_label": "",
        "published_on": None,
        "accessed_label": "",
        "licence": "",
        "notes": "",
    },
)
STATED_COMPARISON = _Shape(
    StatedComparison,
    required=("comparator", "relation"),
    defaults={"wording": ""},
    references={"comparator": "area"},
)
DATA_POINT = _Shape(
    DataPoint,
    required=("area", "period_label", "period_start", "period_end"),
    defaults={
        "value": None,
        "lower_limit": None,
        "upper_limit": None,
        "sample_size": None,
        "rank": None,
        "rank_out_of": None,
        "stated_trend": "",
        "status_note": "",
        "source": None,  # the indicator's source
        "comparison": [],
    },
    references={"area": "area", "source": "source"},
    nested={"comparison": STATED_COMPARISON},
    rules=(_period_in_order, _value_or_rank),
)
INDICATOR_NEED = _Shape(IndicatorNeed, required=("need", "note"), references={"need": "need"})
INDICATOR_SERVICE = _Shape(IndicatorService, required=("service", "note"), references={"service": "service"})
INDICATOR = _Shape(
    Indicator,
    key="slug",
    required=(
        "slug",
        "title",
        "definition",
        "why_it_matters",
        "value_type",
        "decimal_places",
        "polarity",
        "source",
    ),
    defaults={
        "unit": "",
        "what_it_counts": "",
        "rank_scope": "",
        "frequency": "",
        "caveats": "",
        "headline_position": None,
        "publication_state": PUBLISHED,
        "data_point": [],
        "ons": None,  # an ONS file to read more data points from (checked in _ons_data_points)
        "need": [],
        "service": [],
    },
    references={"source": "source"},
    nested={"data_point": DATA_POINT, "need": INDICATOR_NEED, "service": INDICATOR_SERVICE},
    rules=(_one_figure_per_area_and_period,),
    data_only=("ons",),
)
ONS_TABLE_FIELDS = ("file", "series", "areas")
CONTEXT_FACT = _Shape(
    ContextFact,
    key="slug",
    required=("slug", "title", "value", "display_value", "source"),
    defaults={
        "is_approximate": False,
        "date_label": "",
        "description": "",
        "publication_state": PUBLISHED,
        "needs": [],
        "services": [],
    },
    references={"source": "source"},
    reference_lists={"needs": "need", "services": "service"},
)
SYNONYM = _Shape(Synonym, key="terms", required=("terms",), rules=(_two_terms_or_more,))

# Each kind of record: the file holding it (as [[kind]] tables) and its shape.
DATA_FILES = {
    "need": ("needs.toml", NEED),
    "audience": ("audiences.toml", AUDIENCE),
    "organisation": ("organisations.toml", ORGANISATION),
    "service": ("services.toml", SERVICE),
    "area": ("areas.toml", AREA),
    "source": ("sources.toml", SOURCE),
    "indicator": ("indicators.toml", INDICATOR),
    "context_fact": ("context_facts.toml", CONTEXT_FACT),
    "synonym": ("synonyms.toml", SYNONYM),
}


# ==================================================================================================
# Reading and checking the data files
# ==================================================================================================
def _words(kind: str) -> str:
    return kind.replace("_", " ")


def _is_list_of_tables(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _read_records(data_dir: Path, kind: str) -> list[dict]:
    """The [[kind]] tables of the kind's data file."""
    file_name = DATA_FILES[kind][0]
    try:
        with open(data_dir / file_name, "rb") as data_file:
            # Decimal, not float, so that 4.34 is loaded as exactly 4.34.
            document = tomllib.load(data_file, parse_float=Decimal)
    except FileNotFoundError:
        raise DemoDataError(f"{file_name}: not found in {data_dir}") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{file_name}: not valid TOML: {error}") from None
    records = document.get(kind)
    if set(document) != {kind} or not _is_list_of_tables(records):
        found = ", ".join(document) or "nothing"
        raise DemoDataError(f"{file_name}: expected only [[{kind}]] records, found {found}")
    return records


def _keys(kind: str, records: list[dict]) -> set[str]:
    """The keys the records are named by, each given once."""
    file_name, shape = DATA_FILES[kind]
    keys: set[str] = set()
    for number, record in enumerate(records, start=1):
        key = record.get(shape.key)
        if not isinstance(key, str) or not key:
            raise _Where(file_name, f"{_words(kind)} {number}").error(shape.key, "missing")
        if key in keys:
            raise _Where(file_name, f'{_words(kind)} "{key}"').error(shape.key, "used by two records")
        keys.add(key)
    return keys


def _clean(where: _Where, model: type[models.Model], name: str, value):
    """The value as the model field holds it, checked by the field's own validation."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value  # a name used only within the data files, such as a source's key
    try:
        return model_field.clean(value, None)
    except ValidationError as error:
        problem = " ".join(error.messages)
        if model_field.choices:
            problem += " Allowed: " + ", ".join(f'"{choice}"' for choice, _ in model_field.flatchoices)
        raise where.error(name, problem) from None


def _check_reference(where: _Where, name: str, value, kind: str, keys: dict[str, set[str]]) -> None:
    if value is None:  # an optional reference left out
        return
    if not isinstance(value, str):
        raise where.error(name, f"give the {_words(kind)}'s {DATA_FILES[kind][1].key} in quotes")
    if value not in keys[kind]:
        raise where.error(name, f'no {_words(kind)} "{value}" in {DATA_FILES[kind][0]}')


def _check_reference_list(where: _Where, name: str, value, kind: str, keys: dict[str, set[str]]) -> None:
    if not isinstance(value, list):
        raise where.error(name, 'give a list in square brackets: ["first", "second"]')
    for item in value:
        _check_reference(where, name, item, kind, keys)


def _check(where: _Where, shape: _Shape, record: dict, keys: dict[str, set[str]]) -> dict:
    """The record with its defaults filled in and its values cleaned; raise at its first problem."""
    allowed = {*shape.required, *shape.defaults}
    for name in record:
        if name not in allowed:
            raise where.error(name, f"not a field here; the fields are: {', '.join(sorted(allowed))}")
    for name in shape.required:
        if name not in record:
            raise where.error(name, "missing")

    checked = {**shape.defaults, **record}
    for name, value in checked.items():
        if name in shape.references:
            _check_reference(where, name, value, shape.references[name], keys)
        elif name in shape.reference_lists:
            _check_reference_list(where, name, value, shape.reference_lists[name], keys)
        elif name in shape.nested:
            if not _is_list_of_tables(value):
                raise where.error(name, f"write each one as a [[...{name}]] table")
            checked[name] = [
                _check(where.within(f"{_words(name)} {number}"), shape.nested[name], item, keys)
                for number, item in enumerate(value, start=1)
            ]
        elif name in shape.data_only:
            pass  # checked where it is read
        else:
            checked[name] = _clean(where, shape.model, name, value)
    for rule in shape.rules:
        rule(where, checked)
    return checked


def _check_parents_listed_first(kind: str, records: list[dict]) -> None:
    # Each record is saved with its parent, so the parent must be saved (listed) before it.
    listed: set[str] = set()
    for record in records:
        if record["parent"] is not None and record["parent"] not in listed:
            where = _Where(DATA_FILES[kind][0], f'{_words(kind)} "{record["slug"]}"')
            raise where.error("parent", f'list the parent "{record["parent"]}" above this {_words(kind)}')
        listed.add(record["slug"])


def _ons_table(where: _Where, table, keys: dict[str, set[str]]) -> tuple[str, str | None, list[str]]:
    """The [indicator.ons] table's file name, series and area codes; raise at its first problem."""
    if not isinstance(table, dict):
        raise where.error("ons", 'write it as one [indicator.ons] table, with file = "name.csv"')
    for name in table:
        if name not in ONS_TABLE_FIELDS:
            raise where.error(
                f"ons.{name}", f"not a field here; the fields are: {', '.join(ONS_TABLE_FIELDS)}"
            )
    file_name = table.get("file")
    if file_name is None:
        raise where.error("ons.file", "missing")
    if not isinstance(file_name, str) or not file_name.endswith(".csv") or Path(file_name).name != file_name:
        raise where.error(
            "ons.file", f'give the name of a .csv file in {ONS_DIR}/, such as "claimant-count.csv"'
        )
    series = table.get("series")
    if series is not None and (not isinstance(series, str) or not series.strip()):
        raise where.error("ons.series", "give the name in the file's indicator column, in quotes")
    areas = table.get("areas", sorted(keys["area"]))
    _check_reference_list(where, "ons.areas", areas, "area", keys)
    if not areas:
        raise where.error("ons.areas", "list at least one area, or leave the field out for every area")
    return file_name, series, areas


def _file_problem(path: str, error: RowError) -> str:
    """'ons/claimant-count.csv, row 12: ...', or 'ons/claimant-count.csv: ...' for the file as a whole."""
    return f"{path}, row {error.row}: {error.message}" if error.row else f"{path}: {error.message}"


def _ons_data_points(data_dir: Path, where: _Where, indicator: dict, keys: dict[str, set[str]]) -> list[dict]:
    """The indicator's data points from its ONS file, checked like those in the TOML file; [] without one.

    The file is read by `indicators.ons.read_ons`, the reader the admin's ONS import uses, so a file the
    demo accepts is one staff could import. Any problem it finds stops the load, naming the row.
    """
    if indicator["ons"] is None:
        return []
    file_name, series, area_codes = _ons_table(where, indicator["ons"], keys)
    path = f"{ONS_DIR}/{file_name}"
    try:
        text = (data_dir / ONS_DIR / file_name).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise where.error("ons.file", f"no file {path} in {data_dir}") from None
    except UnicodeDecodeError:
        raise where.error("ons.file", f"{path} is not UTF-8 text") from None
    reading = read_ons(
        text,
        value_type=indicator["value_type"],
        unit=indicator["unit"],
        polarity=indicator["polarity"],
        area_codes=area_codes,
        series=series,
    )
    if reading.errors:
        more = len(reading.errors) - 1
        also = f" (and {more} more {'problem' if more == 1 else 'problems'} in the file)" if more else ""
        raise where.error("ons", f"{_file_problem(path, reading.errors[0])}{also}")
    if reading.missing_areas:
        raise where.error("ons", f"{path} holds no figures for {', '.join(reading.missing_areas)}")

    # Where each figure is given, to name both places if two give the same area and period.
    given_at = {
        (point["area"], point["period_start"], point["period_end"]): f"data point {number} in {where.file}"
        for number, point in enumerate(indicator["data_point"], start=1)
    }
    points = []
    for observation in reading.observations:
        row_where = where.within(f"{path} row {observation.row}")
        point = _check(
            row_where,
            DATA_POINT,
            {
                "area": observation.area_code,
                "period_label": observation.period_label,
                "period_start": observation.period_start,
                "period_end": observation.period_end,
                "value": observation.value,
                "lower_limit": observation.lower_limit,
                "upper_limit": observation.upper_limit,
                "status_note": observation.status_note,
            },
            keys,
        )
        area_and_period = (point["area"], point["period_start"], point["period_end"])
        if area_and_period in given_at:
            raise row_where.error(
                "period_start",
                f"{given_at[area_and_period]} has the same area and period: give each figure once",
            )
        given_at[area_and_period] = f"row {observation.row} of {path}"
        points.append(point)
    return points


def read_demo_data(data_dir: Path = DATA_DIR) -> dict[str, list[dict]]:
    """Read and check every data file: each kind's records, defaults filled in and values cleaned.

    An indicator's data points include those read from its ONS file, if it names one. Raises
    DemoDataError at the first problem, naming the file, the record and the field.
    """
    records = {kind: _read_records(data_dir, kind) for kind in DATA_FILES}
    keys = {kind: _keys(kind, rows) for kind, rows in records.items()}
    checked = {}
    for kind, rows in records.items():
        file_name, shape = DATA_FILES[kind]
        checked[kind] = [
            _check(_Where(file_name, f'{_words(kind)} "{row[shape.key]}"'), shape, row, keys) for row in rows
        ]
    for kind in ("need", "organisation"):
        _check_parents_listed_first(kind, checked[kind])
    for indicator in checked["indicator"]:
        where = _Where(DATA_FILES["indicator"][0], f'indicator "{indicator["slug"]}"')
        indicator["data_point"] = indicator["data_point"] + _ons_data_points(data_dir, where, indicator, keys)
    return checked


# ==================================================================================================
# Writing the records
# ==================================================================================================
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class _Tally:
    """Counts what happened to each kind of record."""

    def __init__(self):
        self.by_model: dict[str, Counter] = defaultdict(Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.by_model[model._meta.label][outcome] += 1

    def as_dict(self) -> dict:
        totals = Counter()
        for counter in self.by_model.values():
            totals.update(counter)
        return {
            CREATED: totals[CREATED],
            UPDATED: totals[UPDATED],
            UNCHANGED: totals[UNCHANGED],
            "models": {label: dict(counter) for label, counter in sorted(self.by_model.items())},
        }


def _differs(obj: models.Model, name: str, value) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """update_or_create that saves only when a value differs, so reruns leave rows (and updated_at) alone."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        outcome = CREATED
    else:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if not changed:
            return obj, UNCHANGED
        for name in changed:
            setattr(obj, name, values[name])
        outcome = UPDATED
    obj.full_clean()
    obj.save()
    return obj, outcome


def _set_links(obj: models.Model, field_name: str, targets) -> bool:
    """Set a many-to-many field to exactly `targets`; return whether anything changed."""
    manager = getattr(obj, field_name)
    wanted = {target.pk for target in targets}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(targets)
    return True


def _finish(tally: _Tally, obj: models.Model, outcome: str, links_changed: bool = False) -> None:
    """Count the record and, for public records that changed, write an audit entry."""
    if outcome == UNCHANGED and links_changed:
        outcome = UPDATED
    tally.add(type(obj), outcome)
    if outcome != UNCHANGED and isinstance(obj, Publishable):
        audit_record(actor=None, action=AUDIT_ACTION, record=obj, detail={"result": outcome})


def _own_values(shape: _Shape, record: dict) -> dict:
    """The record's own field values: all but its key, its references and its sub-records."""
    skip = {shape.key, *shape.references, *shape.reference_lists, *shape.nested, *shape.data_only}
    return {name: value for name, value in record.items() if name not in skip}


def _with_review_dates(values: dict) -> dict:
    """Listings residents act on carry fixed verification and review dates."""
    return {**values, "last_verified_on": LAST_VERIFIED_ON, "review_due_on": REVIEW_DUE_ON}


def _load_needs(tally: _Tally, rows: list[dict]) -> dict[str, Need]:
    needs: dict[str, Need] = {}
    for row in rows:  # parents are listed before their children (checked on reading)
        parent = needs[row["parent"]] if row["parent"] else None
        need, outcome = _upsert(Need, {"slug": row["slug"]}, {**_own_values(NEED, row), "parent": parent})
        _finish(tally, need, outcome)
        needs[need.slug] = need
    return needs


def _load_audiences(tally: _Tally, rows: list[dict]) -> dict[str, Audience]:
    audiences: dict[str, Audience] = {}
    for position, row in enumerate(rows, start=1):  # listed in the order of the file
        values = {**_own_values(AUDIENCE, row), "position": position}
        audience, outcome = _upsert(Audience, {"slug": row["slug"]}, values)
        _finish(tally, audience, outcome)
        audiences[audience.slug] = audience
    return audiences


def _partners_by_slug(rows: list[dict]) -> dict[str, set[str]]:
    """Each organisation's partners: a partnership listed on either organisation links both ways."""
    partners_of: dict[str, set[str]] = {row["slug"]: set() for row in rows}
    for row in rows:
        for partner in row["partners"]:
            partners_of[row["slug"]].add(partner)
            partners_of[partner].add(row["slug"])
    return partners_of


def _load_organisations(tally: _Tally, rows: list[dict]) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    outcomes: dict[str, str] = {}
    for row in rows:  # parents are listed before their branches (checked on reading)
        parent = organisations[row["parent"]] if row["parent"] else None
        values = _with_review_dates({**_own_values(ORGANISATION, row), "parent": parent})
        organisation, outcomes[row["slug"]] = _upsert(Organisation, {"slug": row["slug"]}, values)
        organisations[organisation.slug] = organisation

    # Partners are linked once every organisation exists, as a partner may be listed further down.
    for slug, partner_slugs in _partners_by_slug(rows).items():
        partners = [organisations[partner] for partner in sorted(partner_slugs)]
        links_changed = _set_links(organisations[slug], "partners", partners)
        _finish(tally, organisations[slug], outcomes[slug], links_changed)
    return organisations


def _load_services(tally, rows, organisations, needs, audiences) -> dict[str, Service]:
    services: dict[str, Service] = {}
    for row in rows:
        values = {**_own_values(SERVICE, row), "organisation": organisations[row["organisation"]]}
        service, outcome = _upsert(Service, {"slug": row["slug"]}, _with_review_dates(values))
        needs_changed = _set_links(service, "needs", [needs[slug] for slug in row["needs"]])
        audiences_changed = _set_links(service, "audiences", [audiences[slug] for slug in row["audiences"]])
        _finish(tally, service, outcome, needs_changed or audiences_changed)
        services[service.slug] = service
    return services


def _load_sources(tally: _Tally, rows: list[dict]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for row in rows:
        values = _own_values(SOURCE, row)
        if not values["url"]:  # the seed gives no links for its references: staff add them
            del values["url"]
        lookup = {"publisher": values.pop("publisher"), "title": values.pop("title")}
        source, outcome = _upsert(Source, lookup, values)
        _finish(tally, source, outcome)
        sources[row["key"]] = source
    return sources


def _load_areas(tally: _Tally, rows: list[dict]) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for row in rows:
        area, outcome = _upsert(Area, {"code": row["code"]}, _own_values(AREA, row))
        _finish(tally, area, outcome)
        areas[area.code] = area
    return areas


def _load_data_point(tally, indicator, indicator_source, point, sources, areas) -> None:
    values = _own_values(DATA_POINT, point)
    lookup = {
        "indicator": indicator,
        "area": areas[point["area"]],
        "period_start": values.pop("period_start"),
        "period_end": values.pop("period_end"),
    }
    # A figure without a source of its own cites its indicator's, stored on the figure all the same.
    values["source"] = sources[point["source"]] if point["source"] else indicator_source
    data_point, outcome = _upsert(DataPoint, lookup, values)
    _finish(tally, data_point, outcome)

    comparators = []
    for comparison in point["comparison"]:
        comparator = areas[comparison["comparator"]]
        stated, outcome = _upsert(
            StatedComparison,
            {"data_point": data_point, "comparator": comparator},
            _own_values(STATED_COMPARISON, comparison),
        )
        _finish(tally, stated, outcome)
        comparators.append(comparator)
    data_point.stated_comparisons.exclude(comparator__in=comparators).delete()


def _load_indicator_links(tally, indicator, link_model, field_name, targets, links) -> bool:
    """Upsert the through rows for one indicator (need or service links) and drop any others."""
    keep = []
    for link_row in links:
        link, outcome = _upsert(
            link_model,
            {"indicator": indicator, field_name: targets[link_row[field_name]]},
            {"note": link_row["note"]},
        )
        _finish(tally, link, outcome)
        keep.append(link.pk)
    deleted, _ = link_model.objects.filter(indicator=indicator).exclude(pk__in=keep).delete()
    return bool(deleted)


def _load_indicators(tally, rows, sources, areas, needs, services) -> None:
    for row in rows:
        source = sources[row["source"]]
        values = {**_own_values(INDICATOR, row), "source": source}
        indicator, outcome = _upsert(Indicator, {"slug": row["slug"]}, values)
        for point in row["data_point"]:
            _load_data_point(tally, indicator, source, point, sources, areas)
        needs_changed = _load_indicator_links(tally, indicator, IndicatorNeed, "need", needs, row["need"])
        services_changed = _load_indicator_links(
            tally, indicator, IndicatorService, "service", services, row["service"]
        )
        _finish(tally, indicator, outcome, needs_changed or services_changed)


def _load_context_facts(tally, rows, sources, needs, services) -> None:
    for row in rows:
        values = {**_own_values(CONTEXT_FACT, row), "source": sources[row["source"]]}
        fact, outcome = _upsert(ContextFact, {"slug": row["slug"]}, values)
        needs_changed = _set_links(fact, "needs", [needs[slug] for slug in row["needs"]])
        services_changed = _set_links(fact, "services", [services[slug] for slug in row["services"]])
        _finish(tally, fact, outcome, needs_changed or services_changed)


def _load_synonyms(tally: _Tally, rows: list[dict]) -> None:
    """Add any starting synonym group that is missing; groups staff have added or edited stay."""
    for row in rows:
        # Looked up as Synonym.clean() stores them (lower case, one space after each comma), so that
        # a group written another way in the file is still found on the next run.
        terms = ", ".join(split_terms(row["terms"]))
        synonym, outcome = _upsert(Synonym, {"terms": terms}, {})
        _finish(tally, synonym, outcome)


@transaction.atomic
def load_demo(data_dir: Path = DATA_DIR) -> dict:
    """Load (or bring back in line) every demo record from the data files, all or nothing.

    Raises DemoDataError, having written nothing, if a data file has a problem. Returns the totals
    created, updated and unchanged, and the same per model under "models".
    """
    data = read_demo_data(data_dir)
    tally = _Tally()
    needs = _load_needs(tally, data["need"])
    audiences = _load_audiences(tally, data["audience"])
    organisations = _load_organisations(tally, data["organisation"])
    services = _load_services(tally, data["service"], organisations, needs, audiences)
    sources = _load_sources(tally, data["source"])
    areas = _load_areas(tally, data["area"])
    _load_indicators(tally, data["indicator"], sources, areas, needs, services)
    _load_context_facts(tally, data["context_fact"], sources, needs, services)
    _load_synonyms(tally, data["synonym"])
    return tally.as_dict()
