"""The Open Referral UK API: envelope, fields, filters, paging limits, bad parameters, published only."""

import datetime
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.models import Service
from initiatives.opendata.identifiers import AUDIENCES_TAXONOMY_ID, NEEDS_TAXONOMY_ID
from initiatives.postcodes import postcode_point
from tests.factories import DatedSessionFactory, LocationFactory, add_services, build_directory

pytestmark = pytest.mark.django_db

ENVELOPE = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}
LISTS = [
    "/api/services",
    "/api/service_at_locations",
    "/api/organizations",
    "/api/taxonomies",
    "/api/taxonomy_terms",
    "/api/indicators",
]


@pytest.fixture
def directory():
    return build_directory()


def _names(client, query="", path="/api/services"):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["contents"])


@pytest.mark.parametrize("path", LISTS, ids=lambda path: path.removeprefix("/api/"))
def test_every_list_has_the_paging_envelope_and_open_cors(client, directory, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert {key: type(body[key]) for key in ENVELOPE} == ENVELOPE
    assert body["page_number"] == 1 and body["first_page"] is True
    assert body["size"] == len(body["contents"])


def test_demo_search_for_digital_finds_works_for_us(client):
    call_command("load_demo", stdout=io.StringIO())
    body = client.get("/api/services", {"search": "digital"}).json()
    found = {(item["name"], item["organization"]["name"]) for item in body["contents"]}
    assert ("Digital skills for job-seekers", "Works for Us") in found
    assert body["total_items"] == len(body["contents"]) and body["empty"] is False


def test_service_list_item_fields(client, directory):
    service = directory["services"]["digital"]
    item = next(i for i in client.get("/api/services").json()["contents"] if i["name"] == "Digital drop-in")
    assert item["id"] == str(service.uuid)
    assert item["organization_id"] == str(service.organisation.uuid) == item["organization"]["id"]
    assert item["status"] == "active"
    assert item["url"].endswith(service.get_absolute_url())
    assert (item["minimum_age"], item["maximum_age"]) == (16, 25)
    assert "last_modified" in item and "email" not in item  # absent, never null


def test_full_service_is_nested(client, directory):
    service = directory["services"]["digital"]
    body = client.get(f"/api/services/{service.uuid}").json()

    assert body["id"] == str(service.uuid)
    [at_location] = body["service_at_locations"]
    assert at_location["location"]["id"] == str(directory["hall"].uuid)
    assert at_location["location"]["addresses"][0]["postal_code"] == "MK9 1AA"
    [schedule] = body["schedules"]
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == ("MO", "09:00:00", "12:00:00")
    [attribute] = body["attributes"]
    assert attribute["link_type"] == "need"
    assert attribute["taxonomy_term"]["term"] == "Digital skills"
    assert attribute["taxonomy_term"]["parent_id"] == str(directory["needs"]["work"].uuid)
    assert attribute["taxonomy_term"]["taxonomy_id"] == str(NEEDS_TAXONOMY_ID)


def test_ids_of_link_records_are_stable(client, directory):
    url = f"/api/services/{directory['services']['digital'].uuid}"
    assert client.get(url).json() == client.get(url).json()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("search=digital", ["Digital drop-in"]),
        ("search=DIGITAL+drop", ["Digital drop-in"]),
        ("search=nothing-like-this", []),
        ("minimum_age=16", ["Advice line", "Digital drop-in"]),
        ("minimum_age=17", ["Advice line"]),
        ("maximum_age=25", ["Digital drop-in"]),
        ("minimum_age=10&maximum_age=30", ["Digital drop-in"]),
        ("day=MO", ["Digital drop-in"]),
        ("day=WE&start_time=12:00", ["Job club"]),
        ("start_time=10:00", ["Job club"]),
        ("end_time=12:00", ["Digital drop-in"]),
        ("day=SU", []),
        (
            "modified_after=2000-01-01T00:00:00Z",
            ["Advice line", "Digital drop-in", "Job club", "Quiet service"],
        ),
        ("modified_after=2999-01-01T00:00:00", []),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_service_filters(client, directory, query, expected):
    assert _names(client, query) == expected


def test_taxonomy_term_filter_includes_the_needs_below(client, directory):
    work, digital = directory["needs"]["work"], directory["needs"]["digital"]
    assert _names(client, f"taxonomy_term_id={work.uuid}") == ["Digital drop-in", "Job club"]
    assert _names(client, f"taxonomy_term_id={digital.uuid}") == ["Digital drop-in"]
    assert _names(client, f"taxonomy_term_id={directory['carers'].uuid}") == ["Job club"]
    assert _names(client, f"taxonomy_term_id={uuid.uuid4()}") == []


def test_taxonomy_and_organization_filters(client, directory):
    assert _names(client, f"taxonomy_id={AUDIENCES_TAXONOMY_ID}") == ["Job club"]
    assert _names(client, f"taxonomy_id={NEEDS_TAXONOMY_ID}") == ["Digital drop-in", "Job club"]
    second = directory["organisations"]["second"]
    assert _names(client, f"organization_id={second.uuid}") == ["Advice line", "Quiet service"]


def test_service_at_locations_lists_each_service_at_each_place(client, directory):
    body = client.get("/api/service_at_locations").json()
    [row] = body["contents"]
    assert row["service"]["name"] == "Digital drop-in"
    assert row["location"]["name"] == "Central Hall"
    assert client.get("/api/service_at_locations", {"search": "job"}).json()["total_items"] == 0


def test_a_service_at_a_location_answers_by_the_id_the_list_gives(client, directory):
    [row] = client.get("/api/service_at_locations").json()["contents"]
    response = client.get(f"/api/service_at_locations/{row['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == row["id"]
    assert body["service_id"] == str(directory["services"]["digital"].uuid) == body["service"]["id"]
    assert body["location_id"] == str(directory["hall"].uuid) == body["location"]["id"]
    assert body["service"]["schedules"][0]["byday"] == "MO"  # the service fully nested


def test_a_service_at_a_location_goes_when_the_service_is_unpublished(client, directory):
    [row] = client.get("/api/service_at_locations").json()["contents"]
    Service.objects.filter(pk=directory["services"]["digital"].pk).update(publication_state="draft")
    assert client.get(f"/api/service_at_locations/{row['id']}").status_code == 404
    assert client.get(f"/api/service_at_locations/{uuid.uuid4()}").status_code == 404


def test_full_services_are_fully_nested_and_minimal_ones_just_id_and_date(client, directory):
    full = client.get("/api/services", {"full": "true", "search": "digital"}).json()["contents"]
    assert full[0]["schedules"] and full[0]["attributes"]
    minimal = client.get("/api/services", {"minimal": "true", "per_page": 1000}).json()
    assert minimal["total_items"] == 4 == minimal["size"]
    assert {frozenset(item) for item in minimal["contents"]} == {frozenset({"id", "last_modified"})}
    too_many = client.get("/api/services", {"per_page": 1000})
    assert too_many.status_code == 400 and "minimal" in too_many.json()["message"]


def test_ndjson_streams_every_record_without_pages(client, directory):
    add_services(directory, 3)
    response = client.get("/api/services", {"format": "ndjson", "per_page": 2})
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    paged = client.get("/api/services", {"per_page": 100}).json()
    assert lines == paged["contents"] and len(lines) == 7


def test_organisations_full_and_with_full_services(client, directory):
    first = directory["organisations"]["first"]
    plain = client.get("/api/organizations").json()["contents"]
    assert all("services" not in item for item in plain)
    full = client.get("/api/organizations", {"full": "true"}).json()["contents"]
    named = {item["name"]: item for item in full}
    # Published services only: the draft stays out.
    assert sorted(s["name"] for s in named["First Org"]["services"]) == ["Digital drop-in", "Job club"]
    one = client.get(f"/api/organizations/{first.uuid}").json()
    assert sorted(s["name"] for s in one["services"]) == ["Digital drop-in", "Job club"]
    assert "schedules" not in one["services"][0]
    nested = client.get(f"/api/organizations/{first.uuid}", {"full_service": "true"}).json()
    assert all("schedules" in service for service in nested["services"])


def test_taxonomy_terms_by_parent_top_only_and_search(client, directory):
    work, digital = directory["needs"]["work"], directory["needs"]["digital"]

    def terms(**query):
        return [term["name"] for term in client.get("/api/taxonomy_terms", query).json()["contents"]]

    assert terms(parent_id=str(work.uuid)) == ["Digital skills"]
    assert terms(parent_id=str(digital.uuid)) == []
    assert terms(top_only="true") == ["Work", "Carers"]
    assert terms(search="DIGITAL") == ["Digital skills"]
    assert terms(search="carers", taxonomy_id=str(NEEDS_TAXONOMY_ID)) == []
    names = [t["name"] for t in client.get("/api/taxonomies", {"search": "audiences"}).json()["contents"]]
    assert names == ["MK Directory audiences"]


def test_taxonomies_and_terms(client, directory):
    taxonomies = client.get("/api/taxonomies").json()["contents"]
    assert {t["id"] for t in taxonomies} == {str(NEEDS_TAXONOMY_ID), str(AUDIENCES_TAXONOMY_ID)}
    terms = client.get("/api/taxonomy_terms", {"taxonomy_id": str(AUDIENCES_TAXONOMY_ID)}).json()
    assert [t["term"] for t in terms["contents"]] == ["Carers"]
    need = directory["needs"]["digital"]
    assert client.get(f"/api/taxonomy_terms/{need.uuid}").json()["term"] == "Digital skills"
    assert client.get(f"/api/taxonomies/{NEEDS_TAXONOMY_ID}").json()["name"] == "MK Directory needs"


def test_paging(client, directory):
    first = client.get("/api/services", {"per_page": 3}).json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (4, 2, 3)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    second = client.get("/api/services", {"per_page": 3, "page": 2}).json()
    assert (second["page_number"], second["size"], second["first_page"], second["last_page"]) == (
        2,
        1,
        False,
        True,
    )
    all_names = [i["name"] for i in first["contents"] + second["contents"]]
    assert sorted(all_names) == _names(client)
    beyond = client.get("/api/services", {"per_page": 3, "page": 9}).json()
    assert (beyond["contents"], beyond["empty"], beyond["last_page"]) == ([], True, True)


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("minimum_age=-1", "minimum_age"),
        ("maximum_age=old", "maximum_age"),
        ("day=Monday", "day"),
        ("start_time=25:00", "start_time"),
        ("end_time=noon", "end_time"),
        ("end_time=00:00:00Z", "end_time"),
        ("start_time=09:00%2B01:00", "start_time"),
        ("modified_after=yesterday", "modified_after"),
        ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
        ("organization_id=1", "organization_id"),
        ("search=" + "x" * 201, "search"),
        ("search=a%00b", "search"),
        ("proximity=500", "proximity"),
        ("proximity=0&postcode=MK9+3EP", "proximity"),
        ("postcode=SW1A+1AA", "postcode"),
        ("postcode=12345", "postcode"),
    ],
    ids=lambda value: value[:30],
)
def test_bad_parameters_get_400_with_a_message(client, directory, query, parameter):
    response = client.get(f"/api/services?{query}")
    assert response.status_code == 400
    assert parameter in response.json()["message"]


@pytest.mark.parametrize("path", ["/api/services/{}", "/api/organizations/{}", "/api/taxonomy_terms/{}"])
def test_unknown_ids_are_404_with_a_message(client, directory, path):
    response = client.get(path.format(uuid.uuid4()))
    assert response.status_code == 404
    assert response.json()["message"]


def test_only_published_records(client, directory):
    draft = Service.objects.get(name="Draft digital")
    assert "Draft digital" not in _names(client, "search=digital")
    assert client.get(f"/api/services/{draft.uuid}").status_code == 404
    organisation = directory["organisations"]["second"]
    organisation.publication_state = "draft"
    organisation.save()
    assert _names(client) == ["Digital drop-in", "Job club"]
    assert client.get(f"/api/organizations/{organisation.uuid}").status_code == 404
    assert organisation.name not in _names(client, path="/api/organizations")


def test_ended_services_are_listed_as_defunct(client, directory):
    Service.objects.filter(name="Job club").update(status="ended")
    item = next(i for i in client.get("/api/services").json()["contents"] if i["name"] == "Job club")
    assert item["status"] == "defunct"


def test_indicator_extension(client):
    call_command("load_demo", stdout=io.StringIO())
    body = client.get("/api/indicators/unemployment-rate").json()
    [point] = [p for p in body["data_points"] if p["area"]["code"] == "E06000042"]
    assert (point["value"], point["period"]) == ("4.3400", "August 2025")
    assert body["source"]["licence"] == "Open Government Licence v3.0"
    assert client.get("/api/indicators/no-such-figure").status_code == 404


def test_openapi_document_describes_every_endpoint(client):
    document = client.get("/api/openapi.json").json()
    assert {
        "/api/services",
        "/api/services/{id}",
        "/api/service_at_locations",
        "/api/organizations",
        "/api/taxonomies",
        "/api/taxonomy_terms",
        "/api/indicators",
        "/api/indicators/{slug}",
    } <= set(document["paths"])
    parameters = {p["name"] for p in document["paths"]["/api/services"]["get"]["parameters"]}
    assert {
        "search",
        "page",
        "per_page",
        "taxonomy_term_id",
        "organization_id",
        "minimum_age",
        "maximum_age",
        "day",
        "start_time",
        "end_time",
        "postcode",
        "proximity",
        "modified_after",
    } <= parameters
    assert "400" in document["paths"]["/api/services"]["get"]["responses"]


# After 32 more services, each with its own organisation, at the hall and with the digital need:
# 4 + 32 services, 1 + 32 at a place, 2 + 32 organisations, and still 2 needs and an audience.
@pytest.mark.parametrize(
    "path, query, size",
    [
        pytest.param("/api/services", {}, 36, id="services"),
        pytest.param("/api/services", {"full": "true"}, 36, id="services-full"),
        pytest.param("/api/services", {"minimal": "true"}, 36, id="services-minimal"),
        pytest.param("/api/service_at_locations", {}, 33, id="service_at_locations"),
        pytest.param("/api/service_at_locations", {"full": "true"}, 33, id="service_at_locations-full"),
        pytest.param("/api/organizations", {}, 34, id="organizations"),
        pytest.param("/api/organizations", {"full_service": "true"}, 34, id="organizations-full"),
        pytest.param("/api/taxonomy_terms", {}, 3, id="taxonomy_terms"),
    ],
)
def test_query_count_does_not_grow_with_the_page(client, path, query, size):
    directory = build_directory(extra_services=2)
    with CaptureQueriesContext(connection) as small:
        client.get(path, {"per_page": 100, **query})
    add_services(directory, 30)
    with CaptureQueriesContext(connection) as large:
        response = client.get(path, {"per_page": 100, **query})
    assert response.json()["size"] == size
    assert len(large) == len(small)


def test_full_service_query_count_is_constant(client, django_assert_max_num_queries):
    directory = build_directory(extra_services=5)
    with django_assert_max_num_queries(10):
        client.get(f"/api/services/{directory['services']['digital'].uuid}")


def test_modified_after_takes_naive_times_as_local(client, directory):
    later = timezone.localtime() + datetime.timedelta(hours=1)
    assert _names(client, f"modified_after={later:%Y-%m-%dT%H:%M:%S}") == []


@pytest.mark.parametrize(
    "value, status",
    [
        # ISO 8601 allows offsets that PostgreSQL refuses (beyond ±15:59): read in UTC instead.
        pytest.param("2000-01-01T00:00:00-21:19", 200, id="large-offset"),
        pytest.param("9999-12-31T23:59:59-23:00", 400, id="beyond-the-last-year-in-utc"),
    ],
)
def test_modified_after_with_any_offset_never_breaks(client, directory, value, status):
    response = client.get("/api/services", {"modified_after": value})

    assert response.status_code == status
    if status == 200:
        assert response.json()["total_items"] == len(directory["services"])


def test_postcode_sorts_nearest_first_and_proximity_keeps_what_is_near(client, directory):
    _, centre = postcode_point("MK9 3EP")
    hall = directory["hall"]
    hall.latitude, hall.longitude = Decimal(f"{centre.latitude:.6f}"), Decimal(f"{centre.longitude:.6f}")
    hall.save()
    far = LocationFactory(name="Far away", latitude=Decimal("52.2"), longitude=Decimal("-0.9"))
    directory["services"]["jobs"].locations.add(far)
    Service.objects.filter(name="Advice line").update(by_phone=True)  # usable from anywhere

    nearest_first = client.get("/api/services", {"postcode": "mk93ep"}).json()["contents"]
    assert nearest_first[0]["name"] == "Digital drop-in"
    assert len(nearest_first) == 4  # a postcode alone orders, it does not drop

    near = _names(client, "postcode=MK9+3EP&proximity=1000")
    assert near == ["Advice line", "Digital drop-in"]
    assert _names(client, "postcode=MK9+3EP&proximity=100000") == [
        "Advice line",
        "Digital drop-in",
        "Job club",
    ]


def test_dated_sessions_are_in_milton_keynes_time(client, directory):
    """ORUK times carry no zone: a summer session at 10:00 is 10:00, not 09:00 (UTC)."""
    service = directory["services"]["jobs"]
    starts = timezone.make_aware(datetime.datetime(2026, 7, 1, 10, 0))
    DatedSessionFactory(service=service, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    schedules = client.get(f"/api/services/{service.uuid}").json()["schedules"]
    [session] = [schedule for schedule in schedules if "dtstart" in schedule]
    assert (session["dtstart"], session["opens_at"], session["closes_at"]) == (
        "2026-07-01",
        "10:00:00",
        "12:00:00",
    )
