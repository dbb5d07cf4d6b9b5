"""Real English words, so that the search corrects only words that are not ("lost" is never "cost").

The word list is pyspellchecker's English one (MIT licence, shipped inside the package, read from
disk once per process, about 160,000 words with how often each is used). It is American: a British
spelling is also looked up in its American form ("organisation" as "organization").
"""

from functools import cache

from spellchecker import SpellChecker

# Each British ending and its American form, longest first so that "isations" is not read as "s".
_BRITISH_ENDINGS = (
    ("isations", "izations"),
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ise", "ize"),
    ("yse", "yze"),
    ("lling", "ling"),
    ("lled", "led"),
    ("ller", "ler"),
    ("ours", "ors"),
    ("our", "or"),
    ("tres", "ters"),
    ("tre", "ter"),
    ("ogue", "og"),
    ("ence", "ense"),
    ("mme", "m"),
)
SHORTEST_SPELLED = 5  # a shorter word is one letter away from too many others to guess which was meant


@cache
def _checker() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def is_english(word: str) -> bool:
    """Whether the word, or its American spelling, is in the English word list."""
    checker = _checker()
    return any(form in checker for form in _spellings(word.lower()))


def _spellings(word: str) -> list[str]:
    forms = [word]
    for british, american in _BRITISH_ENDINGS:
        if word.endswith(british):
            forms.append(word[: -len(british)] + american)
            break
    return forms


def spelled_right(word: str, *, preferring=frozenset()) -> str | None:
    """The English word one letter away from a word that is not one: a letter added, dropped,
    changed or two swapped ("writting" to "writing"). Of several, one in `preferring` (the words
    the directory uses) comes first, then the most used: "exploted" is "exploited", not "exploded"."""
    if len(word) < SHORTEST_SPELLED or is_english(word):
        return None
    checker = _checker()
    near = checker.known(checker.edit_distance_1(word.lower()))
    return max(sorted(near), key=lambda found: (found in preferring, checker[found]), default=None)
