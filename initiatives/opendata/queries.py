"""What the API reads: published records only, each list in a fixed number of queries per page."""

import math
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from indicators.models import Indicator
from initiatives.caching import cached
from initiatives.geo import Point
from initiatives.models import Audience, DatedSession, Location, Need, Organisation, Schedule, Service
from initiatives.search.engine import TextSearch

from .identifiers import AUDIENCES_TAXONOMY_ID, NEEDS_TAXONOMY_ID, service_at_location_id
from .params import ServiceParams, TaxonomyTermParams

METRES_PER_MILE = 1609.344
# The most rows a page fetches by id: SQLite joins a longer list of ids badly (a page of 1,000 minimal
# services takes four times as long as slicing), while 100 take a millisecond.
ROWS_BY_ID = 100


@dataclass
class ApiPage:
    items: list
    total_items: int
    page_number: int
    per_page: int

    def envelope(self) -> dict:
        total_pages = math.ceil(self.total_items / self.per_page)
        return {
            "total_items": self.total_items,
            "total_pages": total_pages,
            "page_number": self.page_number,
            "size": len(self.items),
            "first_page": self.page_number == 1,
            "last_page": self.page_number >= total_pages,
            "empty": not self.items,
            "contents": self.items,
        }


def paginate(rows, *, page: int, per_page: int) -> dict:
    """Slice a queryset (or list) to one page.

    A queryset's ids, in order, are worked out once per change of the directory (caching.py) and
    kept under its SQL: counting and ordering every matching row is most of a page's database time,
    while fetching one page's rows by id is quick. The rows are read through the queryset itself,
    so a record hidden since the ids were kept drops out at once.
    """
    start = (page - 1) * per_page
    if isinstance(rows, list):
        return ApiPage(rows[start : start + per_page], len(rows), page, per_page).envelope()
    if per_page > ROWS_BY_ID:
        total = rows.count()
        items = list(rows[start : start + per_page]) if start < total else []
        return ApiPage(items, total, page, per_page).envelope()
    ids = _ordered_ids(rows)
    wanted = ids[start : start + per_page]
    found = {row.pk: row for row in rows.filter(pk__in=wanted)} if wanted else {}
    items = [found[pk] for pk in wanted if pk in found]
    return ApiPage(items, len(ids), page, per_page).envelope()


def _ordered_ids(rows: QuerySet) -> list:
    try:
        sql, sql_params = rows.query.sql_with_params()
    except EmptyResultSet:  # a filter that nothing can match, such as an unknown taxonomy id
        return []
    ids = rows.prefetch_related(None).values_list("pk", flat=True)
    return cached(f"api:ids:{sql}:{sql_params!r}", lambda: list(ids))


# Services -----------------------------------------------------------------------------------------


def services_for_list() -> QuerySet:
    return Service.objects.published().select_related("organisation__parent").order_by("name", "pk")


def services_in_full() -> QuerySet:
    """Published services with every related row a fully nested service shows, prefetched."""
    return services_for_list().prefetch_related(*_FULL_SERVICE_ROWS)


_FULL_SERVICE_ROWS = [
    Prefetch("needs", queryset=Need.objects.select_related("parent")),
    "audiences",
    Prefetch("locations", queryset=Location.objects.order_by("name", "pk")),
    "cost_options",
    "contacts",
    Prefetch(
        "schedules", queryset=Schedule.objects.select_related("location").order_by("weekday", "opens_at")
    ),
    Prefetch("sessions", queryset=DatedSession.objects.select_related("location").order_by("starts_at")),
]


def services_filtered(services: QuerySet, params: ServiceParams, *, centre: Point | None = None) -> QuerySet:
    """Apply the Open Referral UK filters; each one narrows the results (they AND together).

    With a postcode (`centre`), results come nearest first, as on the public list; with a proximity
    too, only services with a place that near, or that anyone in Milton Keynes can use, are kept.
    """
    if params.search:
        services = TextSearch(params.search).filter(services)
    if params.taxonomy_term_id:
        services = _with_term(services, params.taxonomy_term_id)
    if params.taxonomy_id:
        services = _with_taxonomy(services, params.taxonomy_id)
    if params.organization_id:
        services = services.filter(organisation__uuid=params.organization_id)
    if params.minimum_age is not None:
        services = services.filter(minimum_age__gte=params.minimum_age)
    if params.maximum_age is not None:
        services = services.filter(maximum_age__lte=params.maximum_age)
    if params.day or params.start_time or params.end_time:
        services = services.filter(Exists(_schedules_matching(params)))
    if params.modified_after:
        services = services.filter(updated_at__gte=params.modified_after)
    if centre is not None:
        miles = params.proximity / METRES_PER_MILE if params.proximity else None
        if miles:
            services = services.within(centre, miles)
        # The public list's "nearest first": places by distance, then services usable from anywhere.
        services = services.with_distance(centre, miles).order_by(
            F("nearest_distance").asc(nulls_last=True), F("reaches_anywhere").desc(), "name", "pk"
        )
    return services


def _with_term(services: QuerySet, term_id: UUID) -> QuerySet:
    """Services tagged with a need (or any need below it) or an audience; an unknown id matches none."""
    need = Need.objects.filter(uuid=term_id).first()
    if need is not None:
        return services.with_needs(Need.with_descendants([need]))
    audience = Audience.objects.filter(uuid=term_id).first()
    if audience is not None:
        return services.with_audiences([audience.pk])
    return services.none()


def _with_taxonomy(services: QuerySet, taxonomy_id: UUID) -> QuerySet:
    through = {NEEDS_TAXONOMY_ID: Service.needs.through, AUDIENCES_TAXONOMY_ID: Service.audiences.through}
    if taxonomy_id not in through:
        return services.none()
    return services.filter(Exists(through[taxonomy_id].objects.filter(service=OuterRef("pk"))))


def _schedules_matching(params: ServiceParams) -> QuerySet:
    """Weekly hours on the day asked for, opening no earlier than start_time and closing by end_time."""
    schedules = Schedule.objects.filter(service=OuterRef("pk"))
    if params.day:
        schedules = schedules.filter(weekday=params.weekday)
    if params.start_time:
        schedules = schedules.filter(opens_at__gte=params.start_time)
    if params.end_time:
        schedules = schedules.filter(closes_at__lte=params.end_time)
    return schedules


ServiceLocation = Service.locations.through


def service_at_locations(services: QuerySet, *, full: bool = False) -> QuerySet:
    """Each published service at each of its places, as rows of the link table."""
    links = (
        ServiceLocation.objects.filter(service__in=services.values("pk"))
        .select_related("service__organisation__parent", "location")
        .order_by("service__name", "service__pk", "location__name", "location__pk")
    )
    if full:
        links = links.prefetch_related(*(_prefixed("service", row) for row in _FULL_SERVICE_ROWS))
    return links


def _prefixed(prefix: str, row):
    if isinstance(row, Prefetch):
        return Prefetch(f"{prefix}__{row.prefetch_through}", queryset=row.queryset)
    return f"{prefix}__{row}"


def as_service_at_location(link) -> dict:
    return {
        "id": service_at_location_id(link.service.uuid, link.location.uuid),
        "service": link.service,
        "location": link.location,
    }


def service_at_location(link_id: UUID) -> dict | None:
    """One published service at one of its places, found by the id the lists give it.

    The id is derived from the service's and the place's (identifiers.py), so it cannot be read
    backwards: the ids of every link are worked out once per change of the directory and cached.
    The link is then read through the published services, so a service hidden since cannot show.
    """
    pks = _service_at_location_pks().get(str(link_id))
    if pks is None:
        return None
    link = service_at_locations(services_for_list(), full=True).filter(service_id=pks[0], location_id=pks[1])
    link = link.first()
    return as_service_at_location(link) if link is not None else None


def _service_at_location_pks() -> dict[str, tuple[int, int]]:
    def work_out():
        rows = ServiceLocation.objects.filter(service__in=services_for_list().values("pk")).values_list(
            "service_id", "location_id", "service__uuid", "location__uuid"
        )
        return {
            str(service_at_location_id(service_uuid, location_uuid)): (service_pk, location_pk)
            for service_pk, location_pk, service_uuid, location_uuid in rows
        }

    return cached("api:service_at_location_ids", work_out)


# Organisations, taxonomies, indicators ------------------------------------------------------------


def organisations_for_api(*, services: QuerySet | None = None) -> QuerySet:
    """Published organisations; with `services`, each with those of its services prefetched."""
    organisations = Organisation.objects.published().select_related("parent").order_by("name", "pk")
    if services is not None:
        organisations = organisations.prefetch_related(
            Prefetch("services", queryset=services, to_attr="published_services")
        )
    return organisations


def taxonomy_terms(params: TaxonomyTermParams | None = None) -> list:
    """Needs (parents before children) then audiences: a few dozen rows, read in two queries."""
    taxonomy_id = params.taxonomy_id if params else None
    terms: list = []
    if taxonomy_id in (None, NEEDS_TAXONOMY_ID):
        needs = Need.objects.select_related("parent").order_by(
            F("parent_id").asc(nulls_first=True), "position", "name"
        )
        if params and params.top_only:
            needs = needs.filter(parent=None)
        if params and params.parent_id:
            needs = needs.filter(parent__uuid=params.parent_id)
        terms += list(matching(needs, params.search if params else None))
    # Audiences are a flat list: all are top terms, and none is below another.
    if taxonomy_id in (None, AUDIENCES_TAXONOMY_ID) and not (params and params.parent_id):
        terms += list(matching(Audience.objects.order_by("position", "name"), params and params.search))
    return terms


def matching(rows: QuerySet, search: str | None) -> QuerySet:
    """Rows whose name or description holds every word searched for."""
    for word in (search or "").split()[:10]:
        rows = rows.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return rows


def taxonomy_term(term_id: UUID):
    return (
        Need.objects.select_related("parent").filter(uuid=term_id).first()
        or Audience.objects.filter(uuid=term_id).first()
    )


def indicators_for_api() -> QuerySet:
    return Indicator.objects.published().select_related("source").order_by("title", "pk")
