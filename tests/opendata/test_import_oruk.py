"""import_oruk: another directory's saved Open Referral UK pages become drafts, idempotently.

The official feeds are imported in test_import_oruk_official.py, a live API in test_import_oruk_api.py.
"""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from initiatives.models import AuditEntry, Location, Organisation, Service, ServiceStatus
from initiatives.publishing import PublicationState
from tests.factories import AudienceFactory, NeedFactory

pytestmark = pytest.mark.django_db


def _service(number, **extra):
    return {
        "id": f"svc-{number}",
        "name": f"Feed service {number}",
        "description": f"What feed service {number} does.\nMore detail.",
        "url": f"https://example.org/services/{number}",
        "status": "active",
        "minimum_age": 16,
        "maximum_age": 25,
        "organization": {"id": "org-1", "name": "Feed Org", "description": "An organisation in the feed."},
        **extra,
    }


def _page(*services):
    return {"total_items": len(services), "total_pages": 1, "page_number": 1, "contents": list(services)}


def write_feed(folder, *services, name="page.json"):
    path = folder / name
    path.write_text(json.dumps(_page(*services)))
    return path


def import_feed(*paths, source="test-feed", **options):
    """Run the command; its report (stdout) and its problems (stderr)."""
    out, err = StringIO(), StringIO()
    call_command("import_oruk", *map(str, paths), source=source, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def feed(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    write_feed(folder, _service(1), _service(2, status="defunct"), name="services-1.json")
    write_feed(folder, _service(3), name="services-2.json")
    return folder


def test_feed_becomes_draft_listings(feed):
    output, _ = import_feed(feed)

    assert "Services: 3 created, 0 updated, 0 unchanged, 0 kept." in output
    assert "Organisations: 1 created, 0 updated, 0 unchanged, 0 kept." in output
    organisation = Organisation.objects.get(external_source="test-feed", external_id="org-1")
    assert organisation.publication_state == PublicationState.DRAFT
    services = Service.objects.filter(organisation=organisation).order_by("external_id")
    assert [s.external_id for s in services] == ["svc-1", "svc-2", "svc-3"]
    first = services[0]
    assert (first.name, first.summary, first.website) == (
        "Feed service 1",
        "What feed service 1 does.",
        "https://example.org/services/1",
    )
    assert (first.minimum_age, first.maximum_age, first.publication_state) == (16, 25, PublicationState.DRAFT)
    assert services[1].status == ServiceStatus.ENDED
    assert not Service.objects.published().exists()
    assert AuditEntry.objects.filter(action="import_oruk").count() == 4


def test_importing_again_changes_nothing_and_updates_drafts_only(feed):
    import_feed(feed)
    output, _ = import_feed(feed)
    assert "Services: 0 created, 0 updated, 3 unchanged, 0 kept." in output
    assert Service.objects.count() == 3 and Organisation.objects.count() == 1

    Service.objects.filter(external_id="svc-3").update(publication_state=PublicationState.PUBLISHED)
    write_feed(feed, _service(3, name="Renamed"), name="services-2.json")
    write_feed(feed, _service(1, name="Renamed one"), _service(2, status="defunct"), name="services-1.json")
    output, _ = import_feed(feed)
    assert "Services: 0 created, 1 updated, 1 unchanged, 1 kept." in output
    assert Service.objects.get(external_id="svc-1").name == "Renamed one"
    assert Service.objects.get(external_id="svc-3").name == "Feed service 3"  # reviewed: left alone


def test_the_same_ids_from_another_source_are_other_records(feed):
    import_feed(feed, source="one")
    import_feed(feed, source="two")
    assert Service.objects.count() == 6


def test_bad_records_are_skipped_with_a_reason(tmp_path):
    nameless, idless = _service(4, name=None), _service(5)
    del idless["id"]
    path = write_feed(tmp_path, _service(1), _service(3, url="not a url"), nameless, idless)

    output, errors = import_feed(path)

    assert "Services: 1 created" in output and "0 duplicates, 3 skipped." in output
    assert "svc-3 (Feed service 3): website: Enter a valid URL" in errors
    assert "svc-4 (): the service has no name" in errors
    assert "? (Feed service 5): the service has no id" in errors
    assert Service.objects.count() == 1


@pytest.mark.parametrize(
    "content",
    ["not json", '{"something": "else"}', '{"contents": ["text"]}'],
    ids=["text", "object", "strings"],
)
def test_a_broken_file_imports_nothing(tmp_path, content):
    write_feed(tmp_path, _service(1), name="a.json")
    broken = tmp_path / "b.json"
    broken.write_text(content)
    with pytest.raises(CommandError, match="Nothing was imported"):
        import_feed(tmp_path)
    assert not Service.objects.exists()


def test_missing_path_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Not found"):
        import_feed(tmp_path / "nope.json")


# What Open Referral UK does not require is not required here either -------------------------------


def test_a_service_with_only_an_id_a_name_and_a_status_arrives_for_staff_to_complete(tmp_path):
    path = write_feed(tmp_path, {"id": "bare", "name": "Bare service", "status": "active"})

    output, errors = import_feed(path)

    assert "0 skipped" in output and not errors
    service = Service.objects.get()
    assert service.summary == "Bare service"
    assert "gave no description" in service.description and "before publishing" in service.description
    assert "no organisation" in service.organisation.name
    assert service.organisation.publication_state == PublicationState.DRAFT


def test_services_naming_no_organisation_share_one_placeholder_for_staff_to_sort(tmp_path):
    path = write_feed(tmp_path, *({"id": f"bare-{n}", "name": "Bare", "status": "active"} for n in range(3)))
    import_feed(path)
    output, _ = import_feed(path)

    assert Organisation.objects.count() == 1
    assert Organisation.objects.get().services.count() == 3
    assert "Services: 0 created, 0 updated, 3 unchanged" in output


def test_a_null_or_absent_optional_value_is_the_same_as_none(tmp_path):
    nulls = {
        key: None
        for key in [
            "description", "url", "email", "minimum_age", "maximum_age", "organization_id", "organization",
            "phones", "schedules", "service_at_locations", "languages", "cost_options", "contacts",
            "attributes", "eligibility_description", "fees_description",
        ]
    }  # fmt: skip
    path = write_feed(tmp_path, {"id": "nulls", "name": "Nulls", "status": "active", **nulls})
    output, errors = import_feed(path)
    assert "Services: 1 created" in output and not errors
    service = Service.objects.get()
    assert (service.website, service.email, service.minimum_age, service.phone) == ("", "", None, "")


def test_a_missing_status_is_taken_as_active_and_flagged_for_review(tmp_path):
    path = write_feed(tmp_path, {"id": "no-status", "name": "No status"})
    output, _ = import_feed(path)
    assert Service.objects.get().status == ServiceStatus.ACTIVE
    assert "status “none” is not one of Open Referral's; “active” assumed, check it" in output


# An organisation given by id only -----------------------------------------------------------------


def _by_id(number, organisation_id):
    service = _service(number, organization_id=organisation_id)
    del service["organization"]
    return service


def test_an_organisation_given_by_id_is_the_one_the_feed_nests_elsewhere(tmp_path):
    path = write_feed(tmp_path, _by_id(1, "org-1"), _service(2))
    output, _ = import_feed(path)

    assert "Organisations: 1 created" in output
    assert {service.organisation.name for service in Service.objects.all()} == {"Feed Org"}


def test_an_organisation_given_by_id_is_the_one_already_imported_and_left_as_it_is(tmp_path):
    import_feed(write_feed(tmp_path, _service(1)))
    Organisation.objects.update(name="Feed Org, as staff corrected it")

    output, _ = import_feed(write_feed(tmp_path, _by_id(2, "org-1"), name="later.json"))

    assert Organisation.objects.count() == 1
    assert Service.objects.get(external_id="svc-2").organisation.name == "Feed Org, as staff corrected it"
    assert "Organisations: 0 created, 0 updated, 1 unchanged" in output


def test_an_organisation_known_only_by_id_becomes_a_placeholder_draft(tmp_path):
    path = write_feed(tmp_path, _by_id(1, "org-77"), _by_id(2, "org-77"))
    import_feed(path)

    organisation = Organisation.objects.get()
    assert (organisation.external_source, organisation.external_id) == ("test-feed", "org-77")
    assert organisation.publication_state == PublicationState.DRAFT
    assert "org-77" in organisation.name
    assert "Add its name and description before publishing" in organisation.description
    assert organisation.services.count() == 2


def test_the_feeds_record_of_the_organisation_then_completes_the_placeholder(tmp_path):
    import_feed(write_feed(tmp_path, _by_id(1, "org-1")))
    output, _ = import_feed(write_feed(tmp_path, _by_id(1, "org-1"), _service(2)))

    assert Organisation.objects.get().name == "Feed Org"
    assert "Organisations: 0 created, 1 updated" in output


# Duplicates -------------------------------------------------------------------------------------------


def test_an_id_repeated_in_a_feed_is_reported_and_only_its_first_record_imported(tmp_path):
    path = write_feed(tmp_path, _service(1), _service(1, name="Another record, same id"), _service(1))

    output, errors = import_feed(path)

    assert "service svc-1 appears 3 times in this feed; only the first was imported" in errors
    assert "2 duplicates, 0 skipped." in output
    assert Service.objects.get().name == "Feed service 1"
    output, _ = import_feed(path)
    assert "Services: 0 created, 0 updated, 1 unchanged, 0 kept." in output


# Terms --------------------------------------------------------------------------------------------------


def test_taxonomy_terms_matching_our_needs_are_linked(tmp_path):
    need = NeedFactory(name="Digital skills")
    audience = AudienceFactory(name="Carers")
    attributes = [
        {"id": "a1", "taxonomy_term": {"id": "t1", "term": "digital skills"}},
        {"id": "a2", "taxonomy_term": {"id": "t2", "name": "CARERS", "description": "Named, no term"}},
        {"id": "a3", "taxonomy_term": {"id": "t3", "term": "Something we do not list"}},
    ]
    import_feed(write_feed(tmp_path, _service(1, attributes=attributes)))
    service = Service.objects.get()
    assert list(service.needs.all()) == [need] and list(service.audiences.all()) == [audience]


def test_our_own_terms_are_matched_by_their_id_whatever_they_are_called(tmp_path):
    need, audience = NeedFactory(name="Money advice"), AudienceFactory(name="Money advice")
    decoy = NeedFactory(name="Renamed elsewhere")
    attributes = [
        {
            "id": "a1",
            "link_type": "need",
            "taxonomy_term_id": str(need.uuid),
            "taxonomy_term": {"id": str(need.uuid), "term": "Renamed elsewhere"},
        },
        {"id": "a2", "link_type": "audience", "taxonomy_term": {"id": "x", "term": "money advice"}},
    ]
    import_feed(write_feed(tmp_path, _service(1, attributes=attributes)))
    service = Service.objects.get()
    assert list(service.needs.all()) == [need] and decoy not in service.needs.all()
    assert list(service.audiences.all()) == [audience]


# Hours, places, contacts and costs ------------------------------------------------------------------


def _detailed(number, **changes):
    details = dict(
        phones=[{"id": "p1", "number": "01632 960001"}],
        languages=[{"id": "l1", "name": "English"}, {"id": "l2", "name": "Polish"}],
        schedules=[
            {"id": "w1", "freq": "WEEKLY", "byday": "MO,WE", "opens_at": "09:30", "closes_at": "12:00:00"},
            {
                "id": "d1",
                "dtstart": "2031-03-04",
                "valid_from": "2031-03-04",
                "valid_to": "2031-03-04",
                "opens_at": "18:00:00",
                "closes_at": "20:00:00",
                "description": "Spring open evening",
            },
        ],
        service_at_locations=[
            {
                "id": "sal-1",
                "location": {
                    "id": "loc-1",
                    "location_type": "physical",
                    "name": "Example Hall",
                    "latitude": "52.0406",
                    "longitude": -0.7594,
                    "addresses": [
                        {
                            "id": "ad1",
                            "address_1": "PO Box 1",
                            "city": "Postal Town",
                            "address_type": "postal",
                        },
                        {
                            "id": "ad2",
                            "address_1": "1 Example Street",
                            "city": "Milton Keynes",
                            "postal_code": "MK9 9ZZ",
                            "address_type": "physical",
                        },
                    ],
                    "accessibility": [{"id": "ac1", "description": "Step-free entrance"}],
                },
            }
        ],
        contacts=[
            {
                "id": "c1",
                "name": "Ann Example",
                "title": "Coordinator",
                "email": "ann@example.org",
                "phones": [{"id": "cp1", "number": "01632 960002"}],
            }
        ],
        cost_options=[
            {"id": "co1", "option": "Per session", "amount": "3.5", "amount_description": "£1 for students"}
        ],
    )
    return _service(number, **{**details, **changes})


def test_hours_places_contacts_costs_phones_and_languages_land(tmp_path):
    output, errors = import_feed(write_feed(tmp_path, _detailed(1)))

    assert "Services: 1 created" in output and not errors and "Note:" not in output
    service = Service.objects.get()
    assert (service.phone, service.languages) == ("01632 960001", "English, Polish")
    assert [str(schedule) for schedule in service.schedules.all()] == [
        "Monday 09:30–12:00",
        "Wednesday 09:30–12:00",
    ]
    session = service.sessions.get()
    assert session.title == "Spring open evening"
    assert session.starts_at == datetime.datetime(2031, 3, 4, 18, tzinfo=datetime.UTC)  # GMT in March
    place = service.locations.get()
    assert place.organisation == service.organisation
    assert (place.name, place.address, place.town, place.postcode) == (
        "Example Hall",
        "1 Example Street",
        "Milton Keynes",
        "MK9 9ZZ",
    )
    assert (place.latitude, place.longitude, place.accessibility) == (
        Decimal("52.0406"),
        Decimal("-0.7594"),
        "Step-free entrance",
    )
    contact = service.contacts.get()
    assert (contact.name, contact.role, contact.email, contact.phone) == (
        "Ann Example",
        "Coordinator",
        "ann@example.org",
        "01632 960002",
    )
    cost = service.cost_options.get()
    assert (cost.description, cost.amount, cost.concessions) == (
        "Per session",
        Decimal("3.50"),
        "£1 for students",
    )
    audited = AuditEntry.objects.filter(action="import_oruk").values_list("object_repr", flat=True)
    assert sorted(audited) == ["Example Hall", "Feed Org", "Feed service 1"]


def test_a_changed_draft_has_its_hours_contacts_and_costs_replaced_and_its_place_updated(tmp_path):
    import_feed(write_feed(tmp_path, _detailed(1)))
    place = Location.objects.get()
    changed = _detailed(1, contacts=[{"id": "c2", "name": "Bob Example"}], cost_options=[])
    changed["schedules"] = changed["schedules"][:1]
    changed["service_at_locations"][0]["location"]["name"] = "Example Hall, upstairs"

    output, _ = import_feed(write_feed(tmp_path, changed))

    assert "Services: 0 created, 1 updated" in output
    service = Service.objects.get()
    assert [contact.name for contact in service.contacts.all()] == ["Bob Example"]
    assert not service.cost_options.exists() and not service.sessions.exists()
    assert service.schedules.count() == 2
    assert list(service.locations.all()) == [place]  # the same place, matched on the feed's id
    assert Location.objects.get().name == "Example Hall, upstairs"


def test_a_reviewed_service_keeps_its_hours_contacts_and_places(tmp_path):
    import_feed(write_feed(tmp_path, _detailed(1)))
    Service.objects.update(publication_state=PublicationState.PENDING)
    changed = _detailed(1, contacts=[], schedules=[], service_at_locations=[])

    output, _ = import_feed(write_feed(tmp_path, changed))

    assert "Services: 0 created, 0 updated, 0 unchanged, 1 kept." in output
    service = Service.objects.get()
    assert service.contacts.count() == 1 and service.schedules.count() == 2
    assert service.locations.count() == 1


def test_a_reviewed_organisations_place_is_left_as_staff_made_it(tmp_path):
    import_feed(write_feed(tmp_path, _detailed(1)))
    Organisation.objects.update(publication_state=PublicationState.PUBLISHED)
    Location.objects.update(name="Example Hall (corrected)")
    changed = _detailed(1, name="Renamed service")
    changed["service_at_locations"][0]["location"]["name"] = "Example Hall, as the feed has it"

    import_feed(write_feed(tmp_path, changed))

    assert Service.objects.get().name == "Renamed service"
    assert Location.objects.get().name == "Example Hall (corrected)"


def test_parts_our_model_cannot_hold_are_left_out_with_a_note_and_the_service_still_arrives(tmp_path):
    service = _detailed(
        1,
        schedules=[
            {"id": "m1", "freq": "MONTHLY", "byday": "1MO", "opens_at": "10:00", "closes_at": "12:00"},
            {"id": "w2", "freq": "WEEKLY", "byday": "TU", "opens_at": "14:00", "closes_at": "11:00"},
        ],
        contacts=[{"id": "c1", "name": "Ann Example", "email": "not an email"}],
    )
    service["service_at_locations"][0]["location"].update(latitude=95, longitude=0)

    output, errors = import_feed(write_feed(tmp_path, service))

    assert "Services: 1 created" in output and not errors
    assert "schedule m1 (MONTHLY) is neither weekly hours nor a dated session; left out" in output
    assert "schedule “Tuesday 14:00–11:00” left out" in output
    assert "contact “Ann Example” left out: email: Enter a valid email address." in output
    assert "place loc-1: 95, 0 is not a point on Earth; coordinates left empty" in output
    created = Service.objects.get()
    assert not created.schedules.exists() and not created.contacts.exists()
    assert created.locations.get().latitude is None


def test_a_service_from_our_own_api_keeps_its_summary_and_its_free_cost(tmp_path, settings):
    ours = _service(
        1,
        description="Help with forms.\n\nA volunteer sits with you.",
        url=f"{settings.SITE_URL}/services/forms-help/",
        fees="Free. Bring your own paper.",
        service_areas=[{"id": "sa1", "name": "Anywhere in Milton Keynes", "extent_type": "text"}],
    )
    import_feed(write_feed(tmp_path, ours))

    service = Service.objects.get()
    assert (service.summary, service.description) == ("Help with forms.", "A volunteer sits with you.")
    assert service.website == ""  # our own page is not the service's website
    assert (service.is_free, service.cost_description) == (True, "Bring your own paper.")
    assert service.get_service_area_display() == "Anywhere in Milton Keynes"
