"""Open Referral UK 3.0 shapes of our records, declared once: ninja serialises with them and
publishes them in /api/openapi.json, so the document and the responses cannot disagree.

The shapes follow the official UK profile schemas (vendored in tests/opendata/oruk_spec, which the
tests validate every endpoint against): an absent optional value is left out rather than sent as
null (the schemas allow only a string or number there; the API serialises with exclude_none),
coordinates and prices are JSON numbers, and terms carry the `name` the profile requires.

Records are read from querysets prepared in opendata/queries.py (related rows prefetched), so each
resolver below reads memory, never the database.
"""

import datetime
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema

from initiatives.addresses import slug_address
from initiatives.models import ServiceArea, ServiceStatus

from .identifiers import AUDIENCES_TAXONOMY_ID, NEEDS_TAXONOMY_ID, derived_id, service_at_location_id

# Our statuses in the Open Referral codelist (active, inactive, defunct, temporarily closed).
ORUK_STATUS = {
    ServiceStatus.ACTIVE: "active",
    ServiceStatus.PLANNED: "inactive",
    ServiceStatus.TEMPORARILY_CLOSED: "temporarily closed",
    ServiceStatus.ENDED: "defunct",
}
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # index = our Weekday value
NEEDS_TAXONOMY_NAME = "MK Directory needs"
AUDIENCES_TAXONOMY_NAME = "MK Directory audiences"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def page_address(view_name: str, slug: str) -> str:
    """The whole address of a page named by a slug: a page of 100 services asks for 200 of them."""
    return absolute(slug_address(view_name, slug))


def _or_none(value: str) -> str | None:
    return value or None


class Page(Schema):
    """The Open Referral UK paging envelope."""

    total_items: int = Field(..., description="How many records match, on all pages.")
    total_pages: int
    page_number: int
    size: int = Field(..., description="How many records this page holds.")
    first_page: bool
    last_page: bool
    empty: bool = Field(..., description="True when this page holds no records.")


class ErrorOut(Schema):
    message: str = Field(..., description="What was wrong with the request, in plain words.")
    errors: list[dict] = Field(default_factory=list, description="One entry per bad parameter.")


class ApiInfo(Schema):
    version: str = Field(..., description="The Open Referral UK version this API follows.")
    profile: str = Field(..., description="Where the profile is described.")
    openapi_url: str = Field(..., description="This API's own OpenAPI document.")


# Taxonomies ---------------------------------------------------------------------------------------


class TaxonomyOut(Schema):
    id: UUID
    name: str
    description: str
    uri: str | None = None
    version: str | None = None


class TaxonomyTermOut(Schema):
    """A need or an audience, as a term in one of our two taxonomies."""

    id: UUID = Field(..., alias="uuid")
    name: str
    term: str = Field(..., description="The same as name (HSDS 3.0 calls it term).")
    description: str
    parent_id: UUID | None = None
    taxonomy: str
    taxonomy_id: UUID
    term_uri: str | None = None

    @staticmethod
    def resolve_term(term):
        return term.name

    @staticmethod
    def resolve_parent_id(term):
        parent = getattr(term, "parent", None)
        return parent.uuid if parent is not None else None

    @staticmethod
    def resolve_taxonomy(term):
        return NEEDS_TAXONOMY_NAME if _is_need(term) else AUDIENCES_TAXONOMY_NAME

    @staticmethod
    def resolve_taxonomy_id(term):
        return NEEDS_TAXONOMY_ID if _is_need(term) else AUDIENCES_TAXONOMY_ID

    @staticmethod
    def resolve_term_uri(term):
        return absolute(term.get_absolute_url()) if _is_need(term) else None


def _is_need(term) -> bool:
    return term._meta.model_name == "need"


class AttributeOut(Schema):
    """A link between a service and a taxonomy term: what it helps with, or who it is for."""

    id: UUID
    link_id: UUID
    link_type: str = Field(..., description="'need' (what it helps with) or 'audience' (who it is for).")
    link_entity: str = "service"
    taxonomy_term_id: UUID
    taxonomy_term: TaxonomyTermOut


# Organisations ------------------------------------------------------------------------------------


class PhoneOut(Schema):
    id: UUID
    number: str


class OrganizationIdentifierOut(Schema):
    id: UUID
    identifier_scheme: str
    identifier_type: str
    identifier: str


class OrganizationOut(Schema):
    id: UUID = Field(..., alias="uuid")
    name: str
    description: str
    email: str | None = None
    website: str | None = None
    logo: str | None = None
    uri: str
    parent_organization_id: UUID | None = None
    last_modified: datetime.datetime = Field(..., alias="updated_at")

    @staticmethod
    def resolve_email(organisation):
        return _or_none(organisation.email)

    @staticmethod
    def resolve_website(organisation):
        return _or_none(organisation.website)

    @staticmethod
    def resolve_logo(organisation):
        return absolute(organisation.logo.url) if organisation.logo else None

    @staticmethod
    def resolve_uri(organisation):
        return page_address("initiatives:organisation_detail", organisation.slug)

    @staticmethod
    def resolve_parent_organization_id(organisation):
        parent = organisation.parent
        return parent.uuid if parent is not None and parent.is_published else None


class OrganizationFullOut(OrganizationOut):
    organization_identifiers: list[OrganizationIdentifierOut]
    phones: list[PhoneOut]

    @staticmethod
    def resolve_organization_identifiers(organisation):
        identifiers = []
        if organisation.charity_number:
            identifiers.append(("GB-CHC", "Charity number", organisation.charity_number))
        if organisation.company_number:
            identifiers.append(("GB-COH", "Company number", organisation.company_number))
        return [
            {
                "id": derived_id(organisation.uuid, "identifier", scheme),
                "identifier_scheme": scheme,
                "identifier_type": kind,
                "identifier": number,
            }
            for scheme, kind, number in identifiers
        ]

    @staticmethod
    def resolve_phones(organisation):
        return _phones(organisation.uuid, organisation.phone)


def _dated_schedule(service, session) -> dict:
    """A dated session as a one-off schedule, in Milton Keynes time: ORUK times carry no zone."""
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "id": derived_id(service.uuid, "session", session.pk),
        "service_at_location_id": _at_place(service, session.location),
        "dtstart": starts.date(),
        "valid_from": starts.date(),
        "valid_to": ends.date(),
        "opens_at": starts.time(),
        "closes_at": ends.time(),
        "description": _or_none(session.title),
    }


def _at_place(service, location) -> UUID | None:
    return service_at_location_id(service.uuid, location.uuid) if location is not None else None


def _phones(owner_id: UUID, number: str) -> list[dict]:
    return [{"id": derived_id(owner_id, "phone"), "number": number}] if number else []


# Locations ----------------------------------------------------------------------------------------


class AddressOut(Schema):
    id: UUID
    address_1: str
    city: str
    state_province: str = Field(..., description="The county (setting ORUK_STATE_PROVINCE).")
    postal_code: str
    country: str = "GB"
    address_type: str = "physical"


class AccessibilityOut(Schema):
    id: UUID
    description: str


class LocationOut(Schema):
    id: UUID = Field(..., alias="uuid")
    location_type: str = "physical"
    name: str
    latitude: float | None = None
    longitude: float | None = None
    addresses: list[AddressOut]
    accessibility: list[AccessibilityOut]

    @staticmethod
    def resolve_addresses(location):
        lines = [line.strip() for line in location.address.splitlines() if line.strip()]
        if not lines and not location.postcode:
            return []  # a place named but not yet addressed: no half-empty address
        return [
            {
                "id": derived_id(location.uuid, "address"),
                "address_1": ", ".join(lines),
                "city": location.town,
                "state_province": settings.ORUK_STATE_PROVINCE,
                "postal_code": location.postcode,
            }
        ]

    @staticmethod
    def resolve_accessibility(location):
        if not location.accessibility:
            return []
        return [{"id": derived_id(location.uuid, "accessibility"), "description": location.accessibility}]


# Services -----------------------------------------------------------------------------------------


class ServiceListOut(Schema):
    """A service with its one-to-one fields and its organisation, as list endpoints give it."""

    id: UUID = Field(..., alias="uuid")
    organization_id: UUID
    name: str
    description: str
    url: str = Field(..., description="The service's own website, or its page in this directory.")
    email: str | None = None
    status: str = Field(..., description="active, inactive (starting soon), defunct or temporarily closed.")
    minimum_age: int | None = None
    maximum_age: int | None = None
    assured_date: datetime.date | None = Field(None, alias="last_verified_on")
    last_modified: datetime.datetime = Field(..., alias="updated_at")
    organization: OrganizationOut = Field(..., alias="organisation")

    @staticmethod
    def resolve_organization_id(service):
        return service.organisation.uuid

    @staticmethod
    def resolve_description(service):
        return f"{service.summary}\n\n{service.description}".strip()

    @staticmethod
    def resolve_url(service):
        return service.website or page_address("initiatives:service_detail", service.slug)

    @staticmethod
    def resolve_email(service):
        return _or_none(service.email)

    @staticmethod
    def resolve_status(service):
        return ORUK_STATUS[service.status]


class ScheduleOut(Schema):
    id: UUID
    service_at_location_id: UUID | None = Field(None, description="The place these hours are at, if one.")
    freq: str = "WEEKLY"
    interval: int = 1
    byday: str
    opens_at: datetime.time
    closes_at: datetime.time
    description: str | None = None


class DatedScheduleOut(Schema):
    id: UUID
    service_at_location_id: UUID | None = Field(None, description="The place it is at, if one.")
    dtstart: datetime.date
    valid_from: datetime.date
    valid_to: datetime.date
    opens_at: datetime.time
    closes_at: datetime.time
    description: str | None = None


class ServiceAtLocationRef(Schema):
    id: UUID
    location: LocationOut


class ServiceAreaOut(Schema):
    id: UUID
    name: str
    extent_type: str = "text"


class LanguageOut(Schema):
    id: UUID
    name: str


class CostOptionOut(Schema):
    id: UUID
    option: str
    amount: float | None = Field(None, description="In pounds, when the price is a fixed amount.")
    currency: str = "GBP"
    amount_description: str | None = Field(None, description="Concessions: who pays less.")


class ContactOut(Schema):
    id: UUID
    name: str
    title: str | None = None
    email: str | None = None
    phones: list[PhoneOut]


class ServiceOut(ServiceListOut):
    """A fully nested service."""

    eligibility_description: str | None = None
    application_process: str | None = None
    fees: str | None = Field(None, description="What it costs, in words (the UK profile's name).")
    phones: list[PhoneOut]
    schedules: list[ScheduleOut | DatedScheduleOut]
    service_areas: list[ServiceAreaOut]
    service_at_locations: list[ServiceAtLocationRef]
    languages: list[LanguageOut]
    cost_options: list[CostOptionOut]
    contacts: list[ContactOut]
    attributes: list[AttributeOut]

    @staticmethod
    def resolve_eligibility_description(service):
        return _or_none(service.eligibility)

    @staticmethod
    def resolve_application_process(service):
        return _or_none(service.how_to_access)

    @staticmethod
    def resolve_fees(service):
        return _or_none(
            " ".join(filter(None, ["Free." if service.is_free else "", service.cost_description]))
        )

    @staticmethod
    def resolve_phones(service):
        return _phones(service.uuid, service.phone)

    @staticmethod
    def resolve_schedules(service):
        weekly = [
            {
                "id": derived_id(service.uuid, "schedule", schedule.pk),
                "service_at_location_id": _at_place(service, schedule.location),
                "byday": RRULE_DAYS[schedule.weekday],
                "opens_at": schedule.opens_at,
                "closes_at": schedule.closes_at,
                "description": _or_none(schedule.note),
            }
            for schedule in service.schedules.all()
        ]
        return weekly + [_dated_schedule(service, session) for session in service.sessions.all()]

    @staticmethod
    def resolve_service_areas(service):
        if service.service_area == ServiceArea.PLACES:
            return []
        return [{"id": derived_id(service.uuid, "area"), "name": service.get_service_area_display()}]

    @staticmethod
    def resolve_service_at_locations(service):
        return [
            {"id": _at_place(service, location), "location": location} for location in service.locations.all()
        ]

    @staticmethod
    def resolve_languages(service):
        names = [name.strip() for name in service.languages.split(",") if name.strip()]
        return [{"id": derived_id(service.uuid, "language", name), "name": name} for name in names]

    @staticmethod
    def resolve_cost_options(service):
        return [
            {
                "id": derived_id(service.uuid, "cost", option.pk),
                "option": option.description,
                "amount": option.amount,
                # ORUK's words for what a price depends on: our concessions.
                "amount_description": _or_none(option.concessions),
            }
            for option in service.cost_options.all()
        ]

    @staticmethod
    def resolve_contacts(service):
        return [
            {
                "id": derived_id(service.uuid, "contact", contact.pk),
                "name": contact.name,
                "title": _or_none(contact.role),
                "email": _or_none(contact.email),
                "phones": _phones(derived_id(service.uuid, "contact", contact.pk), contact.phone),
            }
            for contact in service.contacts.all()
        ]

    @staticmethod
    def resolve_attributes(service):
        links = [("need", term) for term in service.needs.all()]
        links += [("audience", term) for term in service.audiences.all()]
        return [
            {
                "id": derived_id(service.uuid, link_type, term.uuid),
                "link_id": service.uuid,
                "link_type": link_type,
                "taxonomy_term_id": term.uuid,
                "taxonomy_term": term,
            }
            for link_type, term in links
        ]


class ServiceMinimalOut(Schema):
    """A service as `minimal=true` lists it: enough to see what changed since the last copy."""

    id: UUID = Field(..., alias="uuid")
    last_modified: datetime.datetime = Field(..., alias="updated_at")


class ServiceAtLocationOut(Schema):
    """One service at one of its places, as /service_at_locations lists them."""

    id: UUID
    service_id: UUID
    location_id: UUID
    service: ServiceListOut
    location: LocationOut

    @staticmethod
    def resolve_service_id(link):
        return link["service"].uuid

    @staticmethod
    def resolve_location_id(link):
        return link["location"].uuid


class ServiceAtLocationFullOut(ServiceAtLocationOut):
    service: ServiceOut


class OrganizationWithServicesOut(OrganizationFullOut):
    services: list[ServiceListOut] = Field(..., description="Its published services.")

    @staticmethod
    def resolve_services(organisation):
        return organisation.published_services


class OrganizationWithFullServicesOut(OrganizationWithServicesOut):
    services: list[ServiceOut] = Field(..., description="Its published services, fully nested.")


# Indicators (our extension) -----------------------------------------------------------------------


class SourceOut(Schema):
    publisher: str
    title: str
    url: str | None = None
    published: str | None = Field(None, alias="published_label")
    licence: str | None = None

    @staticmethod
    def resolve_url(source):
        return _or_none(source.url)

    @staticmethod
    def resolve_licence(source):
        return _or_none(source.licence)


class AreaOut(Schema):
    name: str
    code: str = Field(..., description="ONS GSS code.")


class DataPointOut(Schema):
    area: AreaOut
    period: str = Field(..., alias="period_label")
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal | None = None
    lower_limit: Decimal | None = None
    upper_limit: Decimal | None = None
    sample_size: int | None = None
    rank: int | None = None
    rank_out_of: int | None = None
    note: str | None = Field(None, alias="status_note")
    source: SourceOut

    @staticmethod
    def resolve_source(point):
        return point.cited_source

    @staticmethod
    def resolve_note(point):
        return _or_none(point.status_note)


class IndicatorListOut(Schema):
    slug: str
    title: str
    definition: str
    why_it_matters: str
    value_type: str
    unit: str
    polarity: str
    source: SourceOut
    uri: str
    last_modified: datetime.datetime = Field(..., alias="updated_at")

    @staticmethod
    def resolve_uri(indicator):
        return absolute(indicator.get_absolute_url())


class IndicatorOut(IndicatorListOut):
    frequency: str
    caveats: str
    data_points: list[DataPointOut]

    @staticmethod
    def resolve_data_points(indicator):
        return indicator.figures


# Pages --------------------------------------------------------------------------------------------


class ServicePage(Page):
    contents: list[ServiceListOut]


class ServiceFullPage(Page):
    contents: list[ServiceOut]


class ServiceMinimalPage(Page):
    contents: list[ServiceMinimalOut]


class ServiceAtLocationPage(Page):
    contents: list[ServiceAtLocationOut]


class ServiceAtLocationFullPage(Page):
    contents: list[ServiceAtLocationFullOut]


class OrganizationPage(Page):
    contents: list[OrganizationOut]


class OrganizationFullPage(Page):
    contents: list[OrganizationWithServicesOut]


class OrganizationFullServicesPage(Page):
    contents: list[OrganizationWithFullServicesOut]


class TaxonomyPage(Page):
    contents: list[TaxonomyOut]


class TaxonomyTermPage(Page):
    contents: list[TaxonomyTermOut]


class IndicatorPage(Page):
    contents: list[IndicatorListOut]
