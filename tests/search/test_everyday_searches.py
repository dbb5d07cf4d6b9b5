"""Everyday searches on the demo directory, typed as residents put them.

Each search is how someone from the brief might say what they need (a care worker whose visa route
closed; someone out of work for two years and not confident online; a woman who wants a career in
tech; a Black or Asian entrepreneur starting a business; a family in work but short of money), with
the services a helpful adviser would send them to. A search passes when one of those is in the top
three of the public list and the list is not the whole directory.

"Not the whole directory" means fewer than all the current services, not at most half: five of the
demo's eight current services help people into work, so a search about work rightly finds more
than half of them.

PostgreSQL must pass at least 19 in 20 of them. The SQLite fallback has no stemmer (plurals only)
and matches words inside other words ("work" in "network", "it" excluded), so it is held to
17 in 20.
"""

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Service
from initiatives.search.models import UnmatchedSearch

pytestmark = pytest.mark.django_db

URL = reverse("initiatives:service_list")
ON_POSTGRESQL = connection.vendor == "postgresql"
PASS_RATE = 0.95 if ON_POSTGRESQL else 0.85

INTO_WORK = "works-for-us-journey-into-work"
DIGITAL_SKILLS = "works-for-us-digital-skills"
ONLINE_PLATFORM = "works-for-us-online-platform"
CARE_WORKER_VISA = "works-for-us-care-worker-visa-programme"
CITIZENS_ADVICE = "citizens-advice-general-advice"
GET_WORKING = "get-south-midlands-working"
WOMEN_LEADERS = "career-connect-women-in-leadership"
BUSINESS_HUBS = "prototyping-community-innovation-hubs"


@dataclass(frozen=True)
class Everyday:
    words: str
    advised: frozenset[str]  # any one of these in the top three will do

    def __str__(self):
        return self.words


def everyday(words: str, *advised: str) -> Everyday:
    return Everyday(words, frozenset(advised))


EVERYDAY_SEARCHES = [
    # out of work for two years, not confident online
    everyday("help with my cv", INTO_WORK, DIGITAL_SKILLS),
    everyday("i lost my job", INTO_WORK, GET_WORKING, DIGITAL_SKILLS),
    everyday("been out of work 2 years", INTO_WORK, GET_WORKING, DIGITAL_SKILLS),
    everyday("improve my computer skills", DIGITAL_SKILLS),
    everyday("learn to use a laptop", DIGITAL_SKILLS),
    everyday("IT course", DIGITAL_SKILLS),
    everyday("not confident online", DIGITAL_SKILLS, INTO_WORK),
    everyday("interview practice", INTO_WORK, DIGITAL_SKILLS),
    everyday("job club", INTO_WORK, GET_WORKING, DIGITAL_SKILLS),
    everyday("apprenticeship", GET_WORKING, INTO_WORK, DIGITAL_SKILLS),
    everyday("confidence", INTO_WORK),
    everyday("I feel lonely", INTO_WORK),
    everyday("applying for jobs online", DIGITAL_SKILLS),
    # a care worker whose visa route closed
    everyday("my visa was cancelled", CARE_WORKER_VISA),
    everyday("care worker visa", CARE_WORKER_VISA),
    everyday("sponsorship for care workers", CARE_WORKER_VISA),
    everyday("am I being exploited at work", CARE_WORKER_VISA),
    everyday("modern slavery", CARE_WORKER_VISA),
    # a family in work but short of money
    everyday("cant pay my bills", CITIZENS_ADVICE),
    everyday("working but short of money", CITIZENS_ADVICE),
    everyday("cost of living help", CITIZENS_ADVICE),
    everyday("debt advice", CITIZENS_ADVICE),
    # a woman who wants a career in tech
    everyday("women in tech", WOMEN_LEADERS),
    everyday("coding for girls", WOMEN_LEADERS),
    everyday("career in technology", WOMEN_LEADERS),
    # a Black or Asian entrepreneur starting a business
    everyday("black entrepreneur", BUSINESS_HUBS),
    everyday("start my own business", BUSINESS_HUBS),
    everyday("self employed", BUSINESS_HUBS),
    # misspelt
    everyday("diggital skils", DIGITAL_SKILLS),
    everyday("bussiness start-up", BUSINESS_HUBS),
]


def search(client, words: str):
    response = client.get(URL, {"q": words})
    assert response.status_code == 200
    return response


def slugs(response) -> list[str]:
    return [service.slug for service in response.context["page_obj"].object_list]


def visible_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def test_everyday_searches_put_a_right_service_in_the_top_three(client, demo_directory):
    current = Service.objects.published().current().count()
    failed = []
    for wanted in EVERYDAY_SEARCHES:
        response = search(client, wanted.words)
        found, count = slugs(response), response.context["paginator"].count
        if not wanted.advised.intersection(found[:3]):
            failed.append(f"{wanted}: top three {found[:3]}, wanted one of {sorted(wanted.advised)}")
        elif count >= current:
            failed.append(f"{wanted}: all {count} services listed")

    passed = len(EVERYDAY_SEARCHES) - len(failed)
    assert passed >= PASS_RATE * len(EVERYDAY_SEARCHES), (
        f"{passed} of {len(EVERYDAY_SEARCHES)} everyday searches passed on {connection.vendor}; failed:\n"
        + "\n".join(failed)
    )


# ---- "Did you mean" corrects misspellings, never real words ----------------------------------


@pytest.mark.parametrize(
    ("words", "never"),
    [
        pytest.param("i lost my job", "cost", id="lost-is-not-cost"),
        pytest.param("IT course", "close", id="course-is-not-close"),
        pytest.param("lost", "cost", id="lost-alone-finding-nothing"),
        pytest.param("skills course", "cost", id="course-with-a-word-that-matches"),
    ],
)
def test_a_real_word_is_never_corrected(client, demo_directory, words, never):
    response = search(client, words)

    suggestion = response.context.get("suggestion")
    assert suggestion is None or never not in suggestion.text
    assert response.context["corrected_text"] == ""
    page = visible_text(response)
    assert "Did you mean" not in page
    assert "Including results for" not in page


@pytest.mark.parametrize(
    ("words", "corrected", "advised"),
    [
        pytest.param("diggital skils", "digital skills", {DIGITAL_SKILLS}, id="diggital-skils"),
        pytest.param("emploiment", "employment", {INTO_WORK, GET_WORKING, DIGITAL_SKILLS}, id="emploiment"),
        pytest.param("cv writting", "cv writing", {INTO_WORK, DIGITAL_SKILLS}, id="cv-writting"),
        pytest.param("comptuer skills", "computer skills", {DIGITAL_SKILLS}, id="letters-swapped"),
        pytest.param("lonley", "lonely", {INTO_WORK}, id="lonley"),
    ],
)
def test_a_misspelling_is_corrected_and_finds_the_service(client, demo_directory, words, corrected, advised):
    response = search(client, words)

    assert response.context["corrected_text"] == corrected
    assert f"Including results for “{corrected}”." in visible_text(response)
    assert advised.intersection(slugs(response)[:3])


def test_a_misspelling_that_finds_nothing_offers_a_close_word(client, demo_directory):
    response = search(client, "tekh")

    assert response.context["paginator"].count == 0
    assert response.context["suggestion"].text == "tech"
    assert "Did you mean tech?" in visible_text(response)


# ---- when no service has every word -----------------------------------------------------------


@pytest.mark.usefixtures("pages_drawn_afresh")  # reads the context of a repeated request
@pytest.mark.parametrize(
    ("words", "message", "advised"),
    [
        pytest.param(
            "my visa was cancelled",
            "No service matches both words you searched for: “visa” and “cancelled”. "
            "This service matches 1 of them.",
            [CARE_WORKER_VISA],
            id="one-of-two",
        ),
        pytest.param(
            "improve my digital skills at the library",
            "No service matches all 4 words you searched for: “improve”, “digital”, “skills” and "
            "“library”. These services match 3 of them.",
            [DIGITAL_SKILLS, ONLINE_PLATFORM],
            id="three-of-four",
        ),
    ],
)
def test_services_with_the_most_words_are_shown_and_the_page_says_so(
    client, demo_directory, words, message, advised
):
    with CaptureQueriesContext(connection) as worked_out:
        first = search(client, words)
    with CaptureQueriesContext(connection) as from_the_cache:
        repeated = search(client, words)

    assert len(from_the_cache) < len(worked_out), "the repeat should take the result ids from the cache"
    for response in (first, repeated):
        assert sorted(slugs(response)) == sorted(advised)
        assert message in visible_text(response)
    [kinds] = [facet for facet in first.context["facets"] if facet.name == "kind"]
    assert sum(option.count for option in kinds.options) == len(advised), "counts are of the same services"
    assert not UnmatchedSearch.objects.exists(), "a search that found some services found something"


def test_a_search_with_every_word_says_nothing_of_the_kind(client, demo_directory):
    response = search(client, "care worker visa")

    assert slugs(response) == [CARE_WORKER_VISA]
    assert "No service matches" not in visible_text(response)


@pytest.mark.parametrize(
    "words",
    [
        pytest.param("astrophysics telescope", id="no-word-matches"),
        pytest.param("help me with astrophysics please", id="only-common-words-would-match"),
    ],
)
def test_a_search_matching_no_meaningful_word_finds_nothing_and_is_counted(client, demo_directory, words):
    response = search(client, words)

    assert response.context["paginator"].count == 0
    assert "No service matches" not in visible_text(response)
    assert UnmatchedSearch.objects.get().words == words
