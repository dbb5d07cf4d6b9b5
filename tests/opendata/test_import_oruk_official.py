"""import_oruk reads the official Open Referral UK material: the national validator's own test feed
and the UK profile's fully nested service (vendored in oruk_spec, see its README)."""

import json
from decimal import Decimal

import pytest

from initiatives.models import Location, Organisation, Service
from tests.opendata.oruk_spec import UK_PROFILE, VALIDATOR_MOCKS, mock
from tests.opendata.test_import_oruk import import_feed

pytestmark = pytest.mark.django_db
UK_SERVICE = UK_PROFILE / "examples" / "service_full.json"


def test_the_validator_feed_imports_its_one_service_and_reports_the_127_repeats_of_its_id():
    output, errors = import_feed(VALIDATOR_MOCKS / "service_list_data.json", source="validator")

    assert "Services: 1 created, 0 updated, 0 unchanged, 0 kept." in output
    assert "127 duplicates, 0 skipped." in output
    assert "service ac148810-d857-441c-9679-408f346de14b appears 128 times in this feed" in errors
    assert "Skipped" not in errors


@pytest.fixture
def mock_feed_with_distinct_ids(tmp_path):
    """The validator's 128 services, each given an id of its own, so that every one is imported."""
    page = mock("service_list_data.json")
    for number, service in enumerate(page["contents"]):
        service["id"] = f"mock-{number}"
    path = tmp_path / "services.json"
    path.write_text(json.dumps(page))
    return path


def test_no_validator_service_is_skipped_for_a_field_open_referral_does_not_require(
    mock_feed_with_distinct_ids,
):
    output, errors = import_feed(mock_feed_with_distinct_ids, source="validator")

    assert "Services: 128 created, 0 updated, 0 unchanged, 0 kept." in output
    assert "0 duplicates, 0 skipped." in output and not errors
    # The 85 services nesting the organisation and the 15 giving only its organization_id share one
    # record; the 28 naming none share one placeholder for staff to sort.
    assert Organisation.objects.count() == 2
    assert (
        Organisation.objects.get(external_id="d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610").services.count() == 100
    )
    output, _ = import_feed(mock_feed_with_distinct_ids, source="validator")
    assert "Services: 0 created, 0 updated, 128 unchanged, 0 kept." in output
    assert "Organisations: 0 created, 0 updated, 2 unchanged, 0 kept." in output


def test_the_uk_profiles_full_service_lands_with_its_place_hours_contact_and_cost():
    output, errors = import_feed(UK_SERVICE, source="uk-profile")

    assert "Services: 1 created" in output and not errors
    service = Service.objects.get()
    assert (service.name, service.website, service.email) == (
        "Community Counselling",
        "http://example.com/counselling",
        "email@example.com",
    )
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.organisation.company_number == "1234567"
    place = service.locations.get()
    assert (place.name, place.address, place.town, place.postcode) == (
        "MyCity Civic Center",
        "1-30 Main Street",
        "MyCity",
        "ABC 1234",
    )
    assert place.accessibility.startswith("The building is equipped with induction loops")
    # The example's latitude 100 is off the globe: the place arrives without coordinates, and says so.
    assert (place.latitude, place.longitude) == (None, None)
    assert "100, 101 is not a point on Earth" in output
    assert [str(schedule) for schedule in service.schedules.all()] == [
        "Thursday 10:00–18:00",
        "Friday 10:00–18:00",
    ]
    assert service.schedules.first().note.startswith("The service is available from 10 am to 6pm")
    contact = service.contacts.get()
    assert (contact.name, contact.role) == ("Ann Persona", "Reception Manager")
    cost = service.cost_options.get()
    assert (cost.description, cost.amount, cost.concessions) == (
        "Under 18s and Over 60s",
        Decimal("35.00"),
        "per 1 hour session",
    )


@pytest.fixture
def import_feed_from(tmp_path):
    def run(service):
        path = tmp_path / "service.json"
        path.write_text(json.dumps(service))
        return import_feed(path, source="uk-profile")

    return run


def test_the_uk_profiles_service_with_phones_languages_and_real_coordinates_lands_whole(import_feed_from):
    """The example has no phone, its language has no name and its coordinates are off the globe:
    the same service with those filled in, as strings where a feed may send them so."""
    service = json.loads(UK_SERVICE.read_text())
    service["phones"] = [{"id": "p1", "number": "01632 960000"}]
    service["languages"] = [{"id": "l1", "name": "English"}, {"id": "l2", "name": "British Sign Language"}]
    service["service_at_locations"][0]["location"].update(latitude="52.0406", longitude="-0.7594")
    service["contacts"][0].update(email="ann@example.org", phones=[{"id": "p2", "number": "01632 960001"}])
    service["cost_options"][0]["amount"] = "35.5"
    service["organization"]["phones"] = [{"id": "p3", "number": "01632 960002"}]

    output, errors = import_feed_from(service)

    assert "Services: 1 created" in output and "Note:" not in output and not errors
    imported = Service.objects.get()
    assert (imported.phone, imported.languages) == ("01632 960000", "English, British Sign Language")
    assert imported.organisation.phone == "01632 960002"
    assert (Location.objects.get().latitude, Location.objects.get().longitude) == (
        Decimal("52.0406"),
        Decimal("-0.7594"),
    )
    assert (imported.contacts.get().email, imported.contacts.get().phone) == (
        "ann@example.org",
        "01632 960001",
    )
    assert imported.cost_options.get().amount == Decimal("35.50")


def test_importing_the_uk_profiles_service_again_changes_nothing():
    import_feed(UK_SERVICE, source="uk-profile")
    output, _ = import_feed(UK_SERVICE, source="uk-profile")

    assert "Services: 0 created, 0 updated, 1 unchanged, 0 kept." in output
    assert "Organisations: 0 created, 0 updated, 1 unchanged, 0 kept." in output
    assert Location.objects.count() == 1
