"""What one Open Referral UK service record says, in our models' fields: reading only, no database.

A service is refused only when it lacks an id or a name, which Open Referral UK requires and we
cannot do without. Whatever else the feed leaves out stays empty, or, where our model needs a value,
is filled with words staff will recognise as needing completion, with a note in the report; nothing
is made up. A part that cannot be brought in (monthly hours, coordinates off the globe) is left out
with a note. Null and absent values mean the same; numbers may come as JSON numbers or numeric strings.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator

from initiatives.models import Location, ServiceArea, ServiceStatus

from ..schemas import RRULE_DAYS

STATUSES = {
    "active": ServiceStatus.ACTIVE,
    "inactive": ServiceStatus.TEMPORARILY_CLOSED,
    "temporarily closed": ServiceStatus.TEMPORARILY_CLOSED,
    "defunct": ServiceStatus.ENDED,
}
AREAS = {label.casefold(): value for value, label in ServiceArea.choices}  # our own API's area names
ORGANISATION_NUMBERS = {"GB-CHC": "charity_number", "GB-COH": "company_number"}  # org-id.guide schemes
NO_ORGANISATION_ID = "(no organisation)"  # the one placeholder for services that name none
DEFAULT_TOWN = Location._meta.get_field("town").default
FREE = "Free."  # how our own API starts the fees of a free service
SUMMARY_LENGTH = 300
PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n")
MICRODEGREE, PENNY = Decimal("0.000001"), Decimal("0.01")
PLACE = "place"  # in an hours or session row: the feed's id of the place it is at, or ""


class RecordProblem(Exception):
    """The service lacks something Open Referral UK requires: it is skipped, with this reason."""


@dataclass(frozen=True)
class TermReference:
    """A taxonomy term the feed tags a service with: its ids, and its names casefolded."""

    ids: frozenset[str]
    names: frozenset[str]
    link_type: str


@dataclass
class OrganisationPlan:
    external_id: str
    fields: dict | None  # None when the feed names the organisation by its id only
    placeholder: dict  # name and description for a new record when the feed gives none


@dataclass
class LocationPlan:
    external_id: str
    fields: dict


@dataclass
class ServicePlan:
    external_id: str
    fields: dict
    organisation: OrganisationPlan
    locations: list[LocationPlan]
    children: dict[str, list[dict]]  # each row's fields, by the child model's related name on Service
    terms: list[TermReference]
    notes: list[str] = field(default_factory=list)


def service_plan(item: dict, *, source: str) -> ServicePlan:
    """Everything the feed says about one service and its organisation, or RecordProblem."""
    external_id = identifier(item)
    if not external_id:
        raise RecordProblem("the service has no id")
    name = text(item, "name")
    if not name:
        raise RecordProblem("the service has no name")
    notes: list[str] = []
    weekly, dated = _schedules(item, notes)
    return ServicePlan(
        external_id=external_id,
        fields=_service_fields(item, name, source, notes),
        organisation=_organisation_plan(item, source),
        locations=_locations(item, notes),
        children={
            "schedules": weekly,
            "sessions": dated,
            "contacts": _contacts(item, notes),
            "cost_options": _cost_options(item, notes),
        },
        terms=_terms(item),
        notes=notes,
    )


def label(item: dict) -> str:
    """How the report names a service: its id and the start of its name."""
    return f"service {identifier(item) or '?'} ({' '.join(str(item.get('name') or '').split())[:60]})"


# Plain values -------------------------------------------------------------------------------------


def text(data: dict, key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def identifier(data: dict, key: str = "id") -> str:
    """An id, which a feed may give as a string or a whole number."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def organisation_id(item: dict) -> str:
    """The id of a service's organisation: its nested record's, else its organization_id."""
    nested = item.get("organization")
    return (identifier(nested) if isinstance(nested, dict) else "") or identifier(item, "organization_id")


def objects(data: dict, key: str) -> list[dict]:
    """The objects in a list the feed gives; anything else in it says nothing we can read."""
    value = data.get(key)
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def number(value) -> Decimal | None:
    """A finite number from a JSON number or a numeric string; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        parsed = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def _rounded(value: Decimal, step: Decimal) -> Decimal:
    """Rounded to the places our field keeps; a number too long to round is left for validation to refuse."""
    try:
        return value.quantize(step, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


def _first_phone(data: dict) -> str:
    return next((text(phone, "number") for phone in objects(data, "phones") if text(phone, "number")), "")


def _time(value) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


# The service ---------------------------------------------------------------------------------------


def _service_fields(item: dict, name: str, source: str, notes: list[str]) -> dict:
    summary, description = _summary_and_description(text(item, "description"), name, source)
    minimum_age, maximum_age = _ages(item, notes)
    # HSDS names it fees_description; the UK profile, and so our own API, fees.
    is_free, cost_description = _fees(text(item, "fees_description") or text(item, "fees"))
    languages = [text(language, "name") for language in objects(item, "languages")]
    return {
        "name": name,
        "summary": summary,
        "description": description,
        "status": _status(item, notes),
        "website": _website(text(item, "url")),
        "email": text(item, "email"),
        "phone": _first_phone(item),
        "minimum_age": minimum_age,
        "maximum_age": maximum_age,
        "eligibility": text(item, "eligibility_description"),
        "how_to_access": text(item, "application_process"),
        "is_free": is_free,
        "cost_description": cost_description,
        "languages": ", ".join(dict.fromkeys(filter(None, languages))),
        "service_area": _service_area(item),
    }


def _summary_and_description(description: str, name: str, source: str) -> tuple[str, str]:
    """Our one-line summary and the description, from the feed's one description.

    Our own API sends "summary, blank line, description", so a short one-line first paragraph is
    taken as the summary; otherwise the summary is the first line, cut short, and the description
    whole. With no description the summary is the name and the description asks staff for one.
    """
    if not description:
        return name, f"The {source} feed gave no description of this service. Write one before publishing."
    first, *rest = PARAGRAPH_BREAK.split(description, maxsplit=1)
    if rest and len(first.splitlines()) == 1 and len(first) <= SUMMARY_LENGTH:
        return " ".join(first.split()), rest[0].strip()
    first_line = " ".join(description.splitlines()[0].split())  # tabs too: a summary is one plain line
    return Truncator(first_line).chars(SUMMARY_LENGTH), description


def _status(item: dict, notes: list[str]) -> str:
    status = text(item, "status")
    known = STATUSES.get(" ".join(status.replace("_", " ").split()).casefold())
    if known is None:
        # Saved pages from older feeds often leave it out: staff confirm it while reviewing.
        notes.append(f"status “{status or 'none'}” is not one of Open Referral's; “active” assumed, check it")
    return known or ServiceStatus.ACTIVE


def _website(url: str) -> str:
    """The service's own website: our own API sends a service's page here when it has none."""
    return "" if url == settings.SITE_URL or url.startswith(settings.SITE_URL + "/") else url


def _ages(item: dict, notes: list[str]) -> tuple[int | None, int | None]:
    ages = []
    for key in ("minimum_age", "maximum_age"):
        raw, age = item.get(key), number(item.get(key))
        if age is not None and age == age.to_integral_value() and 0 <= age <= 150:
            ages.append(int(age))
            continue
        if raw not in (None, ""):
            notes.append(f"{key.replace('_', ' ')} {raw!r} is not an age in years; left empty")
        ages.append(None)
    minimum_age, maximum_age = ages
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        notes.append(f"ages {minimum_age} to {maximum_age} contradict each other; left empty")
        return None, None
    return minimum_age, maximum_age


def _fees(fees: str) -> tuple[bool, str]:
    if fees == FREE or fees.startswith(FREE + " "):
        return True, fees.removeprefix(FREE).strip()
    return False, fees


def _service_area(item: dict) -> str:
    names = (text(area, "name").casefold() for area in objects(item, "service_areas"))
    return next((AREAS[name] for name in names if name in AREAS), ServiceArea.PLACES)


def _terms(item: dict) -> list[TermReference]:
    references = []
    for attribute in objects(item, "attributes"):
        term = attribute.get("taxonomy_term")
        term = term if isinstance(term, dict) else {}
        ids = {identifier(term).lower(), identifier(attribute, "taxonomy_term_id").lower()} - {""}
        names = {text(term, "name").casefold(), text(term, "term").casefold()} - {""}
        references.append(
            TermReference(frozenset(ids), frozenset(names), text(attribute, "link_type").casefold())
        )
    return references


# The organisation ----------------------------------------------------------------------------------


def _organisation_plan(item: dict, source: str) -> OrganisationPlan:
    nested = item.get("organization")
    nested = nested if isinstance(nested, dict) else None
    external_id = organisation_id(item)
    if nested and not external_id:
        raise RecordProblem("its organization has no id")
    if not external_id:
        return OrganisationPlan(
            NO_ORGANISATION_ID,
            fields=None,
            placeholder={
                "name": Truncator(f"Services with no organisation ({source})").chars(200),
                "description": f"The {source} feed named no organisation for these services. Move each "
                "to the organisation that runs it before publishing.",
            },
        )
    placeholder = {
        "name": Truncator(f"Unnamed organisation {external_id} ({source})").chars(200),
        "description": f"The {source} feed gave only this organisation's id, {external_id}. Add its name "
        "and description before publishing.",
    }
    if nested is None:
        return OrganisationPlan(external_id, fields=None, placeholder=placeholder)
    numbers = {"charity_number": "", "company_number": ""}
    for entry in objects(nested, "organization_identifiers"):
        field_name = ORGANISATION_NUMBERS.get(text(entry, "identifier_scheme").upper())
        if field_name and not numbers[field_name]:
            numbers[field_name] = identifier(entry, "identifier")
    fields = {
        "name": text(nested, "name") or placeholder["name"],
        "description": text(nested, "description") or placeholder["description"],
        "website": text(nested, "website"),
        "email": text(nested, "email"),
        "phone": _first_phone(nested),
        **numbers,
    }
    return OrganisationPlan(external_id, fields=fields, placeholder=placeholder)


# Places ----------------------------------------------------------------------------------------------


def _locations(item: dict, notes: list[str]) -> list[LocationPlan]:
    plans = {}
    for link in objects(item, "service_at_locations"):
        location = link.get("location")
        if not isinstance(location, dict):
            notes.append(f"place {identifier(link, 'location_id') or '?'} is named by id only; left out")
            continue
        plan = _location(location, notes)
        if plan is not None:
            plans.setdefault(plan.external_id, plan)
    return list(plans.values())


def _location(location: dict, notes: list[str]) -> LocationPlan | None:
    external_id = identifier(location)
    kind = text(location, "location_type").casefold()
    if not external_id:
        notes.append("a place with no id was left out")
        return None
    if kind not in ("", "physical"):
        notes.append(f"place {external_id} is {kind}, not somewhere to go; left out")
        return None
    address = _main_address(location)
    name = text(location, "name") or text(address, "address_1") or text(address, "postal_code")
    if not name:
        notes.append(f"place {external_id} has no name or address; left out")
        return None
    town = text(address, "city")
    if not town:
        notes.append(f"place {external_id} has no town; {DEFAULT_TOWN} assumed, check it")
    latitude, longitude = _coordinates(location, external_id, notes)
    accessibility = (
        text(entry, "description") or text(entry, "accessibility")
        for entry in objects(location, "accessibility")
    )
    return LocationPlan(
        external_id,
        {
            "name": name,
            "address": "\n".join(filter(None, (text(address, "address_1"), text(address, "address_2")))),
            "town": town or DEFAULT_TOWN,
            "postcode": text(address, "postal_code"),
            "latitude": latitude,
            "longitude": longitude,
            "accessibility": "\n".join(filter(None, accessibility)),
        },
    )


def _main_address(location: dict) -> dict:
    """The address to visit: the physical one if the feed marks one, else the first."""
    addresses = objects(location, "addresses")
    addresses.sort(key=lambda address: text(address, "address_type").casefold() != "physical")
    return addresses[0] if addresses else {}


def _coordinates(location: dict, external_id: str, notes: list[str]) -> tuple[Decimal | None, Decimal | None]:
    raw = (location.get("latitude"), location.get("longitude"))
    if all(value in (None, "") for value in raw):
        return None, None
    latitude, longitude = (number(value) for value in raw)
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        notes.append(
            f"place {external_id}: {raw[0]}, {raw[1]} is not a point on Earth; coordinates left empty"
        )
        return None, None
    return _rounded(latitude, MICRODEGREE), _rounded(longitude, MICRODEGREE)


# Hours, contacts and costs -------------------------------------------------------------------------


def _schedules(item: dict, notes: list[str]) -> tuple[list[dict], list[dict]]:
    """Weekly hours (one row per day) and dated sessions; other patterns are left out with a note.

    Each row names its place by the feed's location id (PLACE), or "" when it is at none: a
    schedule names the service-at-location it belongs to, which the service's own list resolves.
    """
    places = {
        identifier(link): identifier(link["location"]) if isinstance(link.get("location"), dict) else ""
        for link in objects(item, "service_at_locations")
    }
    weekly, dated = [], []
    for schedule in objects(item, "schedules"):
        place = places.get(identifier(schedule, "service_at_location_id"), "")
        weekly_rows, dated_rows = _schedule_rows(schedule, notes)
        weekly += [{**row, PLACE: place} for row in weekly_rows]
        dated += [{**row, PLACE: place} for row in dated_rows]
    return weekly, dated


def _schedule_rows(schedule: dict, notes: list[str]) -> tuple[list[dict], list[dict]]:
    """One schedule as weekly rows or one dated session (the other list empty), or neither, noted."""
    what = f"schedule {identifier(schedule) or '?'}"
    opens_at, closes_at = _time(schedule.get("opens_at")), _time(schedule.get("closes_at"))
    frequency, days = text(schedule, "freq").upper(), text(schedule, "byday")
    start = _date(schedule.get("dtstart")) or _date(schedule.get("valid_from"))
    if opens_at is None or closes_at is None:
        notes.append(f"{what} has no opening and closing times; left out")
    elif frequency == "WEEKLY" or (not frequency and days):
        return _weekly(schedule, what, opens_at, closes_at, notes), []
    elif not frequency and start:
        end = _date(schedule.get("valid_to")) or start
        session = {
            "title": text(schedule, "description"),
            "starts_at": _moment(start, opens_at),
            "ends_at": _moment(end, closes_at),
        }
        return [], [session]
    else:
        notes.append(
            f"{what} ({frequency or 'no dates'}) is neither weekly hours nor a dated session; left out"
        )
    return [], []


def _weekly(
    schedule: dict, what: str, opens_at: datetime.time, closes_at: datetime.time, notes: list[str]
) -> list[dict]:
    interval = schedule.get("interval")
    days = [code.strip().upper() for code in text(schedule, "byday").split(",") if code.strip()]
    if interval not in (None, "") and number(interval) != 1:
        notes.append(f"{what} repeats every {interval} weeks; only weekly hours are imported; left out")
        return []
    if not days or any(day not in RRULE_DAYS for day in days):
        notes.append(f"{what} has days “{text(schedule, 'byday')}”, not MO to SU; left out")
        return []
    # Wall-clock hours: a weekly time is local whatever offset a feed writes on it.
    opens_at, closes_at = opens_at.replace(tzinfo=None), closes_at.replace(tzinfo=None)
    note = text(schedule, "description")
    return [
        {"weekday": RRULE_DAYS.index(day), "opens_at": opens_at, "closes_at": closes_at, "note": note}
        for day in dict.fromkeys(days)
    ]


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and a time as one moment, in local time unless the feed gave an offset."""
    moment = datetime.datetime.combine(day, time)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _contacts(item: dict, notes: list[str]) -> list[dict]:
    rows = []
    for contact in objects(item, "contacts"):
        name, title = text(contact, "name"), text(contact, "title")
        if not (name or title):
            notes.append(f"contact {identifier(contact) or '?'} has no name or title; left out")
            continue
        rows.append(
            {
                "name": name or title,
                "role": title if name else "",
                "email": text(contact, "email"),
                "phone": _first_phone(contact),
            }
        )
    return rows


def _cost_options(item: dict, notes: list[str]) -> list[dict]:
    rows = []
    for option in objects(item, "cost_options"):
        what, concessions = text(option, "option"), text(option, "amount_description")
        amount = _amount(option, notes)
        if what or concessions or amount is not None:
            rows.append(
                {
                    "description": what or concessions or "Cost",
                    "amount": amount,
                    "concessions": concessions if what else "",
                }
            )
    return rows


def _amount(option: dict, notes: list[str]) -> Decimal | None:
    raw, currency = option.get("amount"), text(option, "currency").upper()
    if raw in (None, ""):
        return None
    amount = number(raw)
    if amount is None or currency not in ("", "GBP"):
        notes.append(
            f"cost {identifier(option) or '?'}: {raw} {currency} is not an amount in pounds; left empty"
        )
        return None
    return _rounded(amount, PENNY)
