"""Editors keep a listing complete from /manage/: places, a week of hours, sessions, charges, contacts.

Each goes through the same review as any change: nothing is public until staff approve it.
"""

import datetime

import pytest
from django.utils import timezone

from initiatives.editing.models import Revision, RevisionStatus
from initiatives.editing.moderation import revision_approve, revision_reject
from initiatives.models import Location, Service
from initiatives.postcodes import postcode_centre
from tests.factories import LocationFactory, NeedFactory, ScheduleFactory

from .forms_helper import read_form

EDIT = "/manage/services/{}/edit/"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def edit_form(client, service):
    return read_form(client.get(EDIT.format(service.slug)))


def send(client, service, form, *, expect=302):
    response = client.post(EDIT.format(service.slug), form.as_post())
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def latest_revision(service) -> Revision:
    return Revision.objects.filter(service=service).latest("pk")


def review_page(client, revision) -> str:
    return client.get(revision.get_absolute_url()).content.decode()


def public_page(client, service) -> str:
    return client.get(service.get_absolute_url()).content.decode()


def fill_new_place(form, name="Central Library hub", postcode="mk9 3xs"):
    return (
        form.set("new_places-0-name", name)
        .set("new_places-0-address", "555 Silbury Boulevard")
        .set("new_places-0-postcode", postcode)
        .set("new_places-0-accessibility", "Step-free entrance and a hearing loop.")
    )


def fill_weekday_hours(form, opens="09:30", closes="16:00"):
    return form.set("schedules-weekdays-opens_at", opens).set("schedules-weekdays-closes_at", closes)


def fill_charge(form):
    return (
        form.set("cost_options-0-description", "Six-week course")
        .set("cost_options-0-amount", "25")
        .set("cost_options-0-concessions", "£5 for people on Universal Credit")
    )


def test_a_new_place_a_working_week_and_a_charge_go_in_one_submission_and_wait_for_review(
    manager_client, client, service_a, staff_user
):
    form = fill_charge(fill_weekday_hours(fill_new_place(edit_form(manager_client, service_a))))
    send(manager_client, service_a, form)

    revision = latest_revision(service_a)
    assert revision.status == RevisionStatus.PENDING
    assert not Location.objects.filter(name="Central Library hub").exists()
    assert "Central Library hub" not in public_page(client, service_a)
    review = review_page(manager_client, revision)
    assert "Central Library hub, 555 Silbury Boulevard, Milton Keynes, MK9 3XS" in review
    for day in WEEKDAYS:
        assert f"{day} 09:30–16:00" in review
    assert "Six-week course: £25.00; £5 for people on Universal Credit" in review

    revision_approve(revision=revision, reviewer=staff_user)

    place = Location.objects.get(name="Central Library hub")
    centre = postcode_centre("MK9 3XS")
    assert place.organisation == service_a.organisation
    assert (float(place.latitude), float(place.longitude)) == pytest.approx(
        (centre.latitude, centre.longitude), abs=1e-6
    )
    page = public_page(client, service_a)
    assert "Central Library hub" in page
    assert "Friday 09:30–16:00" in page
    assert "£25.00 (£5 for people on Universal Credit)" in page
    assert "Saturday" not in page


def test_a_turned_down_change_adds_no_place_and_no_times(manager_client, client, service_a, staff_user):
    send(manager_client, service_a, fill_weekday_hours(fill_new_place(edit_form(manager_client, service_a))))

    revision_reject(revision=latest_revision(service_a), reviewer=staff_user, reason="Wrong address.")

    assert not Location.objects.filter(name="Central Library hub").exists()
    assert not service_a.schedules.exists()
    assert "09:30" not in public_page(client, service_a)


def test_a_proposed_new_service_adds_its_new_place_only_when_approved(manager_client, org_a, staff_user):
    page = manager_client.get(f"/manage/organisations/{org_a.slug}/services/new/")
    form = fill_new_place(read_form(page))
    form.set("name", "Digital drop-in").set("summary", "Help with computers.").set(
        "description", "Come along."
    )
    response = manager_client.post(f"/manage/organisations/{org_a.slug}/services/new/", form.as_post())
    assert response.status_code == 302, response.content.decode()[:3000]

    service = Service.objects.get(name="Digital drop-in")
    assert not Location.objects.filter(name="Central Library hub").exists()

    revision_approve(revision=latest_revision(service), reviewer=staff_user)

    assert list(service.locations.values_list("name", flat=True)) == ["Central Library hub"]


def test_dated_sessions_and_named_contacts_reach_the_public_page(
    manager_client, client, service_a, staff_user
):
    place = LocationFactory(organisation=service_a.organisation, name="Church Green hall")
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    form = (
        edit_form(manager_client, service_a)
        .set("sessions-0-date", next_month.isoformat())
        .set("sessions-0-starts", "10:00")
        .set("sessions-0-ends", "14:00")
        .set("sessions-0-location", str(place.pk))
        .set("sessions-0-title", "Spring job fair")
        .set("contacts-0-name", "Priya Shah")
        .set("contacts-0-role", "Employment adviser")
        .set("contacts-0-phone", "01908 000111")
        .set("contacts-0-email", "priya@example.org")
    )
    send(manager_client, service_a, form)
    revision = latest_revision(service_a)
    review = review_page(manager_client, revision)
    day = f"{next_month:%A} {next_month.day} {next_month:%B %Y}"
    assert f"{day}, 10:00 to 14:00: Spring job fair at Church Green hall" in review
    assert "Priya Shah, Employment adviser: 01908 000111, priya@example.org" in review

    revision_approve(revision=revision, reviewer=staff_user)

    page = public_page(client, service_a)
    assert "Spring job fair" in page and "Church Green hall" in page
    assert "Priya Shah" in page and "01908 000111" in page
    session = service_a.sessions.get()
    assert timezone.localtime(session.starts_at).time() == datetime.time(10)
    assert timezone.localtime(session.ends_at).time() == datetime.time(14)


def test_the_organisation_s_own_contact_details_are_editable(manager_client, client, org_a, staff_user):
    url = f"/manage/organisations/{org_a.slug}/edit/"
    form = read_form(manager_client.get(url)).set("phone", "01908 123456").set("email", "hello@alpha.example")
    assert manager_client.post(url, form.as_post()).status_code == 302

    revision_approve(revision=Revision.objects.latest("pk"), reviewer=staff_user)

    page = client.get(org_a.get_absolute_url()).content.decode()
    assert "01908 123456" in page and "hello@alpha.example" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"schedules-0-weekday": "0", "schedules-0-opens_at": "11:00", "schedules-0-closes_at": "13:00"},
            "Monday 09:30–16:00 and Monday 11:00–13:00 overlap.",
        ),
        ({"schedules-weekdays-closes_at": ""}, "Enter both times, or leave both empty."),
        ({"schedules-weekdays-closes_at": "08:00"}, "The closing time must be after the opening time."),
        (
            {"new_places-0-name": "Hub", "new_places-0-postcode": "MK9"},
            "Enter the whole postcode, like MK9 3XS.",
        ),
        ({"new_places-0-name": "Hub", "new_places-0-postcode": "123"}, "Enter a postcode like"),
        ({"new_places-0-name": "Hub"}, "This field is required."),
        (
            {"sessions-0-date": "2030-01-01", "sessions-0-starts": "14:00", "sessions-0-ends": "10:00"},
            "The end time must be after the start time.",
        ),
        ({"cost_options-0-description": "Fee", "cost_options-0-amount": "-5"}, "cannot be less than £0"),
        ({"cost_options-0-amount": "5"}, "This field is required."),
    ],
    ids=[
        "overlapping-hours",
        "half-a-weekday-time",
        "weekdays-close-before-opening",
        "place-without-whole-postcode",
        "place-with-nonsense-postcode",
        "place-without-postcode",
        "session-ends-before-start",
        "negative-charge",
        "charge-without-what-for",
    ],
)
def test_mistakes_are_refused_with_a_message_and_nothing_is_sent(manager_client, service_a, changes, message):
    form = fill_weekday_hours(edit_form(manager_client, service_a))
    for name, value in changes.items():
        form.set(name, value)

    response = send(manager_client, service_a, form, expect=400)

    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Revision.objects.filter(service=service_a).exists()


@pytest.mark.parametrize(
    "field", ["schedules-0-location", "sessions-0-location", "schedules-weekdays-location"]
)
def test_another_organisation_s_place_cannot_be_chosen(manager_client, org_a, service_a, place_b, field):
    LocationFactory(organisation=org_a, name="Alpha Hall")
    form = fill_weekday_hours(edit_form(manager_client, service_a))
    form.set("schedules-0-weekday", "5").set("schedules-0-opens_at", "10:00").set(
        "schedules-0-closes_at", "12:00"
    )
    form.set("sessions-0-date", "2030-01-01").set("sessions-0-starts", "10:00").set(
        "sessions-0-ends", "12:00"
    )
    form.set(field, str(place_b.pk))

    response = send(manager_client, service_a, form, expect=400)

    assert "Select a valid choice" in response.content.decode()
    assert not Revision.objects.filter(service=service_a).exists()
    assert not service_a.schedules.exists()


def test_with_no_places_of_its_own_no_place_is_offered_and_a_posted_one_is_ignored(
    manager_client, service_a, place_b, staff_user
):
    form = fill_weekday_hours(edit_form(manager_client, service_a))
    assert form["schedules-0-location"] == [] and form["schedules-weekdays-location"] == []
    form.set("schedules-weekdays-location", str(place_b.pk))

    send(manager_client, service_a, form)
    revision_approve(revision=latest_revision(service_a), reviewer=staff_user)

    assert service_a.schedules.count() == 5
    assert not service_a.schedules.filter(location__isnull=False).exists()


def test_asking_for_more_rows_keeps_what_was_typed_and_sends_nothing(manager_client, service_a):
    form = fill_charge(fill_weekday_hours(edit_form(manager_client, service_a))).set(
        "summary", "Typed, not sent."
    )
    spare_before = len(
        [name for name, _ in form.fields if name.endswith("-opens_at") and "weekdays" not in name]
    )
    form.set("more_rows_in", "schedules").set("more_rows", "yes")

    response = manager_client.post(EDIT.format(service_a.slug), form.as_post())

    page = response.content.decode()
    assert response.status_code == 200
    assert "We have added more empty rows to" in page and "Nothing has been sent yet." in page
    assert '<a href="#schedules">Opening times</a>' in page
    assert "There is a problem" not in page
    again = read_form(response)
    assert again["summary"] == ["Typed, not sent."]
    assert again["cost_options-0-concessions"] == ["£5 for people on Universal Credit"]
    # The weekday shortcut became five rows, and there are spare rows besides.
    assert [again[f"schedules-{n}-opens_at"] for n in range(5)] == [["09:30"]] * 5
    spare_after = len(
        [name for name, _ in again.fields if name.endswith("-opens_at") and "weekdays" not in name]
    )
    assert spare_after > spare_before
    assert not Revision.objects.filter(service=service_a).exists()


def test_the_opening_times_are_a_few_tabs_from_the_top(manager_client, service_a):
    page = manager_client.get(EDIT.format(service_a.slug)).content.decode()

    contents = page[page.index('<nav class="form-contents"') :]
    assert '<a href="#section-opening-times">Opening times</a>' in contents[: contents.index("</nav>")]
    assert 'id="section-opening-times"' in page


@pytest.mark.parametrize("size", [1, 12], ids=["small-listing", "large-listing"])
def test_the_service_form_reads_the_same_few_rows_however_big_the_listing(
    manager_client, service_a, size, django_assert_max_num_queries
):
    for day in range(size):
        place = LocationFactory(organisation=service_a.organisation)
        service_a.locations.add(place)
        service_a.needs.add(NeedFactory())
        ScheduleFactory(
            service=service_a, location=place, weekday=day % 7, opens_at=datetime.time(day % 7 + 8)
        )

    with django_assert_max_num_queries(12):
        assert manager_client.get(EDIT.format(service_a.slug)).status_code == 200


def test_another_organisation_s_listing_takes_no_places_sessions_or_charges(
    manager_client, service_a, service_b
):
    # The form of the editor's own service, sent to the address of another organisation's.
    form = fill_charge(fill_weekday_hours(fill_new_place(edit_form(manager_client, service_a))))
    form.set("sessions-0-date", "2030-01-01").set("sessions-0-starts", "10:00").set(
        "sessions-0-ends", "12:00"
    )

    response = manager_client.post(EDIT.format(service_b.slug), form.as_post())

    assert response.status_code == 404
    assert not Revision.objects.filter(service=service_b).exists()
    assert not Location.objects.filter(name="Central Library hub").exists()
    assert not (
        service_b.schedules.exists() or service_b.sessions.exists() or service_b.cost_options.exists()
    )
