"""A service's contacts, charges, weekly hours and dated sessions as CSV files for staff: a file
lists each service it names in full, importing it again changes nothing, and a bad row writes
nothing and says which row and why. (The move of a whole directory is in test_csv_transfer.py.)
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiatives.models import MIDNIGHT, AuditEntry, Contact, CostOption, DatedSession, Schedule, Service
from initiatives.opendata.resources import (
    ContactResource,
    CostOptionResource,
    DatedSessionResource,
    ScheduleResource,
)
from tests.factories import (
    ContactFactory,
    DatedSessionFactory,
    LocationFactory,
    ScheduleFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# The order of the Services admin page's list of files: services first, then their rows.
ADMIN_CHOICE = {ContactResource: 1, CostOptionResource: 2, ScheduleResource: 3, DatedSessionResource: 4}
ROW_MODELS = [Contact, CostOption, Schedule, DatedSession]


@pytest.fixture
def clinic():
    """A service with two rows of each kind."""
    hall = LocationFactory(name="Town Hall")
    service = ServiceFactory(name="CV clinic", slug="cv-clinic")
    ContactFactory(service=service, name="Jo", role="Coach", phone="01908 111111")
    ContactFactory(service=service, name="Sam", email="sam@example.org")
    CostOption.objects.create(service=service, description="Course book", amount=Decimal("12.50"))
    CostOption.objects.create(service=service, description="Tea", concessions="Free for carers")
    ScheduleFactory(
        service=service, weekday=0, opens_at=datetime.time(9, 30), closes_at=MIDNIGHT, location=hall
    )
    ScheduleFactory(service=service, weekday=2, opens_at=datetime.time(10), closes_at=datetime.time(12))
    DatedSessionFactory(service=service, title="Job fair", location=hall)
    DatedSessionFactory(service=service, title="CV day")
    return service


def _import(resource, text, **kwargs):
    return resource().import_data(tablib.Dataset().load(text, format="csv"), **kwargs)


def _rows() -> dict:
    """Every row of every kind, with its id and every column."""
    return {model: list(model.objects.order_by("pk").values()) for model in ROW_MODELS}


def _service_page(client) -> str:
    return re.sub(r"\s+", " ", client.get("/services/cv-clinic/").content.decode())


@pytest.mark.parametrize("resource", ADMIN_CHOICE, ids=lambda resource: resource.__name__)
def test_importing_an_export_again_changes_no_row_and_audits_nothing(clinic, resource):
    before = _rows()

    result = _import(resource, resource().export().csv)

    assert [row.import_type for row in result.rows] == ["skip", "skip"]
    assert _rows() == before  # the same rows, under the same ids
    assert not AuditEntry.objects.exists()


def test_rows_sorted_another_way_in_a_spreadsheet_change_nothing(clinic):
    ScheduleFactory(service=clinic, weekday=0, opens_at=datetime.time(14), closes_at=datetime.time(17))
    header, *lines = ScheduleResource().export().csv.splitlines()
    before = _rows()

    result = _import(ScheduleResource, "\n".join([header, *reversed(lines)]))

    assert {row.import_type for row in result.rows} == {"skip"}
    assert _rows() == before


def test_a_row_left_out_of_the_file_is_deleted_and_the_others_kept(clinic, client):
    jo = Contact.objects.get(name="Jo")
    csv = "\n".join(line for line in ContactResource().export().csv.splitlines() if "Sam" not in line)

    result = _import(ContactResource, csv)

    assert sorted(row.import_type for row in result.rows) == ["delete", "skip"]
    assert list(clinic.contacts.values_list("pk", flat=True)) == [jo.pk]
    assert "Ask for Sam" not in _service_page(client)


def test_a_changed_row_updates_its_record(clinic, client):
    csv = ContactResource().export().csv.replace("01908 111111", "01908 222222")

    result = _import(ContactResource, csv)

    assert sorted(row.import_type for row in result.rows) == ["skip", "update"]
    assert "Ask for Jo, Coach: call 01908 222222" in re.sub(r"<[^>]+>", "", _service_page(client))


def test_a_service_the_file_does_not_name_keeps_its_rows(clinic):
    other = ServiceFactory(slug="job-club")
    ContactFactory(service=other, name="Alex")

    listed = Service.objects.filter(slug="cv-clinic")  # as the Services admin page passes them
    _import(ContactResource, ContactResource().export(queryset=listed).csv.replace("Sam", "Samira"))

    assert list(other.contacts.values_list("name", flat=True)) == ["Alex"]
    assert sorted(clinic.contacts.values_list("name", flat=True)) == ["Jo", "Samira"]


def _with_row(resource, row: str) -> str:
    """The resource's export without its last row (which an import would then delete), plus `row`."""
    lines = resource().export().csv.splitlines()
    return "\n".join([*lines[:-1], row]) + "\n"


@pytest.mark.parametrize(
    ("resource", "row", "column", "message"),
    [
        pytest.param(
            ContactResource,
            "no-such-service,Jo,,,",
            "service",
            "no service called no-such-service",
            id="unknown-service",
        ),
        pytest.param(
            ScheduleResource,
            "cv-clinic,Tuesday,17:00,09:00,,",
            "closes_at",
            "The closing time must be after the opening time. For midnight, use 00:00.",
            id="closing-before-opening",
        ),
        pytest.param(
            ScheduleResource,
            "cv-clinic,Funday,09:00,17:00,,",
            "weekday",
            "“Funday” is not a day of the week; write Monday, Tuesday, … or Sunday",
            id="unknown-day",
        ),
        pytest.param(
            ScheduleResource,
            "cv-clinic,Tuesday,9am,17:00,,",
            "opens_at",
            "“9am” is not a time like 09:30",
            id="bad-time",
        ),
        pytest.param(
            ScheduleResource,
            "cv-clinic,Tuesday,09:00,17:00,0b5c0e8e-0000-4000-8000-000000000000,",
            "location",
            "no location called 0b5c0e8e-0000-4000-8000-000000000000",
            id="unknown-place",
        ),
        pytest.param(
            CostOptionResource,
            "cv-clinic,Refund,-5.00,",
            "amount",
            "The amount cannot be less than £0.",
            id="negative-amount",
        ),
        pytest.param(
            CostOptionResource,
            "cv-clinic,Lunch,£5,",
            "amount",
            "“£5” is not an amount in pounds like 25.00",
            id="amount-with-a-pound-sign",
        ),
        pytest.param(
            DatedSessionResource,
            "cv-clinic,Open day,2026-06-03 12:00:00+01:00,2026-06-03 10:00:00+01:00,",
            "ends_at",
            "The end must be after the start.",
            id="end-before-start",
        ),
        pytest.param(
            DatedSessionResource,
            "cv-clinic,Open day,3rd June,2026-06-03 10:00:00+01:00,",
            "starts_at",
            "“3rd June” is not a date and time like 2025-06-03 10:00",
            id="unreadable-start",
        ),
    ],
)
def test_a_bad_row_writes_nothing_and_says_which_row_and_why(clinic, resource, row, column, message):
    before = _rows()

    result = _import(resource, _with_row(resource, row))

    [invalid] = result.invalid_rows
    assert invalid.number == 2  # the first row is unchanged, the second is the bad one
    assert invalid.values[0] == row.split(",")[0]  # the row's service, shown beside the error
    assert invalid.error_dict == {column: [message]}
    assert _rows() == before  # not even the row the file left out was deleted


def test_formula_looking_contact_names_are_escaped_for_spreadsheets_and_read_back_unchanged(clinic):
    names = ['=HYPERLINK("http://evil.example","Click")', "+44 Jo", "-Sam-", "@Alex"]
    clinic.contacts.all().delete()
    for name in names:
        ContactFactory(service=clinic, name=name)
    csv = ContactResource().export().csv
    clinic.contacts.all().delete()

    _import(ContactResource, csv)

    cells = [row[1] for row in tablib.Dataset().load(csv, format="csv")]
    assert cells == ["'" + name for name in names]  # a spreadsheet shows text, runs nothing
    assert list(clinic.contacts.order_by("pk").values_list("name", flat=True)) == names


def test_session_times_keep_their_moment_across_a_clock_change(clinic):
    summer = datetime.datetime(2026, 6, 3, 10, 0, 30, 250000, tzinfo=LONDON)
    winter = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)
    clinic.sessions.all().delete()
    DatedSessionFactory(service=clinic, starts_at=summer, ends_at=summer + datetime.timedelta(hours=2))
    DatedSessionFactory(service=clinic, starts_at=winter, ends_at=winter + datetime.timedelta(hours=2))
    csv = DatedSessionResource().export().csv
    clinic.sessions.all().delete()

    _import(DatedSessionResource, csv)

    assert "2026-06-03 10:00:30.250000+01:00" in csv and "2026-12-03 10:00:00+00:00" in csv
    assert list(clinic.sessions.values_list("starts_at", flat=True)) == [summer, winter]


def test_a_session_time_without_an_offset_is_milton_keynes_time(clinic):
    _import(
        DatedSessionResource,
        "service,title,starts_at,ends_at\ncv-clinic,Fair,2026-06-03 10:00,2026-06-03 12:00\n",
    )

    assert clinic.sessions.get().starts_at == datetime.datetime(2026, 6, 3, 9, 0, tzinfo=datetime.UTC)


def test_an_import_that_changes_a_services_rows_is_audited_once_with_who_and_what(clinic, staff_user):
    csv = ContactResource().export().csv.replace("sam@example.org", "sam@new.example")
    csv = "\n".join(line for line in csv.splitlines() if "Jo" not in line) + "\ncv-clinic,Ali,,,\n"

    _import(ContactResource, csv, user=staff_user, file_name="contacts.csv")

    [entry] = AuditEntry.objects.all()
    assert (entry.actor, entry.action, entry.record) == (staff_user, "csv_imported", clinic)
    assert entry.detail["file"] == "contacts.csv"
    assert sorted(map(sorted, (change.items() for change in entry.detail["rows"]))) == [
        [("added", "contact"), ("row", "Ali")],
        [("changed", "contact"), ("row", "Sam")],
        [("deleted", "contact"), ("row", "Jo")],
    ]


# The Services admin page -------------------------------------------------------------------------


def _upload(staff_client, resource, text):
    return staff_client.post(
        reverse("admin:initiatives_service_import"),
        {
            "import_file": SimpleUploadedFile("rows.csv", text.encode()),
            "format": "0",
            "resource": str(ADMIN_CHOICE[resource]),
        },
    )


def test_admin_previews_then_confirms_an_import_of_opening_hours(staff_client, staff_user, clinic):
    csv = _with_row(ScheduleResource, "cv-clinic,Friday,13:00,15:30,,Bring your CV")

    preview = _upload(staff_client, ScheduleResource, csv)
    page = re.sub(r"<[^>]+>", "", preview.content.decode())
    assert "Delete" in page and "New" in page and "Bring your CV" in page
    assert not clinic.schedules.filter(weekday=4).exists()  # the preview wrote nothing

    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview.content.decode())
    )
    confirm = staff_client.post(reverse("admin:initiatives_service_process_import"), hidden, follow=True)

    assert "Import finished: 1 new, 0 updated, 1 deleted and 1 unchanged weekly opening hours." in (
        confirm.content.decode()
    )
    shown = _service_page(staff_client)
    assert "Friday 13:00–15:30 (Bring your CV)" in shown and "Wednesday 10:00–12:00" not in shown
    assert AuditEntry.objects.get(action="csv_imported").actor == staff_user


def test_admin_preview_shows_a_bad_row_and_offers_no_confirm(staff_client, clinic):
    response = _upload(
        staff_client, CostOptionResource, _with_row(CostOptionResource, "cv-clinic,Refund,-5,")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The amount cannot be less than £0." in page
    assert "process_import" not in page
    assert clinic.cost_options.count() == 2


def test_admin_explains_a_file_without_its_service_column(staff_client, clinic):
    response = _upload(staff_client, ContactResource, "name,role\nJo,Coach\n")

    assert response.status_code == 200
    assert "not present in the file headers: service" in response.content.decode()
    assert clinic.contacts.count() == 2


def test_admin_exports_the_contacts_of_the_services_listed_under_their_own_name(staff_client, clinic):
    ContactFactory(service=ServiceFactory(slug="job-club", name="Job club"), name="Alex")
    fields = {f"contactresource_{name}": "on" for name in ["service", "name", "role", "phone", "email"]}

    response = staff_client.post(
        reverse("admin:initiatives_service_export") + "?q=clinic", {"format": "0", "resource": "1", **fields}
    )

    assert re.fullmatch(
        r'attachment; filename="service-contacts-\d{4}-\d\d-\d\d\.csv"', response["Content-Disposition"]
    )
    assert response.content.decode().splitlines() == [
        "service,name,role,phone,email",
        "cv-clinic,Jo,Coach,01908 111111,",
        "cv-clinic,Sam,,,sam@example.org",
    ]
