"""The starting synonym groups in the demo data: loaded once, and widened without changing old ones."""

import pytest

from initiatives.demo.loader import load_demo, read_demo_data
from initiatives.search.engine import analyse
from initiatives.search.models import Synonym, split_terms

pytestmark = pytest.mark.django_db

GROUPS = [tuple(split_terms(row["terms"])) for row in read_demo_data()["synonym"]]
# The groups as first loaded, which databases already hold: changing one would add a second group.
FIRST_GROUPS = [
    ("job", "work", "employment", "career"),
    ("cv", "cvs", "résumé", "resume", "curriculum vitae"),
    ("visa", "immigration"),
    ("computer", "digital"),
    ("business", "enterprise", "self-employed"),
]


def test_the_first_groups_are_kept_as_they_were_loaded():
    assert GROUPS[: len(FIRST_GROUPS)] == FIRST_GROUPS


@pytest.mark.parametrize("first", FIRST_GROUPS, ids=lambda group: group[0])
def test_a_word_added_to_a_first_group_finds_all_its_words(first):
    widening = [group for group in GROUPS if set(first) < set(group)]
    assert widening, f"no group widens {first}"
    for added in set(widening[0]) - set(first):
        [term] = analyse(added, GROUPS)
        assert set(first) <= {term.typed, *term.synonyms}, added


def test_loading_the_demo_again_leaves_every_synonym_group_as_it_is():
    load_demo()

    again = load_demo()

    assert again["models"]["initiatives.Synonym"] == {"unchanged": len(GROUPS)}
    assert Synonym.objects.count() == len(GROUPS)
