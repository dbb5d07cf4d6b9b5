"""Searching services in residents' own words.

Best match first; common words ignored; staff synonyms; misspellings corrected; "Did you
mean" when nothing matches; searches that find nothing counted without saying who searched;
counts and links that keep the search. Every test runs on SQLite and PostgreSQL unless it says
why not: the two engines differ (see README) but must give these results.
"""

import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Service
from initiatives.publishing import PublicationState
from initiatives.search.models import Synonym, UnmatchedSearch
from initiatives.search.services import unmatched_search_entry, unmatched_search_record
from tests.factories import (
    NeedFactory,
    OrganisationFactory,
    ServiceFactory,
    SynonymFactory,
    UnmatchedSearchFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("initiatives:service_list")
ON_POSTGRESQL = connection.vendor == "postgresql"


def service(name, **fields):
    """A published service whose other text shares no word with the searches below."""
    return ServiceFactory(
        name=name, **{"summary": "Open to all.", "description": "Ask at the desk.", **fields}
    )


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def names(client, **params) -> list[str]:
    return [found.name for found in search(client, **params).context["page_obj"].object_list]


def links(response) -> list[str]:
    """Every link on the page that carries a query string, as a resident would follow it."""
    return [
        href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*\?[^"]*)"', response.content.decode())
    ]


# ---- best match first -----------------------------------------------------------------------


def test_best_match_comes_first(client):
    service("Drop-in", description="We can talk about interviews.")
    service("Job club", summary="Practise for an interview.")
    service("Careers service", needs=[NeedFactory(name="Interview skills")])
    service("Interview practice")
    service("Knitting circle")

    assert names(client, q="interview") == ["Interview practice", "Careers service", "Job club", "Drop-in"]


def test_sorting_by_name_keeps_every_match(client):
    service("Zebra interview club")
    service("Aardvark club", description="Interview tips.")

    assert names(client, q="interview", sort="name") == ["Aardvark club", "Zebra interview club"]


# ---- the words that matter ------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        pytest.param("help with my CV", id="help-with-my-cv"),
        pytest.param("I need help with a CV please", id="a-whole-sentence"),
        pytest.param("CVs", id="plural"),
    ],
)
def test_common_words_do_not_stop_a_match(client, q):
    service("CV clinic")
    service("Knitting circle", summary="We help with knitting.")

    assert names(client, q=q) == ["CV clinic"]


def test_only_common_words_are_searched_for_after_all(client):
    service("Help desk")
    service("Knitting circle")

    assert names(client, q="help") == ["Help desk"]


# ---- synonyms -------------------------------------------------------------------------------


@pytest.fixture
def job_words():
    SynonymFactory(terms="job, work, employment, career")
    service("Job club")
    service("Careers coaching")
    service("Knitting circle")


@pytest.mark.parametrize(
    "q",
    [
        pytest.param("employment", id="a-synonym-in-no-service"),
        pytest.param("jobs", id="plural-of-a-term"),
        pytest.param("work", id="another-term"),
    ],
)
def test_a_synonym_finds_services_that_use_another_term(client, job_words, q):
    assert sorted(names(client, q=q)) == ["Careers coaching", "Job club"]


def test_the_word_typed_ranks_above_its_synonyms(client, job_words):
    assert names(client, q="job") == ["Job club", "Careers coaching"]


@pytest.mark.usefixtures("pages_drawn_afresh")  # reads the context of a repeated request
def test_a_corrected_word_brings_its_synonyms(client, job_words):
    response = search(client, q="emploiment")

    assert sorted(names(client, q="emploiment")) == ["Careers coaching", "Job club"]
    assert response.context["corrected_text"] == "employment"


def test_without_the_synonym_group_other_words_do_not_match(client):
    service("Job club")

    assert names(client, q="employment") == []


def test_a_synonym_phrase_matches_as_one_term(client):
    SynonymFactory(terms="cv, curriculum vitae")
    service("CV clinic")
    service("Writing club", summary="Bring your curriculum vitae.")

    assert sorted(names(client, q="curriculum vitae")) == ["CV clinic", "Writing club"]
    assert sorted(names(client, q="cv")) == ["CV clinic", "Writing club"]


def test_a_new_synonym_group_applies_to_the_next_search(client):
    service("Job club")
    assert names(client, q="employment") == []

    SynonymFactory(terms="job, employment")

    assert names(client, q="employment") == ["Job club"]


def test_synonym_terms_are_tidied():
    synonym = Synonym(terms=" Job ,WORK,,  job ,  Career  Change ")
    synonym.full_clean()

    assert synonym.terms == "job, work, career change"


def test_a_synonym_group_needs_two_terms():
    with pytest.raises(ValidationError, match="at least two terms"):
        Synonym(terms="job, JOB").full_clean()


# ---- misspellings ---------------------------------------------------------------------------


@pytest.fixture
def skills_directory():
    service("Digital skills for job-seekers", summary="Computer and online skills for applying.")
    service("Confidence building", summary="Feel ready for the world of work.")
    service("Employment support", summary="Someone on your side.")
    service("Knitting circle")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        pytest.param("diggital skils", "Digital skills for job-seekers", id="diggital-skils"),
        pytest.param("DIGGITAL", "Digital skills for job-seekers", id="any-case"),
        pytest.param("confidance", "Confidence building", id="confidance"),
        pytest.param("emploiment", "Employment support", id="emploiment"),
        pytest.param("help with my emploiment", "Employment support", id="with-common-words"),
    ],
)
def test_misspelt_words_find_the_right_service(client, skills_directory, q, expected):
    assert names(client, q=q)[0] == expected


def test_the_page_says_which_corrected_words_it_searched_for(client, skills_directory):
    response = search(client, q="Diggital skils")

    assert response.context["corrected_text"] == "digital skills"
    assert "Including results for “digital skills”." in response.content.decode()


@pytest.mark.usefixtures("pages_drawn_afresh")  # reads the context of a repeated request
def test_words_the_directory_uses_are_not_corrected(client, skills_directory):
    response = search(client, q="knitting")

    assert names(client, q="knitting") == ["Knitting circle"]
    assert response.context["corrected_text"] == ""
    assert "Including results for" not in response.content.decode()


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the SQLite fallback matches plurals only, not other word forms"
)
def test_english_stemming_matches_other_forms_of_a_word(client):
    service("Training for carers")
    service("Knitting circle")

    assert names(client, q="trained") == ["Training for carers"]


# ---- did you mean ---------------------------------------------------------------------------


@pytest.fixture
def language_class():
    return service("English language class", online=True, by_phone=False)


def test_did_you_mean_offers_a_close_word_and_keeps_the_filters(client, language_class):
    response = search(client, q="langwidge", mode="online", page="3")

    assert response.context["paginator"].count == 0
    suggestion = response.context["suggestion"]
    assert suggestion.text == "language"
    assert parse_qs(urlsplit(suggestion.query).query) == {"q": ["language"], "mode": ["online"]}
    assert f'Did you mean <a href="{suggestion.query.replace("&", "&amp;")}">language</a>?' in (
        response.content.decode()
    )
    assert names(client, q="language", mode="online") == ["English language class"]


def test_did_you_mean_reaches_short_words_and_picks_the_one_that_reads_alike(client):
    service("Careers in tech")
    service("Ten pin bowling")
    service("Team building")

    response = search(client, q="help with tekh")

    assert response.context["paginator"].count == 0
    assert response.context["suggestion"].text == "help with tech"


def test_no_suggestion_when_the_close_word_finds_nothing_with_the_other_filters(client, language_class):
    response = search(client, q="langwidge", mode="phone")

    assert response.context["suggestion"] is None
    assert "Did you mean" not in response.content.decode()


@pytest.mark.usefixtures("pages_drawn_afresh")  # reads the context of a repeated request
def test_words_no_one_service_has_show_the_services_with_either_and_no_suggestion(client, language_class):
    service("Knitting circle")

    response = search(client, q="knitting language")

    assert sorted(names(client, q="knitting language")) == ["English language class", "Knitting circle"]
    assert "suggestion" not in response.context
    assert "Did you mean" not in response.content.decode()


# ---- searches that found nothing ------------------------------------------------------------


def test_a_search_that_finds_nothing_is_logged_with_its_filters(client):
    need = NeedFactory(slug="find-work")
    service("Knitting circle", needs=[need])

    search(client, q="  Astrophysics   Club ", need="find-work", mode=["phone", "online"], page="2")

    logged = UnmatchedSearch.objects.get()
    assert (logged.words, logged.filters, logged.times) == (
        "astrophysics club",
        "mode=online&mode=phone&need=find-work",
        1,
    )


def test_repeats_add_to_one_count_and_other_filters_get_their_own(client):
    service("Knitting circle", online=True)

    for _ in range(3):
        search(client, q="astrophysics")
    search(client, q="ASTROPHYSICS", mode="online")

    assert list(UnmatchedSearch.objects.values_list("words", "filters", "times")) == [
        ("astrophysics", "", 3),
        ("astrophysics", "mode=online", 1),
    ]


def test_the_log_keeps_nothing_about_who_searched(client):
    user = UserFactory(username="resident-jo", email="jo@example.test")
    client.force_login(user)
    service("Knitting circle")

    client.get(URL, {"q": "astrophysics"}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Test browser")

    fields = {field.name for field in UnmatchedSearch._meta.get_fields()}
    assert fields == {"id", "words", "filters", "day", "times"}
    stored = " ".join(str(value) for value in UnmatchedSearch.objects.values().get().values())
    for personal in [
        "resident-jo",
        "jo@example.test",
        "203.0.113.9",
        "Test browser",
        client.session.session_key,
    ]:
        assert personal not in stored


def test_email_addresses_numbers_and_full_postcodes_are_not_logged():
    query = QueryDict("postcode=mk9+3ep&q=x", mutable=True)

    unmatched_search_record(
        **unmatched_search_entry(
            text="call 07700 900123 or jo@example.test about my visa",
            query=query,
            filter_names=["q", "postcode"],
        )
    )

    logged = UnmatchedSearch.objects.get()
    assert logged.words == "call … or … about my visa"
    assert logged.filters == "postcode=MK9"


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"q": "knitting"}, id="search-with-results"),
        pytest.param({"mode": "phone"}, id="filters-without-words"),
        pytest.param({"q": "astrophysics", "mode": "by-pigeon"}, id="invalid-filter"),
    ],
)
def test_other_searches_are_not_logged(client, params):
    service("Knitting circle", in_person=True, by_phone=False)

    client.get(URL, params)

    assert not UnmatchedSearch.objects.exists()


def test_staff_see_the_most_frequent_searches_first_and_cannot_edit_them(client):
    client.force_login(UserFactory(staff=True))
    UnmatchedSearchFactory(words="rare words", times=2)
    UnmatchedSearchFactory(words="frequent words", times=9)

    changelist = client.get(reverse("admin:initiatives_unmatchedsearch_changelist"))

    html = changelist.content.decode()
    assert changelist.status_code == 200
    assert html.index("frequent words") < html.index("rare words")
    assert client.get(reverse("admin:initiatives_unmatchedsearch_add")).status_code == 403


def test_staff_add_a_synonym_group_in_the_admin(client):
    client.force_login(UserFactory(staff=True))

    response = client.post(reverse("admin:initiatives_synonym_add"), {"terms": "Visa, Immigration"})

    assert response.status_code == 302
    assert Synonym.objects.get().terms == "visa, immigration"


# ---- counts and links that keep the search --------------------------------------------------


@pytest.mark.usefixtures("pages_drawn_afresh")  # reads the context of a repeated request
def test_option_counts_are_what_ticking_gives_with_a_corrected_search(client, skills_directory):
    """Counts are taken with the corrected words and every other filter, as the results are."""
    work = NeedFactory(slug="find-work")
    service("Digital champions", needs=[work], by_phone=True)
    service("Digital drop-in", needs=[work], in_person=True)
    state = {"q": "diggital", "mode": "in_person"}

    page = search(client, **state)
    for facet in page.context["facets"]:
        for choice in facet.options:
            followed = search(client, **{**state, facet.name: choice.value})
            assert followed.context["paginator"].count == choice.count, (facet.name, choice.value)


@pytest.mark.parametrize(
    "state",
    [
        pytest.param({}, id="everything"),
        pytest.param({"q": "diggital"}, id="corrected-words"),
        pytest.param({"q": "skills", "mode": "online"}, id="words-and-a-filter"),
        pytest.param({"kind": ["event", "service"]}, id="two-kinds"),
        pytest.param({"include_ended": "on"}, id="ended-included"),
    ],
)
def test_the_total_is_the_number_of_results(client, skills_directory, state):
    """The total is added up from the option counts: it must still be the number of results."""
    service("Old digital class", status="ended", online=True)
    service("Digital skills fair", kind="event", online=True)

    response = search(client, **state)

    assert response.context["paginator"].count == response.context["filter"].qs.count()


@pytest.mark.usefixtures("pages_drawn_afresh")  # reads the context of a repeated request
def test_option_counts_are_kept_until_the_directory_changes(client):
    need = NeedFactory(slug="find-work")
    service("Job club", needs=[need])
    with CaptureQueriesContext(connection) as first:
        search(client, need="find-work")
    counted = len(first)  # now: the next request empties the query log
    with CaptureQueriesContext(connection) as again:
        repeated = search(client, need="find-work")
    counted_again = len(again)

    service("Work club", needs=[need])
    changed = search(client, need="find-work")

    assert counted_again < counted
    assert repeated.context["paginator"].count == 1
    assert changed.context["paginator"].count == 2
    assert names(client, need="find-work") == ["Job club", "Work club"]


def test_a_hidden_service_leaves_the_results_at_once_even_when_they_are_cached(client):
    service("Job club")
    hidden = service("Work club")
    assert names(client, q="club") == ["Job club", "Work club"]

    Service.objects.filter(pk=hidden.pk).update(publication_state=PublicationState.DRAFT)  # no signal

    assert names(client, q="club") == ["Job club"]


def test_every_link_and_page_number_keeps_the_search(client):
    need = NeedFactory(slug="find-work")
    for number in range(25):
        service(f"Digital class {number:02}", needs=[need], online=True)
    response = search(client, q="digital", need="find-work", mode="online", page="2")

    followed = [parse_qs(urlsplit(href).query) for href in links(response)]

    assert len(followed) == 4  # page 1, the previous page, and a link to remove each of the two filters
    for query in followed:
        assert query["q"] == ["digital"]
        assert "page" not in query or query.get("need") == ["find-work"]
    page_links = [query for query in followed if "page" in query]
    assert page_links and all(query["mode"] == ["online"] for query in page_links)
    assert 'name="q" value="digital"' in response.content.decode()  # ticking a box keeps it too


# ---- the search follows every edit ----------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "word"),
    [
        pytest.param(lambda found: setattr(found, "name", "Bicycle repair"), "bicycle", id="service-renamed"),
        pytest.param(
            lambda found: setattr(found, "description", "Fix a puncture."), "puncture", id="described"
        ),
        pytest.param(
            lambda found: found.needs.add(NeedFactory(name="Get around")), "around", id="need-added"
        ),
        pytest.param(
            lambda found: found.organisation.__class__.objects.filter(pk=found.organisation_id).update(
                name="Wheels Trust"
            ),
            "wheels",
            id="organisation-renamed",
        ),
    ],
)
def test_the_search_follows_edits(client, edit, word):
    found = service("Knitting circle", organisation=OrganisationFactory(name="Example Charity"))
    assert names(client, q=word) == []

    edit(found)
    found.save()

    assert names(client, q=word) == [found.name]


def test_renaming_a_need_renames_it_in_the_search(client):
    need = NeedFactory(name="Get around")
    service("Knitting circle", needs=[need])

    need.name = "Cycling"
    need.save()

    assert names(client, q="cycling") == ["Knitting circle"]
    assert names(client, q="around") == []


# ---- the demo -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q", [pytest.param("diggital skils", id="misspelt"), pytest.param("help with my CV", id="in-own-words")]
)
def test_residents_find_works_for_us_digital_skills_support(client, q):
    call_command("load_demo", stdout=StringIO())

    found = [result.slug for result in search(client, q=q).context["page_obj"].object_list]

    assert "works-for-us-digital-skills" in found[:3]
