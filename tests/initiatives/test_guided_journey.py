"""Find help step by step: needs, then about you, then results that respect every answer.

Every step is a GET address; a step sends its answers back to itself and, once they are valid,
redirects to the next step with every answer so far in the query string.
"""

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from initiatives.models import DeliveryMode
from tests.factories import AudienceFactory, NeedFactory, ServiceFactory, place, service_at

pytestmark = pytest.mark.django_db

STEP_1 = reverse("initiatives:find_needs")
STEP_2 = reverse("initiatives:find_about_you")
RESULTS = reverse("initiatives:service_list")


@pytest.fixture
def vocabulary():
    work = NeedFactory(name="Find work", slug="find-work")
    return {
        "work": work,
        "cv": NeedFactory(name="CVs", slug="cvs", parent=work),
        "money": NeedFactory(name="Money", slug="money"),
        "women": AudienceFactory(name="Women", slug="women"),
        "carers": AudienceFactory(name="Care workers", slug="care-workers"),
    }


def query_of(url: str) -> list[tuple[str, str]]:
    parts = urlsplit(url)
    return parse_qsl(parts.query)


def error_summary(response) -> str:
    match = re.search(r'<div[^>]*role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert match, "the page has no error summary"
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()))


def test_the_home_page_starts_the_journey(client):
    assert f'href="{STEP_1}"' in client.get(reverse("initiatives:home")).content.decode()


def test_step_one_offers_every_need_as_a_checkbox(client, vocabulary):
    page = client.get(STEP_1).content.decode()

    for slug in ("find-work", "cvs", "money"):
        assert f'type="checkbox" name="need" value="{slug}"' in page
    assert "<legend><h1>What do you need help with?</h1></legend>" in page
    assert 'role="alert"' not in page, "no errors before anything is answered"


def test_step_one_goes_to_step_two_with_the_needs_chosen(client, vocabulary):
    response = client.get(STEP_1, {"need": ["find-work", "money"], "answered": "yes"})

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == STEP_2
    assert query_of(response["Location"]) == [("need", "find-work"), ("need", "money")]


def test_step_one_without_a_choice_asks_for_one(client, vocabulary):
    response = client.get(STEP_1, {"answered": "yes"})

    assert response.status_code == 400
    assert "Choose at least one thing you need help with." in error_summary(response)
    assert '<a href="#id_need">' in response.content.decode()
    assert 'id="id_need"' in response.content.decode()


def test_step_one_ticks_the_needs_already_chosen_when_you_come_back(client, vocabulary):
    page = client.get(STEP_1, {"need": "money"}).content.decode()

    assert 'value="money" id="need-money" checked' in page
    assert 'value="find-work" id="need-find-work">' in page


def test_step_two_without_needs_starts_again(client, vocabulary):
    response = client.get(STEP_2)

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == STEP_1


def test_step_two_with_an_unknown_need_goes_back_to_say_so(client, vocabulary):
    response = client.get(STEP_2, {"need": "astrology"}, follow=True)

    assert response.status_code == 400
    assert "We do not have a need called “astrology”" in error_summary(response)


def test_step_two_asks_about_you_and_carries_the_needs(client, vocabulary):
    page = client.get(STEP_2, {"need": ["find-work", "money"]}).content.decode()

    assert '<input type="hidden" name="need" value="find-work">' in page
    assert '<input type="hidden" name="need" value="money">' in page
    for field in ('name="age"', 'name="audience" value="women"', 'name="postcode"'):
        assert field in page
    for mode in DeliveryMode:
        assert f'name="mode" value="{mode.value}"' in page
    assert f'href="{STEP_1}?need=find-work&amp;need=money"' in page, "back to step one, answers kept"
    assert f'href="{RESULTS}?need=find-work&amp;need=money"' in page, "skip straight to results"


def test_step_two_sends_every_answer_to_the_results(client, vocabulary):
    response = client.get(
        STEP_2,
        {
            "need": "find-work",
            "age": "30",
            "audience": ["women", "care-workers"],
            "mode": ["in_person", "online"],
            "postcode": "mk93ep",
            "answered": "yes",
        },
    )

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == RESULTS
    assert query_of(response["Location"]) == [
        ("need", "find-work"),
        ("age", "30"),
        ("audience", "care-workers"),  # in the vocabulary's order
        ("audience", "women"),
        ("mode", "in_person"),
        ("mode", "online"),
        ("postcode", "MK9 3EP"),
    ]


def test_step_two_with_no_answers_shows_every_service_for_the_needs(client, vocabulary):
    response = client.get(STEP_2, {"need": "find-work", "answered": "yes"})

    assert response["Location"] == f"{RESULTS}?need=find-work"


@pytest.mark.parametrize(
    ("answers", "field", "says"),
    [
        pytest.param({"age": "old"}, "age", "Enter an age in whole years, from 0 to 120", id="age-a-word"),
        pytest.param({"age": "121"}, "age", "from 0 to 120", id="age-too-high"),
        pytest.param({"age": "-1"}, "age", "from 0 to 120", id="age-negative"),
        pytest.param(
            {"postcode": "SW1A 1AA"}, "postcode", "outside the area we cover", id="postcode-outside"
        ),
        pytest.param({"postcode": "xyz"}, "postcode", "Enter a postcode like MK9 3EP", id="postcode-invalid"),
        pytest.param({"audience": "martians"}, "audience", "“martians”", id="unknown-audience"),
        pytest.param({"mode": "telepathy"}, "mode", "“telepathy”", id="unknown-mode"),
    ],
)
def test_step_two_explains_a_bad_answer_and_keeps_the_others(client, vocabulary, answers, field, says):
    query = {"need": "find-work", "age": "30", "postcode": "MK9", "answered": "yes", **answers}

    response = client.get(STEP_2, query)

    assert response.status_code == 400
    assert says in error_summary(response)
    page = response.content.decode()
    assert f'<a href="#id_{field}">' in page and f'id="id_{field}"' in page
    assert '<input type="hidden" name="need" value="find-work">' in page
    assert "<title>Error:" in page


def test_the_results_respect_every_answer(client, vocabulary):
    women, carers = vocabulary["women"], vocabulary["carers"]
    cv = vocabulary["cv"]
    matching = service_at(place(north=1), name="Matching club", needs=[cv], audiences=[women], minimum_age=18)
    service_at(place(north=0.2), name="Other need", needs=[vocabulary["money"]], audiences=[women])
    ServiceFactory(name="Too young for it", needs=[cv], audiences=[women], maximum_age=25)
    ServiceFactory(name="For others", needs=[cv], audiences=[carers])
    ServiceFactory(name="Online only", needs=[cv], audiences=[women], online=True, in_person=False)
    online_too = ServiceFactory(name="Online anyone", needs=[cv], online=True, in_person=False)
    online_too.audiences.set([women])

    journey = client.get(
        STEP_2,
        {"need": "find-work", "age": "30", "audience": "women", "mode": "in_person", "postcode": "MK9 3EP"}
        | {"answered": "yes"},
    )
    response = client.get(journey["Location"])

    assert response.status_code == 200
    assert [s.name for s in response.context["page_obj"].object_list] == [matching.name]
    assert "1 mile away" in response.content.decode()


@pytest.mark.parametrize(
    ("age", "names"),
    [
        pytest.param("0", ["Any age", "Babies"], id="newborn"),
        pytest.param("17", ["Any age", "Young people"], id="seventeen"),
        pytest.param("18", ["Adults", "Any age", "Young people"], id="eighteen"),
        pytest.param("25", ["Adults", "Any age", "Young people"], id="top-of-a-range"),
        pytest.param("26", ["Adults", "Any age"], id="just-past-a-range"),
        pytest.param("120", ["Adults", "Any age"], id="oldest"),
    ],
)
def test_age_admits_services_whose_limits_include_it(client, age, names):
    ServiceFactory(name="Any age")
    ServiceFactory(name="Adults", minimum_age=18)
    ServiceFactory(name="Young people", minimum_age=16, maximum_age=25)
    ServiceFactory(name="Babies", maximum_age=2)

    response = client.get(RESULTS, {"age": age})

    assert response.status_code == 200
    assert [s.name for s in response.context["page_obj"].object_list] == names


@pytest.mark.parametrize("age", ["-1", "121", "4.5", "forty", "1e3"], ids=str)
def test_a_bad_age_on_the_results_page_is_a_400(client, age):
    ServiceFactory()

    response = client.get(RESULTS, {"age": age})

    assert response.status_code == 400
    assert "Enter an age in whole years, from 0 to 120, like 42." in error_summary(response)
