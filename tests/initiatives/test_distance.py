"""Searching from a postcode: places nearest first, then what anyone in Milton Keynes can use,
labelled, never dropped; a distance keeps only the places within it."""

import io
import math
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from initiatives.geo import EARTH_RADIUS_MILES, Point
from initiatives.models import Service, ServiceArea
from tests.factories import CENTRAL_MK, ServiceFactory, place, point_from, service_at

pytestmark = pytest.mark.django_db

URL = reverse("initiatives:service_list")


def great_circle_miles(a: Point, b: Point) -> float:
    """The haversine distance: the yardstick for the approximation the database uses."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


@pytest.fixture
def directory():
    """In-person services at known distances from MK9 3, and services distance does not apply to."""
    return {
        "near": service_at(place(north=0.5), name="Near hall"),
        "middle": service_at(place(east=-2), name="Middle hall"),
        "far": service_at(place(north=-8), name="Far hall"),
        "online": ServiceFactory(name="Online course", online=True, in_person=False),
        "borough": ServiceFactory(name="Borough advice", service_area=ServiceArea.BOROUGH),
        "phone": ServiceFactory(name="Phone line", by_phone=True, in_person=False),
        "unknown": ServiceFactory(name="Unplaced club"),
    }


def shown(response) -> list[tuple[str, str]]:
    return [(service.name, service.reach_label) for service in response.context["page_obj"].object_list]


def test_a_central_mk_postcode_lists_places_by_distance_then_online_and_borough_wide_labelled(
    client, directory
):
    response = client.get(URL, {"postcode": "MK9 3EP"})

    assert response.status_code == 200
    assert shown(response) == [
        ("Near hall", "0.5 miles away"),
        ("Middle hall", "2 miles away"),
        ("Far hall", "8 miles away"),
        ("Borough advice", "Covers all of Milton Keynes"),
        ("Online course", "Online"),
        ("Phone line", "By phone"),
        ("Unplaced club", "Address not yet provided"),
    ]
    page = response.content.decode()
    assert "0.5 miles away" in page and "Covers all of Milton Keynes" in page and ">Online<" in page
    assert "Places near MK9 3EP come first" in page


def test_distance_keeps_places_within_it_and_everything_anyone_can_use(client, directory):
    response = client.get(URL, {"postcode": "mk93ep", "distance": "3"})

    assert [name for name, _ in shown(response)] == [
        "Near hall",
        "Middle hall",
        "Borough advice",
        "Online course",
        "Phone line",
    ]
    assert "Showing places within 3 miles of MK9 3EP" in response.content.decode()


@pytest.mark.parametrize(
    ("east", "kept"),
    [
        pytest.param(2.95, True, id="just-inside-due-east"),
        pytest.param(3.05, False, id="just-outside-due-east"),
        pytest.param(-2.95, True, id="just-inside-due-west"),
    ],
)
def test_the_distance_limit_is_in_miles_east_and_west_too(client, east, kept):
    service_at(place(east=east), name="Edge hall")

    response = client.get(URL, {"postcode": "MK9 3EP", "distance": "3"})

    assert ("Edge hall" in [name for name, _ in shown(response)]) is kept


def test_a_place_moved_since_the_last_search_shows_its_new_distance_and_order(client, directory):
    """The distances are kept with a search's results for the next page; a moved place is not."""
    client.get(URL, {"postcode": "MK9 3EP"})
    moved = directory["near"].locations.get()
    moved_to = point_from(CENTRAL_MK, north=-12)
    moved.latitude, moved.longitude = f"{moved_to.latitude:.6f}", f"{moved_to.longitude:.6f}"
    moved.save()

    response = client.get(URL, {"postcode": "MK9 3EP"})

    assert shown(response)[:3] == [
        ("Middle hall", "2 miles away"),
        ("Far hall", "8 miles away"),
        ("Near hall", "12 miles away"),
    ]


def test_a_service_with_several_places_is_as_near_as_its_nearest(client):
    service_at(place(north=6), place(north=1.5), name="Two halls")
    service_at(place(north=1), name="One hall")

    response = client.get(URL, {"postcode": "MK9 3EP", "distance": "2"})

    assert shown(response) == [("One hall", "1 mile away"), ("Two halls", "1.5 miles away")]


def test_an_in_person_and_online_service_beyond_the_limit_stays_as_online(client):
    service_at(place(north=9), name="Far but online", online=True)

    response = client.get(URL, {"postcode": "MK9 3EP", "distance": "1"})

    assert shown(response) == [("Far but online", "Online")]


@pytest.mark.parametrize(
    ("north", "east"),
    [
        pytest.param(0.3, 0.4, id="half-a-mile"),
        pytest.param(-4, 3, id="five-miles"),
        pytest.param(10, -12, id="across-the-area"),
    ],
)
def test_distances_shown_agree_with_the_great_circle_distance(north, east):
    located = point_from(CENTRAL_MK, north=north, east=east)
    service_at(place(north=north, east=east))

    annotated = Service.objects.with_distance(CENTRAL_MK).get()

    expected = great_circle_miles(CENTRAL_MK, located)
    assert annotated.reach_label == f"{round(expected, 1):g} miles away"


def test_another_sort_keeps_its_order_and_still_labels_distances(client, directory):
    response = client.get(URL, {"postcode": "MK9 3EP", "sort": "name"})

    assert [name for name, _ in shown(response)] == sorted(name for name, _ in shown(response))
    assert ("Near hall", "0.5 miles away") in shown(response)
    assert 'value="name" selected' in response.content.decode()


def sort_menu(response) -> tuple[list[str], str]:
    """The "Sort by" options as the page offers them, and the value the form would send."""
    menu = re.search(r'<select name="sort".*?</select>', response.content.decode(), re.S).group()
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', menu)
    chosen = [value for value, selected, _ in options if selected] or [options[0][0]]
    return [label for _, _, label in options], chosen[0]


def test_nearest_first_is_shown_as_the_sort_when_a_postcode_is_given(client, directory):
    labels, _ = sort_menu(client.get(URL, {"postcode": "MK9 3EP"}))

    assert labels[0] == "Nearest first"


def test_a_postcode_typed_into_the_list_form_sorts_nearest_first(client, directory):
    """The form as the page sends it: the default order is no choice, so the postcode decides."""
    _, sent = sort_menu(client.get(URL))

    response = client.get(URL, {"q": "", "postcode": "MK9 3XS", "sort": sent})

    names = [name for name, _ in shown(response)]
    assert names[:3] == ["Near hall", "Middle hall", "Far hall"]


def test_best_match_can_still_be_chosen_with_a_postcode(client, directory):
    response = client.get(URL, {"postcode": "MK9 3EP", "sort": "relevance"})

    assert sort_menu(response)[1] == "relevance"
    assert [name for name, _ in shown(response)] == sorted(name for name, _ in shown(response))


@pytest.mark.parametrize(
    "typed", ["MK9 9AA", "SW1A 1AA", "hello"], ids=["unknown", "outside", "not-a-postcode"]
)
def test_a_postcode_we_cannot_use_shows_its_error_and_claims_no_count(client, directory, typed):
    response = client.get(URL, {"q": "hall", "postcode": typed})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_postcode"' in page  # the error summary leads to the box
    assert 'aria-invalid="true"' in page.split('id="id_postcode"')[1].split(">")[0]
    assert "found" not in page.split('id="results"')[1]
    assert 'value="hall"' in page  # what was typed is kept to put right


def test_without_a_postcode_no_distances_are_shown(client, directory):
    response = client.get(URL)

    assert all(label == "" for _, label in shown(response))
    assert "miles away" not in response.content.decode()


def test_outward_code_search_works_too(client, directory):
    response = client.get(URL, {"postcode": "mk9"})

    assert response.status_code == 200
    assert shown(response)[0][0] == "Near hall"


def test_on_the_demo_data_a_postcode_keeps_every_service_visible_and_labelled(client):
    call_command("load_demo", stdout=io.StringIO())
    everything = client.get(URL).context["paginator"].count

    response = client.get(URL, {"postcode": "MK9 3EP"})
    within = client.get(URL, {"postcode": "MK9 3EP", "distance": "1"})

    assert response.status_code == 200
    assert response.context["paginator"].count == everything
    labels = [label for _, label in shown(response)]
    assert labels and all(labels), "every demo service is labelled"
    assert "Covers all of Milton Keynes" in labels
    # The demo gives no addresses, and its services serve the whole borough: none is dropped.
    assert within.context["paginator"].count == everything
