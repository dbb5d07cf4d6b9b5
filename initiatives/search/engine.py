"""Search services by the words residents type, the way they put things.

`TextSearch` is the one interface the service filter uses. It ignores common words ("help with
my"), widens each word with the synonyms staff curate (job, work, employment...), and corrects a
word the directory never uses to close ones it does ("diggital" to "digital"). It then hands the
words to the engine for the database in use:

- PostgreSQL: full-text search with English stemming over each service's weighted words
  (ServiceSearchDocument, kept by triggers, GIN index); misspellings corrected with pg_trgm against
  the words the directory uses (SearchWord); ranked by ts_rank plus trigram similarity to the name.
- SQLite: each word must appear in the name, summary, description, need names or questions, or
  the organisation's name; a plural rule instead of stemming; difflib for misspellings against a
  cached list of the directory's words; ranked name > summary or needs > anywhere else.

When nothing matches, `suggestion()` offers "Did you mean ..." if a corrected search would find
something; services.unmatched_search_record counts the search (the words and filters, never who).
"""

import difflib
import re
import string
from dataclasses import dataclass, replace
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When

from initiatives.caching import cached
from initiatives.models import Need, Organisation, Service

from .models import Synonym

# Words that say little about what someone needs: "I need help with my CV" searches for "CV".
STOP_WORDS = frozenset(
    """
    a about after all also am an and any are as at be been being but by can could did do does doing
    find for from get getting got had has have having he help helping her him his how i im in into is
    it its just like looking me more my near need needed needs no not of on or our please she so some
    someone something somewhere than that the their them then there they this to too us want wanted
    wanting was we were what when where which who why will with would you your
    """.split()  # noqa: SIM905 (a paragraph reads better than a hundred quoted strings)
)
MAX_WORDS = 10
SHORTEST_CORRECTABLE = 4  # shorter words have too many close neighbours to correct safely
_WORD = re.compile(r"[^\W_]+")
_NOT_LETTERS = str.maketrans(dict.fromkeys(string.punctuation + string.digits + "‘’“”–—…·", " "))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _stem(word: str) -> str:
    """A crude singular, enough for matching 'jobs' to 'job' and 'charities' to 'charity'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3]
    if len(word) >= 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Term:
    """One word (or synonym phrase) typed, and what counts as a match for it."""

    typed: str
    alternatives: tuple[str, ...]  # what was typed and its synonyms
    corrections: tuple[str, ...] = ()  # words the directory uses, close to one it does not
    suggestion: str = ""  # the closest such word, for "Did you mean"

    @property
    def matches(self) -> tuple[str, ...]:
        return self.alternatives + self.corrections

    @property
    def literal(self) -> bool:
        """Punctuation only: matched as typed, since full-text search has no words to match."""
        return not _WORD.search(self.typed)

    @property
    def correctable(self) -> bool:
        return (
            len(self.alternatives) == 1 and len(self.typed) >= SHORTEST_CORRECTABLE and self.typed.isalpha()
        )


@dataclass(frozen=True)
class Suggestion:
    text: str
    query: str  # the current query string with these words instead, for the link


def analyse(text: str, synonym_groups: list[tuple[str, ...]]) -> list[Term]:
    """Split what was typed into terms: synonym phrases first, then the remaining words that matter."""
    words = _words(text)[: MAX_WORDS * 3]
    phrases = synonyms_by_phrase(synonym_groups)
    longest = max(map(len, phrases), default=0)
    stems = [_stem(word) for word in words]
    terms, position = [], 0
    while position < len(words):
        for size in range(min(longest, len(words) - position), 0, -1):
            group = phrases.get(tuple(stems[position : position + size]))
            if group:
                typed = " ".join(words[position : position + size])
                terms.append(Term(typed, tuple(dict.fromkeys([typed, *sorted(group)]))))
                position += size
                break
        else:
            if words[position] not in STOP_WORDS:
                terms.append(Term(words[position], (words[position],)))
            position += 1
    if not terms:  # only common words: search for them after all
        terms = [Term(word, (word,)) for word in words]
    if not terms and text.strip():  # only punctuation, such as "%": search for it as typed
        typed = " ".join(text.split())[:50]
        terms = [Term(typed, (typed,))]
    return terms[:MAX_WORDS]


def synonyms_by_phrase(synonym_groups: list[tuple[str, ...]]) -> dict[tuple[str, ...], set[str]]:
    """Each synonym term, as the stems of its words, and every term of the groups it is in."""
    phrases: dict[tuple[str, ...], set[str]] = {}
    for group in synonym_groups:
        for term in group:
            if key := tuple(_stem(word) for word in _words(term)):
                phrases.setdefault(key, set()).update(group)
    return phrases


class TextSearch:
    """What a resident typed, analysed once per request, applied by the engine for the database."""

    def __init__(self, text: str, *, synonym_groups: list[tuple[str, ...]] | None = None, correct=True):
        self.text = " ".join(text.split())
        self._synonym_groups = synonym_groups
        self._correct = correct
        self._engine = PostgresEngine() if connection.vendor == "postgresql" else FallbackEngine()

    @cached_property
    def synonym_groups(self) -> list[tuple[str, ...]]:
        if self._synonym_groups is None:
            return cached(
                "search:synonyms", lambda: [tuple(group.term_list) for group in Synonym.objects.all()]
            )
        return self._synonym_groups

    @cached_property
    def terms(self) -> list[Term]:
        if not self.text:
            return []
        terms = analyse(self.text, self.synonym_groups)
        unknown = [term.typed for term in terms if term.correctable] if self._correct else []
        if not unknown:
            return terms
        synonyms = sorted({term for group in self.synonym_groups for term in group})
        close = self._engine.close_words(unknown, synonyms)
        return [self._corrected(term, close.get(term.typed, [])) for term in terms]

    def _corrected(self, term: Term, close: list[tuple[str, float]]) -> Term:
        """The term, also matching the closest words (and their synonyms) if they are close enough."""
        suggestions = sorted(  # the one that also reads most alike: "tekh" is nearer "ten", but "tech"
            (word for word, score in close if score >= self._engine.SUGGEST),
            key=lambda word: -difflib.SequenceMatcher(None, term.typed, word).ratio(),
        )
        if not suggestions:
            return term
        corrections = [word for word, score in close[:2] if score >= self._engine.AUTO_CORRECT]
        phrases = synonyms_by_phrase(self.synonym_groups)
        widened = [
            also
            for word in corrections
            for also in [word, *sorted(phrases.get((_stem(word),), ()))]  # "employment": job, work...
        ]
        return replace(term, corrections=tuple(dict.fromkeys(widened)), suggestion=suggestions[0])

    def filter(self, queryset):
        """The services that match every term (one of its synonyms or corrections will do)."""
        return self._engine.filter(queryset, self.terms) if self.terms else queryset

    def order_by_relevance(self, queryset, *then):
        """Best match first; `then` breaks ties."""
        if not self.terms:
            return queryset.order_by(*then)
        typed = " ".join(term.typed for term in self.terms)
        relevance = self._engine.relevance(self.terms, typed)
        return queryset.annotate(relevance=relevance).order_by("-relevance", *then)

    @property
    def corrected_text(self) -> str:
        """What was typed with misspellings corrected, when the search corrected any."""
        return self._rewrite({term.typed: term.corrections[0] for term in self.terms if term.corrections})

    @property
    def suggested_text(self) -> str:
        return self._rewrite({term.typed: term.suggestion for term in self.terms if term.suggestion})

    def _rewrite(self, replacements: dict[str, str]) -> str:
        if not replacements:
            return ""
        return _WORD.sub(lambda match: replacements.get(match.group().lower(), match.group()), self.text)

    def suggestion(self, queryset, query) -> Suggestion | None:
        """'Did you mean ...': the search with close words instead, if it finds any of `queryset`.

        `queryset` is the services every other filter allows; `query` the request's parameters.
        """
        text = self.suggested_text
        if not text:
            return None
        corrected = TextSearch(text, synonym_groups=self.synonym_groups, correct=False)
        if not corrected.filter(queryset).exists():
            return None
        params = query.copy()
        params["q"] = text
        params.pop("page", None)
        return Suggestion(text=text, query="?" + params.urlencode())


class PostgresEngine:
    """Full-text search with English stemming and pg_trgm; see the migration 0007_search."""

    AUTO_CORRECT = 0.5  # trigram similarity: "diggital"/"digital" 0.7, "skils"/"skills" 0.63
    SUGGEST = 0.2  # "tekh"/"tech" 0.25: offered only if the corrected search finds something
    NAME_SIMILARITY_WEIGHT = 0.5  # how much resembling the name adds to ts_rank

    def close_words(self, words: list[str], synonyms: list[str]) -> dict[str, list[tuple[str, float]]]:
        """For each word the directory does not use, the three closest it or a synonym list does,
        closest first: the nearest words come from the GiST trigram index (migration 0011)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT typed.word, found.word, found.score
                FROM unnest(%(words)s::text[]) AS typed (word)
                CROSS JOIN LATERAL (
                    SELECT candidate.word, similarity(candidate.word, typed.word) AS score
                    FROM (
                        (SELECT word FROM initiatives_searchword ORDER BY word <-> typed.word LIMIT 3)
                        UNION SELECT term FROM unnest(%(synonyms)s::text[]) AS synonym (term)
                    ) AS candidate (word)
                    ORDER BY score DESC, candidate.word
                    LIMIT 3
                ) AS found
                WHERE typed.word <> ALL (%(synonyms)s::text[])
                  AND NOT EXISTS (SELECT FROM initiatives_searchword known WHERE known.word = typed.word)
                ORDER BY typed.word, found.score DESC, found.word
                """,
                {"words": words, "synonyms": synonyms},
            )
            close: dict[str, list[tuple[str, float]]] = {}
            for typed, word, score in cursor.fetchall():
                close.setdefault(typed, []).append((word, score))
        return close

    def filter(self, queryset, terms):
        words = [term for term in terms if not term.literal]
        if words:
            queryset = queryset.filter(search_document__vector=self._query(words))
        for term in terms:
            if term.literal:  # full-text search ignores punctuation: look for it as typed
                queryset = queryset.filter(_contained_anywhere(term.matches))
        return queryset

    def relevance(self, terms, typed: str):
        similarity = self.NAME_SIMILARITY_WEIGHT * TrigramWordSimilarity(Value(typed), "name")
        words = [term for term in terms if not term.literal]
        if not words:
            return similarity
        return SearchRank(F("search_document__vector"), self._query(words)) + similarity

    @staticmethod
    def _query(terms) -> SearchQuery:
        """Every term (AND), each satisfied by any of its matches (OR), stemmed in English."""
        combined = None
        for term in terms:
            either = None
            for word in dict.fromkeys(form for match in term.matches for form in _forms_unstemmed(match)):
                part = SearchQuery(word, config="english")
                either = part if either is None else either | part
            combined = either if combined is None else combined & either
        return combined


def _forms_unstemmed(word: str) -> list[str]:
    """The word and the plural forms the English stemmer leaves apart: 'CVs' is not 'CV' to it,
    since it keeps the s after a stem without a vowel."""
    forms = [word, _stem(word)]
    if " " not in word and not re.search("[aeiouy]", word):
        forms.append(word + "s")
    return forms


class FallbackEngine:
    """SQLite: substring matching of each word, difflib for misspellings."""

    AUTO_CORRECT = 0.8  # difflib ratio: "diggital"/"digital" 0.93, "emploiment"/"employment" 0.9
    SUGGEST = 0.7

    def close_words(self, words: list[str], synonyms: list[str]) -> dict[str, list[tuple[str, float]]]:
        vocabulary = cached("search:vocabulary", _directory_words).union(synonyms)
        close = {}
        for word in words:
            if word in vocabulary or _stem(word) in vocabulary:
                continue
            candidates = [known for known in vocabulary if abs(len(known) - len(word)) <= 2]
            scored = sorted(
                ((known, difflib.SequenceMatcher(None, word, known).ratio()) for known in candidates),
                key=lambda pair: (-pair[1], pair[0]),
            )
            if found := [(known, score) for known, score in scored[:3] if score >= self.SUGGEST]:
                close[word] = found
        return close

    def filter(self, queryset, terms):
        for term in terms:
            queryset = queryset.filter(_contained_anywhere(term.matches))
        return queryset

    def relevance(self, terms, typed: str):
        """Per term: in the name 3, in the summary or needs 2, elsewhere 1; doubled for the word as
        typed, so "job" puts a job club above a careers fair."""
        score = Value(0)
        for term in terms:
            score = score + Case(
                When(_contained_in_name([term.typed]), then=Value(6)),
                When(_contained_in_name(term.matches), then=Value(3)),
                When(_contained_in_summary_or_needs([term.typed]), then=Value(4)),
                When(_contained_in_summary_or_needs(term.matches), then=Value(2)),
                default=Value(1),
            )
        return score


def _patterns(words) -> list[str]:
    return [_stem(word) if " " not in word else word for word in words]


def _contained_in_name(words) -> Q:
    condition = Q()
    for pattern in _patterns(words):
        condition |= Q(name__icontains=pattern)
    return condition


def _contained_in_summary_or_needs(words) -> Q:
    condition = Q()
    for pattern in _patterns(words):
        # The few matching needs are found once, not once per service.
        needs = Need.objects.filter(Q(name__icontains=pattern) | Q(question__icontains=pattern)).values("pk")
        tagged = Service.needs.through.objects.filter(service=OuterRef("pk"), need__in=needs)
        condition |= Q(summary__icontains=pattern) | Exists(tagged)
    return condition


def _contained_anywhere(words) -> Q:
    """Any of the words (plurals as singulars) in the name, summary, needs, description or organisation."""
    condition = _contained_in_name(words) | _contained_in_summary_or_needs(words)
    for pattern in _patterns(words):
        condition |= Q(description__icontains=pattern) | Q(organisation__name__icontains=pattern)
    return condition


def _directory_words() -> set[str]:
    """Every word of three letters or more in published services, their needs and organisations."""
    texts = (
        Service.objects.published()
        .order_by()
        .values_list("name", "summary", "description")
        .union(
            Need.objects.order_by().values_list("name", "question", Value("")),
            Organisation.objects.published().order_by().values_list("name", Value(""), Value("")),
        )
    )
    words: set[str] = set()
    for row in texts:  # str.translate and split: several times quicker than a regular expression
        words.update(" ".join(row).lower().translate(_NOT_LETTERS).split())
    return {word for word in words if len(word) >= 3}
