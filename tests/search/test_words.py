"""How typed words become search terms, and which words are real English: no database needed."""

import pytest

from initiatives.search.engine import analyse
from initiatives.search.spelling import is_english, spelled_right

GROUPS = [
    ("computer", "it", "information technology", "digital"),
    ("unemployed", "out of work", "lost my job", "job"),
    ("money", "cost of living"),
]


def typed(text: str) -> list[str]:
    return [term.typed for term in analyse(text, GROUPS)]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        pytest.param("IT course", ["it", "course"], id="IT-in-capitals-is-a-word"),
        pytest.param("is it free", ["free"], id="it-in-lower-case-is-not"),
        pytest.param("HELP WITH IT", ["help", "with", "it"], id="only-common-words-count-after-all"),
        pytest.param("i lost my job", ["lost my job"], id="a-phrase-with-common-words"),
        pytest.param("been out of work 2 years", ["out of work"], id="numbers-and-years-left-out"),
        pytest.param("women's group", ["womens", "group"], id="an-apostrophe-inside-a-word"),
        pytest.param("I can't pay the cost of living", ["pay", "cost of living"], id="cant-is-common"),
        pytest.param("2025", ["2025"], id="a-number-alone-is-searched-for"),
    ],
)
def test_the_words_that_matter_are_searched_for(text, terms):
    assert typed(text) == terms


def test_it_in_capitals_is_searched_for_as_its_synonyms_only():
    [it, course] = analyse("IT course", GROUPS)

    assert it.exact == ()
    assert set(it.widened) == {"computer", "information technology", "digital"}
    assert course.exact == ("course",)


def test_what_was_typed_is_not_widened_and_synonyms_are():
    [lost_my_job] = analyse("I lost my job", GROUPS)

    assert lost_my_job.exact == ("lost my job",)
    assert set(lost_my_job.widened) == {"unemployed", "out of work", "job"}


@pytest.mark.parametrize(
    "word",
    ["lost", "course", "skills", "close", "cancelled", "organisation", "labour", "centre", "programme"],
)
def test_real_words_including_british_spellings_are_english(word):
    assert is_english(word)
    assert spelled_right(word) is None


@pytest.mark.parametrize(
    ("misspelt", "meant"),
    [
        pytest.param("diggital", "digital", id="letter-added"),
        pytest.param("skils", "skills", id="letter-dropped"),
        pytest.param("emploiment", "employment", id="letter-changed"),
        pytest.param("comptuer", "computer", id="letters-swapped"),
        pytest.param("writting", "writing", id="writting"),
    ],
)
def test_a_misspelling_is_spelled_right(misspelt, meant):
    assert not is_english(misspelt)
    assert spelled_right(misspelt) == meant


def test_a_word_the_directory_uses_is_preferred_among_equally_close_ones():
    assert spelled_right("exploted") == "exploded"  # the more used English word
    assert spelled_right("exploted", preferring={"exploited"}) == "exploited"


def test_a_short_word_is_not_guessed():
    assert spelled_right("tekh") is None
