"""A read-only Open Referral UK 3.0 API of the published directory, with our indicators as an extension.

No key is needed and any website may call it (see opendata.middleware). Ids are the records'
stable `uuid` fields; link records get ids derived from them (opendata/identifiers.py). Lists hold
every *published* record, ended services included with the status "defunct", so that another
directory can keep its copy in step.
"""

from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError

from indicators.models import Indicator
from initiatives.geo import Point
from initiatives.postcodes import postcode_point

from . import queries
from .identifiers import AUDIENCES_TAXONOMY_ID, NEEDS_TAXONOMY_ID
from .params import (
    ListParams,
    OrganizationDetailParams,
    OrganizationParams,
    ServiceListParams,
    ServiceParams,
    TaxonomyParams,
    TaxonomyTermParams,
)
from .rendering import listing, record
from .schemas import (
    AUDIENCES_TAXONOMY_NAME,
    NEEDS_TAXONOMY_NAME,
    ApiInfo,
    ErrorOut,
    IndicatorListOut,
    IndicatorOut,
    IndicatorPage,
    OrganizationFullPage,
    OrganizationFullServicesPage,
    OrganizationOut,
    OrganizationPage,
    OrganizationWithFullServicesOut,
    OrganizationWithServicesOut,
    ServiceAtLocationFullOut,
    ServiceAtLocationFullPage,
    ServiceAtLocationOut,
    ServiceAtLocationPage,
    ServiceFullPage,
    ServiceListOut,
    ServiceMinimalOut,
    ServiceMinimalPage,
    ServiceOut,
    ServicePage,
    TaxonomyOut,
    TaxonomyPage,
    TaxonomyTermOut,
    TaxonomyTermPage,
    absolute,
)

# The validator reads the standard's version from "/" in this form ("HSDS-UK-3.0" means 3.0) and
# tests the feed against that version's official OpenAPI document.
ORUK_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
TAXONOMIES = [
    {
        "id": NEEDS_TAXONOMY_ID,
        "name": NEEDS_TAXONOMY_NAME,
        "description": "What a resident needs help with, such as finding work or digital skills. A tree.",
    },
    {
        "id": AUDIENCES_TAXONOMY_ID,
        "name": AUDIENCES_TAXONOMY_NAME,
        "description": "Who a service is for, such as care workers or people out of work.",
    },
]
BAD_REQUEST = {400: ErrorOut}
# Lists answer format=ndjson with one record per line: documented beside the JSON page.
STREAMS_NDJSON = {
    "responses": {
        200: {
            "content": {
                "application/x-ndjson": {
                    "schema": {"type": "string", "description": "One JSON record per line, no page."}
                }
            }
        }
    }
}
NOT_FOUND = {404: ErrorOut}

api = NinjaAPI(
    title="MK Directory Open Referral UK API",
    version="3.0",
    description=(
        "Community support in Milton Keynes, in the Open Referral UK 3.0 profile. Read-only, no key. "
        "Lists are paged (page, per_page up to 100), or streamed whole with format=ndjson, and hold "
        "published records only; ended services are included with the status 'defunct'. Absent "
        "optional values are left out. Needs and audiences are the terms of two taxonomies. "
        "Extension: /indicators, the local figures (with their sources and licences) that show why "
        "the services matter."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from another site, which our CSP forbids
)


@api.exception_handler(ValidationError)
def bad_parameters(request, error: ValidationError):
    """Bad query parameters are the caller's mistake: say which, with a 400 (ninja's default is 422)."""
    problems = [
        {"parameter": ".".join(str(part) for part in problem["loc"][1:]), "message": problem["msg"]}
        for problem in error.errors
    ]
    message = "; ".join(f"{problem['parameter']}: {problem['message']}" for problem in problems)
    return api.create_response(request, {"message": message, "errors": problems}, status=400)


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(
        request, {"message": "No published record has that id.", "errors": []}, status=404
    )


class BadParameter(Exception):
    """A parameter that passed its type check but means nothing here, such as an unknown postcode."""


@api.exception_handler(BadParameter)
def bad_parameter(request, error):
    return api.create_response(request, {"message": str(error), "errors": []}, status=400)


@api.get("/", response=ApiInfo, summary="About this API", tags=["required"])
def api_info(request):
    return {
        "version": ORUK_VERSION,
        "profile": PROFILE_URL,
        "openapi_url": absolute(reverse("api:openapi-json")),
    }


@api.get(
    "/services",
    response={200: ServicePage | ServiceFullPage | ServiceMinimalPage, **BAD_REQUEST},
    summary="Services, paged",
    tags=["required"],
    openapi_extra=STREAMS_NDJSON,
)
def list_services(request, params: Query[ServiceListParams]):
    services = queries.services_filtered(
        queries.services_in_full() if params.full else queries.services_for_list(),
        params,
        centre=_located(params),
    )
    if params.minimal:
        just_ids = services.select_related(None).prefetch_related(None).only("uuid", "updated_at")
        return listing(just_ids, params, ServiceMinimalOut)
    return listing(services, params, ServiceOut if params.full else ServiceListOut)


@api.get(
    "/services/{id}",
    response={200: ServiceOut, **BAD_REQUEST, **NOT_FOUND},
    summary="One fully nested service",
    tags=["required"],
)
def get_service(request, id: UUID):
    return record(get_object_or_404(queries.services_in_full(), uuid=id), ServiceOut)


@api.get(
    "/service_at_locations",
    response={200: ServiceAtLocationPage | ServiceAtLocationFullPage, **BAD_REQUEST},
    summary="Services at each of their places, paged",
    tags=["optional"],
    openapi_extra=STREAMS_NDJSON,
)
def list_service_at_locations(request, params: Query[ServiceParams]):
    services = queries.services_filtered(queries.services_for_list(), params, centre=_located(params))
    links = queries.service_at_locations(services, full=params.full)
    schema = ServiceAtLocationFullOut if params.full else ServiceAtLocationOut
    return listing(links, params, schema, each=queries.as_service_at_location)


@api.get(
    "/service_at_locations/{id}",
    response={200: ServiceAtLocationFullOut, **BAD_REQUEST, **NOT_FOUND},
    summary="One service at one of its places, the service fully nested",
    tags=["optional"],
)
def get_service_at_location(request, id: UUID):
    link = queries.service_at_location(id)
    if link is None:
        raise Http404
    return record(link, ServiceAtLocationFullOut)


@api.get(
    "/organizations",
    response={200: OrganizationPage | OrganizationFullPage | OrganizationFullServicesPage, **BAD_REQUEST},
    summary="Organisations, paged",
    tags=["optional"],
    openapi_extra=STREAMS_NDJSON,
)
def list_organizations(request, params: Query[OrganizationParams]):
    full = params.full or params.full_service
    services = _services_of_organisations(params.full_service) if full else None
    organisations = queries.matching(queries.organisations_for_api(services=services), params.search)
    if params.modified_after:
        organisations = organisations.filter(updated_at__gte=params.modified_after)
    return listing(organisations, params, _organisation_schema(full, params.full_service))


@api.get(
    "/organizations/{id}",
    response={200: OrganizationWithServicesOut | OrganizationWithFullServicesOut, **BAD_REQUEST, **NOT_FOUND},
    summary="One organisation with its identifiers, phones and services",
    tags=["optional"],
)
def get_organization(request, id: UUID, params: Query[OrganizationDetailParams]):
    organisations = queries.organisations_for_api(services=_services_of_organisations(params.full_service))
    organisation = get_object_or_404(organisations, uuid=id)
    return record(organisation, _organisation_schema(True, params.full_service))


@api.get(
    "/taxonomies",
    response={200: TaxonomyPage, **BAD_REQUEST},
    summary="Our two taxonomies: needs and audiences",
    tags=["required"],
    openapi_extra=STREAMS_NDJSON,
)
def list_taxonomies(request, params: Query[TaxonomyParams]):
    words = (params.search or "").lower().split()
    taxonomies = [
        taxonomy
        for taxonomy in TAXONOMIES
        if all(word in f"{taxonomy['name']} {taxonomy['description']}".lower() for word in words)
    ]
    return listing(taxonomies, params, TaxonomyOut)


@api.get(
    "/taxonomies/{id}",
    response={200: TaxonomyOut, **BAD_REQUEST, **NOT_FOUND},
    summary="One taxonomy",
    tags=["required"],
)
def get_taxonomy(request, id: UUID):
    for taxonomy in TAXONOMIES:
        if taxonomy["id"] == id:
            return record(taxonomy, TaxonomyOut)
    raise Http404


@api.get(
    "/taxonomy_terms",
    response={200: TaxonomyTermPage, **BAD_REQUEST},
    summary="Needs and audiences as taxonomy terms, paged",
    tags=["required"],
    openapi_extra=STREAMS_NDJSON,
)
def list_taxonomy_terms(request, params: Query[TaxonomyTermParams]):
    return listing(queries.taxonomy_terms(params), params, TaxonomyTermOut)


@api.get(
    "/taxonomy_terms/{id}",
    response={200: TaxonomyTermOut, **BAD_REQUEST, **NOT_FOUND},
    summary="One taxonomy term",
    tags=["required"],
)
def get_taxonomy_term(request, id: UUID):
    term = queries.taxonomy_term(id)
    if term is None:
        raise Http404
    return record(term, TaxonomyTermOut)


@api.get(
    "/indicators",
    response={200: IndicatorPage, **BAD_REQUEST},
    summary="Extension: the local figures, paged",
    tags=["extension"],
    openapi_extra=STREAMS_NDJSON,
)
def list_indicators(request, params: Query[ListParams]):
    return listing(queries.indicators_for_api(), params, IndicatorListOut)


@api.get(
    "/indicators/{slug}",
    response={200: IndicatorOut, **BAD_REQUEST, **NOT_FOUND},
    summary="Extension: one local figure with every data point, its source and licence",
    tags=["extension"],
)
def get_indicator(request, slug: str):
    return record(get_object_or_404(Indicator.objects.published().with_figures(), slug=slug), IndicatorOut)


def _services_of_organisations(full_service: bool):
    return queries.services_in_full() if full_service else queries.services_for_list()


def _organisation_schema(full: bool, full_service: bool):
    if full_service:
        return OrganizationWithFullServicesOut
    return OrganizationWithServicesOut if full else OrganizationOut


def _located(params: ServiceParams) -> Point | None:
    """The centre of the postcode asked for, or None; a postcode we cannot place is a 400."""
    if params.proximity is not None and not params.postcode:
        raise BadParameter("proximity: give a postcode too; proximity is a distance from it.")
    if not params.postcode:
        return None
    try:
        _, point = postcode_point(params.postcode)
    except DjangoValidationError as error:
        raise BadParameter(f"postcode: {' '.join(error.messages)}") from error
    return point
