"""CSV export and import for staff: a directory moved through CSV into an empty database shows the
same public pages, with its services' contacts, charges, hours and sessions; the admin previews an
import with row-level errors and writes all rows or none.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from initiatives.models import (
    MIDNIGHT,
    Audience,
    AuditEntry,
    Contact,
    CostOption,
    DatedSession,
    Location,
    Need,
    Organisation,
    Schedule,
    Service,
)
from initiatives.opendata.resources import (
    AudienceResource,
    ContactResource,
    CostOptionResource,
    DatedSessionResource,
    LocationResource,
    NeedResource,
    OrganisationResource,
    ScheduleResource,
    ServiceResource,
)
from tests.factories import (
    AudienceFactory,
    ContactFactory,
    DatedSessionFactory,
    LocationFactory,
    NeedFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Dependencies first: what a row names must be imported before it.
IMPORT_ORDER = [
    NeedResource,
    AudienceResource,
    OrganisationResource,
    LocationResource,
    ServiceResource,
    ContactResource,
    CostOptionResource,
    ScheduleResource,
    DatedSessionResource,
]
CHECKED = datetime.date(2025, 11, 30)
TODAY = datetime.date(2025, 12, 2)  # the clock stops at noon that day where the hours matter


def _directory():
    """Listings using every column: a need tree, partners, a parent, a place, ages, flags and dates."""
    work = NeedFactory(name="Work", slug="work", question="I want a job")
    cv = NeedFactory(name="CVs", slug="cvs", parent=work)
    carers = AudienceFactory(name="Carers", slug="carers")
    parent = OrganisationFactory(name="Umbrella", slug="umbrella", website="https://umbrella.example")
    charity = OrganisationFactory(
        name="Helping Hands",
        slug="helping-hands",
        parent=parent,
        charity_number="1234567",
        email="hello@hands.example",
        last_verified_on=CHECKED,
        review_due_on=CHECKED + datetime.timedelta(days=180),
    )
    partner = OrganisationFactory(name="Partner & Co", slug="partner-co")
    charity.partners.add(partner)
    hall = LocationFactory(
        name="Town Hall", organisation=charity, address="1 High St\nBletchley", postcode="MK2 2AA"
    )
    clinic = ServiceFactory(
        organisation=charity,
        name="CV clinic <free>",
        slug="cv-clinic",
        needs=[cv],
        audiences=[carers],
        minimum_age=18,
        maximum_age=64,
        is_free=True,
        by_phone=True,
        access_drop_in=True,
        languages="English, Polish",
        eligibility="Anyone living in Milton Keynes.",
        last_verified_on=CHECKED,
        dates_note="Every week",
    )
    clinic.locations.add(hall)
    _add_rows(clinic, place=hall)
    ServiceFactory(organisation=partner, name="Job club", slug="job-club", needs=[work], online=True)


def _add_rows(service, *, place):
    """Contacts, charges, weekly hours and dated sessions, using every column, shown on `service`'s page."""
    # Text a spreadsheet would run as a formula, in a name and a phone number.
    ContactFactory(service=service, name="=SUM(A1:A2)", role="Volunteer", phone="+44 1908 000000")
    ContactFactory(service=service, name="Sam", email="sam@hands.example")
    CostOption.objects.create(
        service=service, description="Course book", amount=Decimal("12.50"), concessions="Free for carers"
    )
    CostOption.objects.create(service=service, description="Tea, by donation")
    ScheduleFactory(
        service=service,
        weekday=0,
        opens_at=datetime.time(9, 30),
        closes_at=MIDNIGHT,
        location=place,
        note="Ring the bell",
    )
    ScheduleFactory(service=service, weekday=2, opens_at=datetime.time(10), closes_at=datetime.time(12))
    DatedSessionFactory(service=service, title="Job fair", location=place)


ROWS_ON_THE_PAGE = [
    "Ask for =SUM(A1:A2), Volunteer: call",
    "+44 1908 000000",
    "Ask for Sam: email",
    "Course book: £12.50 (Free for carers)",
    "Tea, by donation",
    "Monday 09:30–midnight at Town Hall (Ring the bell)",
    "Wednesday 10:00–12:00",
    "Job fair, Town Hall",
]


def _export() -> list[str]:
    return [resource().export().csv for resource in IMPORT_ORDER]


def _import(csv_texts, *, dry_run=False):
    import tablib

    results = []
    for resource, text in zip(IMPORT_ORDER, csv_texts, strict=True):
        dataset = tablib.Dataset().load(text, format="csv")
        results.append(resource().import_data(dataset, dry_run=dry_run, raise_errors=False))
    return results


def _main(client, url) -> str:
    page = client.get(url).content.decode()
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    # Not content: the CSRF token, and database row numbers in "save to my list" forms, which a
    # new database numbers afresh (the public ids, slugs and open data ids, are compared).
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)
    return re.sub(r'name="service" value="\d+"', 'name="service"', main)


def _public_pages(client) -> dict:
    urls = [s.get_absolute_url() for s in Service.objects.published()]
    urls += [o.get_absolute_url() for o in Organisation.objects.published()]
    urls += [n.get_absolute_url() for n in Need.objects.all()]
    urls += ["/services/", "/organisations/"]
    return {url: _main(client, url) for url in urls}


def _api(client) -> dict:
    documents = {}
    for service in Service.objects.published():
        body = client.get(f"/api/services/{service.uuid}").json()
        documents[str(service.uuid)] = _comparable(body)
    return documents


# A service's rows whose API ids are made from database row numbers, which a new database numbers
# afresh (the rows themselves are compared).
RENUMBERED = {"schedules", "cost_options", "contacts"}


def _comparable(value, *, renumbered=False):
    """The document without its times of change, nor the ids of renumbered rows."""
    if isinstance(value, dict):
        return {
            key: _comparable(item, renumbered=renumbered or key in RENUMBERED)
            for key, item in value.items()
            if key != "last_modified" and not (renumbered and key == "id")
        }
    if isinstance(value, list):
        return [_comparable(item, renumbered=renumbered) for item in value]
    return value


def _empty_the_database():
    # Linked records before services, so anything that reacts to their removal (such as the search
    # index) finds the services still there; then the services and their organisations.
    Location.objects.all().delete()
    Need.objects.filter(parent__isnull=False).delete()
    Need.objects.all().delete()
    Audience.objects.all().delete()
    Service.objects.all().delete()
    Organisation.objects.all().delete()
    AuditEntry.objects.all().delete()


def test_export_then_import_into_an_empty_database_gives_the_same_pages(client, freeze_today):
    freeze_today(TODAY)  # so that "Open now" or "Closed" cannot change between the two looks
    _directory()
    before_pages, before_api = _public_pages(client), _api(client)
    assert all(row in before_pages["/services/cv-clinic/"] for row in ROWS_ON_THE_PAGE)
    exported = _export()

    _empty_the_database()
    assert client.get("/services/cv-clinic/").status_code == 404
    results = _import(exported)

    assert not any(result.has_errors() or result.has_validation_errors() for result in results)
    assert _public_pages(client) == before_pages
    assert _api(client) == before_api  # the open data ids travelled with the rows


def _counts() -> list[int]:
    models = [Service, Organisation, Location, Contact, CostOption, Schedule, DatedSession]
    return [model.objects.count() for model in models]


def test_importing_the_same_export_again_changes_nothing(client):
    _directory()
    exported = _export()
    counts_before = _counts()
    _import(exported)
    assert _counts() == counts_before
    assert _export() == exported


def test_demo_services_keep_their_contacts_prices_hours_and_sessions_through_csv(client, freeze_today):
    freeze_today(TODAY)
    call_command("load_demo", stdout=io.StringIO())
    hall = LocationFactory(name="Town Hall", organisation=Organisation.objects.published().first())
    services = list(Service.objects.published().order_by("slug")[:2])
    for service in services:
        _add_rows(service, place=hall)
    urls = [service.get_absolute_url() for service in services]
    before = {url: _how_to_get_help(client, url) for url in urls}
    assert all(row in section for section in before.values() for row in ROWS_ON_THE_PAGE)
    exported = _export()

    _empty_the_database()
    results = _import(exported)

    assert not any(result.has_errors() or result.has_validation_errors() for result in results)
    assert {url: _how_to_get_help(client, url) for url in urls} == before


def _how_to_get_help(client, url) -> str:
    """The part of a service page with its contacts, hours, next session and prices.

    (Not the whole page: the demo's indicators, which the page also shows, have their own import.)
    """
    return re.search(r'<section class="how-to-get-help".*?</section>', _main(client, url), re.S).group(0)


def test_a_bad_row_means_nothing_is_written():
    _directory()
    csv = ServiceResource().export().csv
    bad_row = ["new-one", "New one", "helping-hands", "service", "active", "Summary", "Text", "no-such-need"]
    columns = csv.splitlines()[0].count(",") + 1
    csv += ",".join(bad_row) + "," * (columns - len(bad_row)) + "\n"
    csv = csv.replace("Job club", "Job club renamed")
    [result] = _import_only(ServiceResource, csv)

    assert result.has_errors()  # the unknown need stops the import
    assert not Service.objects.filter(slug="new-one").exists()
    assert Service.objects.filter(name="Job club").exists()  # the valid row was not written either


def _import_only(resource, csv):
    import tablib

    return [resource().import_data(tablib.Dataset().load(csv, format="csv"), raise_errors=False)]


def test_unknown_partner_fails_the_whole_import_with_its_name():
    _directory()
    csv = OrganisationResource().export().csv.replace("helping-hands,", "helping-hands,", 1)
    csv = csv.replace("partner-co", "partner-nowhere", 1)
    [result] = _import_only(OrganisationResource, csv)
    assert result.has_errors()
    assert "partner-nowhere not found" in str(result.base_errors[0].error)


def _upload(staff_client, text):
    return staff_client.post(
        reverse("admin:initiatives_service_import"),
        {"import_file": SimpleUploadedFile("services.csv", text.encode()), "format": "0", "resource": "0"},
    )


def test_admin_import_previews_row_errors_and_offers_no_confirm(staff_client):
    _directory()
    csv = ServiceResource().export().csv.replace("cvs", "no-such-need")

    response = _upload(staff_client, csv)

    page = response.content.decode()
    assert response.status_code == 200
    assert "no need called no-such-need" in page
    assert "process_import" not in page  # nothing to confirm while a row has errors
    assert Service.objects.get(slug="cv-clinic").needs.get().slug == "cvs"


def test_admin_import_preview_then_confirm_writes_the_rows(staff_client):
    _directory()
    csv = ServiceResource().export().csv.replace("Job club", "Job club (Tuesdays)")

    preview = _upload(staff_client, csv)
    page = preview.content.decode()
    assert "Job club (Tuesdays)" in re.sub(r"<[^>]+>", "", page)  # the preview marks changes up
    assert Service.objects.filter(name="Job club").exists()  # the preview wrote nothing

    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    confirm = staff_client.post(reverse("admin:initiatives_service_process_import"), hidden)
    assert confirm.status_code == 302
    assert Service.objects.filter(name="Job club (Tuesdays)").exists()


def test_admin_export_is_for_staff_only(client):
    _directory()
    client.force_login(UserFactory())
    response = client.get(reverse("admin:initiatives_service_export"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_every_listing_an_import_writes_is_audited_with_who_and_its_state():
    _directory()
    exported = _export()
    _empty_the_database()
    staff = UserFactory(is_staff=True)
    import tablib

    for resource, text in zip(IMPORT_ORDER, exported, strict=True):
        resource().import_data(
            tablib.Dataset().load(text, format="csv"), user=staff, file_name="directory.csv"
        )

    entries = AuditEntry.objects.filter(action="csv_imported")
    listings = {(entry.object_repr, entry.detail["publication_state"]) for entry in entries}
    expected = {(str(r), r.publication_state) for r in [*Organisation.objects.all(), *Service.objects.all()]}
    assert listings == expected and len(expected) == 5
    assert {entry.actor for entry in entries} == {staff}
