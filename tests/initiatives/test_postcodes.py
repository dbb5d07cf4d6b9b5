"""Postcodes as residents type them: read in any case and spacing, placed from the shipped data,
and refused with a message that says what to do when they are not postcodes or not ours."""

import csv
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from initiatives.postcodes import SECTORS_FILE, Postcode, parse_postcode, postcode_point, sector_centroids
from tests.factories import ServiceFactory

URL = reverse("initiatives:service_list")
ATTRIBUTION = "Contains OS data © Crown copyright and database right"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("MK9 3EP", Postcode("MK9", "3", "EP"), id="full-as-printed"),
        pytest.param("mk93ep", Postcode("MK9", "3", "EP"), id="full-lower-case-no-space"),
        pytest.param("  Mk9   3eP ", Postcode("MK9", "3", "EP"), id="full-odd-case-and-spacing"),
        pytest.param("MK103AB", Postcode("MK10", "3", "AB"), id="full-two-digit-district"),
        pytest.param("mk1 3ab", Postcode("MK1", "3", "AB"), id="full-one-digit-district"),
        pytest.param("mk9", Postcode("MK9"), id="outward-lower-case"),
        pytest.param(" MK 10 ", Postcode("MK10"), id="outward-with-stray-space"),
        pytest.param("MK9 3", Postcode("MK9", "3"), id="sector"),
        pytest.param("SW1A 1AA", Postcode("SW1A", "1", "AA"), id="full-with-district-letter"),
    ],
)
def test_postcodes_are_read_in_any_case_and_spacing(typed, expected):
    assert parse_postcode(typed) == expected


def test_a_postcode_prints_in_its_usual_form():
    assert str(parse_postcode("mk93ep")) == "MK9 3EP"
    assert str(parse_postcode("mk9")) == "MK9"


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("hello", id="word"),
        pytest.param("12345", id="digits"),
        pytest.param("MK", id="area-only"),
        pytest.param("MK9 3E", id="unit-cut-short"),
        pytest.param("MK9 3EPP", id="unit-too-long"),
        pytest.param("9MK 3EP", id="digits-first"),
        pytest.param("MK9-3EP", id="punctuation"),
    ],
)
def test_what_is_not_a_postcode_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as refused:
        postcode_point(typed)

    assert refused.value.code == "invalid"
    assert "like MK9 3EP" in refused.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("SW1A 1AA", id="london"),
        pytest.param("m1 1ae", id="manchester-one-letter-area"),
        pytest.param("B1", id="birmingham-outward"),
        pytest.param("NN1 1AA", id="northampton-next-door"),
    ],
)
def test_a_postcode_outside_milton_keynes_is_named_as_outside(typed):
    with pytest.raises(ValidationError) as refused:
        postcode_point(typed)

    assert refused.value.code == "outside"
    message = refused.value.messages[0]
    assert str(parse_postcode(typed)) in message
    assert "outside the area we cover" in message


@pytest.mark.parametrize(
    "typed",
    [pytest.param("MK99 9ZZ", id="no-such-district"), pytest.param("MK9 9AA", id="no-such-sector")],
)
def test_an_mk_postcode_we_cannot_place_says_so(typed):
    with pytest.raises(ValidationError) as refused:
        postcode_point(typed)

    assert refused.value.code == "unknown"
    assert "We cannot find" in refused.value.messages[0]


def test_a_full_postcode_is_placed_at_its_sector_centroid():
    postcode, point = postcode_point("mk93ep")

    assert postcode == Postcode("MK9", "3", "EP")
    assert point == sector_centroids()["MK9 3"].point


def test_an_outward_code_is_placed_among_its_sectors_weighted_by_postcodes():
    sectors = {code: c for code, c in sector_centroids().items() if code.startswith("MK9 ")}
    total = sum(c.postcodes for c in sectors.values())

    _, point = postcode_point("MK9")

    expected = sum(c.point.latitude * c.postcodes for c in sectors.values()) / total
    assert point.latitude == pytest.approx(expected)
    assert min(c.point.longitude for c in sectors.values()) <= point.longitude
    assert point.longitude <= max(c.point.longitude for c in sectors.values())


def test_shipped_sector_data_is_attributed_and_plausible():
    text = SECTORS_FILE.read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))

    assert ATTRIBUTION in text
    assert len(rows) > 100, "every sector of the MK postcode area"
    for row in rows:
        assert re.fullmatch(r"MK\d{1,2} \d", row["sector"])
        # The MK postcode area lies between Bedford, Buckingham and Leighton Buzzard.
        assert 51.8 < float(row["latitude"]) < 52.4
        assert -1.2 < float(row["longitude"]) < -0.3
        assert int(row["postcodes"]) > 0


def test_readme_carries_the_attribution():
    from django.conf import settings

    assert ATTRIBUTION in (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")


def error_summary(response) -> str:
    match = re.search(r'<div[^>]*role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert match, "the page has no error summary"
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "says"),
    [
        pytest.param({"postcode": "not a postcode"}, "Enter a postcode like MK9 3EP", id="invalid"),
        pytest.param({"postcode": "sw1a1aa"}, "“SW1A 1AA” is outside the area we cover", id="outside"),
        pytest.param({"postcode": "MK99 9ZZ"}, "We cannot find the postcode “MK99 9ZZ”", id="unknown"),
        pytest.param({"postcode": "MK9 " * 10}, "at most 20 characters", id="too-long"),
        pytest.param({"distance": "3"}, "Enter your postcode to see services within", id="distance-alone"),
        pytest.param({"sort": "distance"}, "Enter your postcode to sort", id="sort-by-distance-alone"),
        pytest.param(
            {"postcode": "MK9", "distance": "7"}, "We do not have a distance called “7”", id="odd-distance"
        ),
    ],
)
def test_bad_where_input_is_a_400_with_a_summary_linking_to_the_field(client, query, says):
    ServiceFactory(name="Job club")

    response = client.get(URL, query)

    assert response.status_code == 400
    assert says in error_summary(response)
    target = re.search(r'role="alert".*?<a href="#([^"]+)"', response.content.decode(), re.S).group(1)
    assert f'id="{target}"' in response.content.decode(), "the summary links to the field at fault"


@pytest.mark.django_db
def test_a_good_postcode_shows_the_results_and_keeps_what_was_typed(client):
    ServiceFactory(name="Job club")

    response = client.get(URL, {"postcode": "mk9 3ep"})

    assert response.status_code == 200
    assert response.context["paginator"].count == 1
    assert 'value="mk9 3ep"' in response.content.decode()
    assert "Places near MK9 3EP come first" in response.content.decode()
