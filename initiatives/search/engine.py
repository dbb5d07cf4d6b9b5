"""Search services by the words residents type, the way they put things.

`TextSearch` is the one interface the service filter uses. It ignores common words ("help with
my", but not "IT" typed in capitals), widens each word with the synonyms staff curate (job, work,
employment...), and corrects a word that is neither a real English word (spelling.py) nor one the
directory uses, to close ones that are ("diggital" to "digital"); a real word is never corrected, so
"lost" never becomes "cost". It then hands the words to the engine for the database in use:

- PostgreSQL: full-text search with English stemming over each service's weighted words
  (ServiceSearchDocument, kept by triggers, GIN index); misspellings corrected with pg_trgm against
  the words the directory uses (SearchWord); ranked by ts_rank plus trigram similarity to the name.
- SQLite: each word must appear in the name, summary, description, need names or questions, or
  the organisation's name; a plural rule instead of stemming; difflib for misspellings against the
  directory's words (a word list SQLite's triggers keep, then cached); ranked name > summary or
  needs > anywhere else.

On both, what was typed matches anywhere in a service, but a synonym only in its name, summary and
needs (`Term`), and a phrase with common words ("out of work") as written.

The public list keeps the services that match every word; when none does, those that match the
most words (`filter_best_matches`), each carrying `words_matched` so the page can say so. When
nothing matches even one word, `suggestion()` offers "Did you mean ..." if a corrected search would
find something; services.unmatched_search_record counts the search (the words and filters, never who).
"""

import difflib
import operator
import re
from dataclasses import dataclass, replace
from functools import cached_property, reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Value, When, Window

from initiatives.caching import cached
from initiatives.models import Need, Service

from . import spelling
from .models import Synonym

# Words that say little about what someone needs: "I need help with my CV" searches for "CV".
# They include PostgreSQL's English stop words, which full-text search cannot find, so that a word
# it drops is not counted as a word no service matches. Apostrophes are dropped before words are
# split, so "can't" is "cant" and "I'm" is "im".
STOP_WORDS = frozenset(
    """
    a about above after again against ago all also am an and any anyone anything are as at be because been
    before being below between both but by can cant could did didnt do does doesnt doing dont down during
    each few find finding for from further get getting go going got had has have havent having he help
    helping her here hers herself him himself his how i if im in into is isnt it its itself ive just know
    like long looking lot lots me month months more most my myself near need needed needs no nor not now
    of off on once only or other our ours ourselves out over own please really same she should since so
    some someone something somewhere still such than that the their theirs them themselves then there
    these they this those through to too try trying under until up us use using very want wanted wanting
    was way we were what when where which while who whom why will with wont would year years you your
    yours yourself yourselves
    """.split()  # noqa: SIM905 (a paragraph reads better than a hundred quoted strings)
)
MAX_WORDS = 10
SHORTEST_CORRECTABLE = 4  # shorter words have too many close neighbours to correct safely
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")


def _words_as_typed(text: str) -> list[str]:
    """The words, with apostrophes inside them dropped: "women's" is "womens", one word."""
    return _WORD.findall(_APOSTROPHE.sub("", text))


def _words(text: str) -> list[str]:
    return _words_as_typed(text.lower())


def _meaningful(word: str, text: str) -> bool:
    """Whether a word says what someone needs: not a common word, unless typed in capitals among
    lower-case ones ("IT course"); nor a number, which is an age, a year or a count ("out of work
    2 years") that the filters say better."""
    if word.isdigit():
        return False
    return word.lower() not in STOP_WORDS or (len(word) > 1 and word.isupper() and not text.isupper())


def _stem(word: str) -> str:
    """A crude singular, enough for matching 'jobs' to 'job' and 'charities' to 'charity'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3]
    if len(word) >= 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Term:
    """One word (or synonym phrase) typed, and what counts as a match for it.

    What was typed, and its corrections, match anywhere in a service. Synonyms are a guess at what
    was meant, so they match only where a service says what it is for: its name, summary and needs,
    not a passing word in its description or its organisation's name ("Works for Us" is not "job").
    Common words never match ("it" among the synonyms of "IT"): full-text search drops them, and
    "it" is inside nearly every other word.
    """

    typed: str
    synonyms: tuple[str, ...] = ()  # staff synonyms of what was typed or of its corrections
    corrections: tuple[str, ...] = ()  # real or directory words close to a word that is neither
    suggestion: str = ""  # the closest such word, for "Did you mean"

    @property
    def exact(self) -> tuple[str, ...]:
        """What was typed and its corrections; only common words typed are searched for after all."""
        words = tuple(dict.fromkeys((self.typed, *self.corrections)))
        meaningful = tuple(word for word in words if word not in STOP_WORDS)
        return meaningful or (() if self.widened else words)

    @property
    def widened(self) -> tuple[str, ...]:
        words = (self.typed, *self.corrections)
        return tuple(word for word in self.synonyms if word not in STOP_WORDS and word not in words)

    @property
    def matches(self) -> tuple[str, ...]:
        return self.exact + self.widened

    @property
    def literal(self) -> bool:
        """Punctuation only: matched as typed, since full-text search has no words to match."""
        return not _WORD.search(self.typed)

    @property
    def correctable(self) -> bool:
        return not self.synonyms and len(self.typed) >= SHORTEST_CORRECTABLE and self.typed.isalpha()


@dataclass(frozen=True)
class Suggestion:
    text: str
    query: str  # the current query string with these words instead, for the link


def analyse(text: str, synonym_groups: list[tuple[str, ...]]) -> list[Term]:
    """Split what was typed into terms: synonym phrases first, then the remaining words that matter."""
    as_typed = _words_as_typed(text)[: MAX_WORDS * 3]
    words = [word.lower() for word in as_typed]
    meaningful = [_meaningful(word, text) for word in as_typed]
    if not any(meaningful):  # only common words: search for them after all
        meaningful = [True] * len(words)
    phrases = synonyms_by_phrase(synonym_groups)
    longest = max(map(len, phrases), default=0)
    stems = [_stem(word) for word in words]
    terms, position = [], 0
    while position < len(words):
        for size in range(min(longest, len(words) - position), 0, -1):
            group = phrases.get(tuple(stems[position : position + size]))
            if group and any(meaningful[position : position + size]):  # "it", but "IT" or "out of work"
                typed = " ".join(words[position : position + size])
                terms.append(Term(typed, synonyms=tuple(sorted(group - {typed}))))
                position += size
                break
        else:
            if meaningful[position]:
                terms.append(Term(words[position]))
            position += 1
    if not terms and text.strip():  # only punctuation, such as "%": search for it as typed
        terms = [Term(" ".join(text.split())[:50])]
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
        if self._synonym_groups is not None:  # the caller's, such as a corrected search's
            return self._analysed()
        # Kept like the synonyms and words it is worked out from: correcting a word reads them all.
        return cached(f"search:terms:{self.text}", self._analysed)

    def _analysed(self) -> list[Term]:
        terms = analyse(self.text, self.synonym_groups)
        if not self._correct:
            return terms
        misspelt = [term.typed for term in terms if term.correctable and not spelling.is_english(term.typed)]
        if not misspelt:
            return terms
        synonyms = sorted({term for group in self.synonym_groups for term in group})
        close = self._engine.close_words(misspelt, synonyms)  # only for words the directory does not use
        return [self._corrected(term, close[term.typed]) if term.typed in close else term for term in terms]

    def _corrected(self, term: Term, close: list[tuple[str, float]]) -> Term:
        """The term, also matching the English word it misspells and the closest words the directory
        uses (and their synonyms), if they are close enough."""
        spelled = spelling.spelled_right(term.typed, preferring={word for word, _ in close})
        suggestions = sorted(  # the one that also reads most alike: "tekh" is nearer "ten", but "tech"
            (word for word, score in close if score >= self._engine.SUGGEST),
            key=lambda word: -difflib.SequenceMatcher(None, term.typed, word).ratio(),
        )
        corrections = [word for word, score in close[:2] if score >= self._engine.AUTO_CORRECT]
        if spelled:  # one letter out from a real word: "writting" is "writing", used here or not
            suggestions.insert(0, spelled)
            corrections.insert(0, spelled)
        if not suggestions:
            return term
        phrases = synonyms_by_phrase(self.synonym_groups)
        synonyms = [also for word in corrections for also in sorted(phrases.get((_stem(word),), ()))]
        return replace(
            term,
            corrections=tuple(dict.fromkeys(corrections)),
            synonyms=tuple(dict.fromkeys(synonyms)),  # "emploiment": employment, so job, work...
            suggestion=suggestions[0],
        )

    def filter(self, queryset):
        """The services that match every term (one of its synonyms or corrections will do)."""
        return queryset.filter(*(self._engine.condition(term) for term in self.terms))

    def filter_best_matches(self, queryset):
        """The services that match every term; when none does, those that match the most terms, and
        never one that matches none.

        Each carries `words_matched`, the number of terms it matches (of `word_count`): the same for
        every result, so the page reads it once. The most that any service matches is a window over
        the results: Django filters on a window in an outer query, after every other filter,
        including those applied after this one.
        """
        if len(self.terms) < 2:
            return self.filter(queryset)
        conditions = [self._engine.condition(term) for term in self.terms]
        words_matched = reduce(
            operator.add, (Case(When(condition, then=Value(1)), default=Value(0)) for condition in conditions)
        )
        return (
            queryset.filter(reduce(operator.or_, conditions))
            .annotate(words_matched=words_matched)
            .alias(most_words_matched=Window(Max("words_matched")))
            .filter(words_matched=F("most_words_matched"))
        )

    @property
    def word_count(self) -> int:
        """How many words (or synonym phrases) the search looks for: common words are left out."""
        return len(self.terms)

    @property
    def searched_words(self) -> list[str]:
        """Each word (or phrase) searched for, as typed ("IT", not "it") or as corrected."""
        return [term.corrections[0] if term.corrections else self._as_typed(term) for term in self.terms]

    def _as_typed(self, term: Term) -> str:
        found = re.search(rf"(?<!\w){re.escape(term.typed)}(?!\w)", self.text, re.IGNORECASE)
        return found.group() if found else term.typed

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
        if not corrected.filter_best_matches(queryset).exists():
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
        """For each word the directory does not use, the three closest it or a synonym list does
        (or none), closest first: the nearest words come from the GiST trigram index (migration 0011)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT typed.word, found.word, found.score
                FROM unnest(%(words)s::text[]) AS typed (word)
                LEFT JOIN LATERAL (
                    SELECT candidate.word, similarity(candidate.word, typed.word) AS score
                    FROM (
                        (SELECT word FROM initiatives_searchword ORDER BY word <-> typed.word LIMIT 3)
                        UNION SELECT term FROM unnest(%(synonyms)s::text[]) AS synonym (term)
                    ) AS candidate (word)
                    ORDER BY score DESC, candidate.word
                    LIMIT 3
                ) AS found ON true
                WHERE typed.word <> ALL (%(synonyms)s::text[])
                  AND NOT EXISTS (SELECT FROM initiatives_searchword known WHERE known.word = typed.word)
                ORDER BY typed.word, found.score DESC, found.word
                """,
                {"words": words, "synonyms": synonyms},
            )
            close: dict[str, list[tuple[str, float]]] = {}
            for typed, word, score in cursor.fetchall():
                close.setdefault(typed, []).extend([(word, score)] if word else [])
        return close

    def condition(self, term) -> Q:
        """The term by full-text search; but punctuation, which it ignores, as typed, and a phrase
        with common words, which it drops ("out of work" would be "work"), as written, among the
        services that have its other words."""
        if term.literal:
            return _contained_anywhere(term.matches)
        query = self._query([term])
        condition = Q(search_document__vector=query) if query else Q()
        for phrase in _with_common_words(term.exact):
            condition |= Q(search_document__vector=_tsquery(phrase)) & _contained_anywhere([phrase])
        for phrase in _with_common_words(term.widened):
            condition |= Q(search_document__vector=_tsquery(phrase, weights="ABD")) & (
                _contained_in_name_summary_or_needs([phrase])
            )
        return condition

    def relevance(self, terms, typed: str):
        similarity = self.NAME_SIMILARITY_WEIGHT * TrigramWordSimilarity(Value(typed), "name")
        query = self._query([term for term in terms if not term.literal])
        if query is None:
            return similarity
        return SearchRank(F("search_document__vector"), query) + similarity

    @staticmethod
    def _query(terms) -> SearchQuery | None:
        """Every term (AND), each satisfied by any of its matches (OR), stemmed in English: what was
        typed anywhere, its synonyms in the name, summary and needs only (weights A, B and D).
        Phrases with common words are left to `condition`; None if nothing is left."""
        combined = None
        for term in terms:
            parts = [_tsquery(form) for form in _forms(term.exact)]
            parts += [_tsquery(form, weights="ABD") for form in _forms(term.widened)]
            if parts:
                either = reduce(operator.or_, parts)
                combined = either if combined is None else combined & either
        return combined


def _tsquery(match: str, *, weights: str = "") -> SearchQuery:
    """A word, or a phrase as its words in order ("cost of living", not "living" anywhere), in the
    parts of a service with these weights (any if none). Only letters and digits reach to_tsquery,
    so nothing typed can be read as its operators."""
    label = f":{weights}" if weights else ""
    text = " <-> ".join(word + label for word in _words(match))
    return SearchQuery(text, config="english", search_type="raw")


def _is_phrase_with_common_words(match: str) -> bool:
    words = _words(match)
    return len(words) > 1 and not STOP_WORDS.isdisjoint(words)  # "start-up" too


def _with_common_words(matches) -> list[str]:
    return [match for match in matches if _is_phrase_with_common_words(match)]


def _without_common_words(matches) -> list[str]:
    return [match for match in matches if not _is_phrase_with_common_words(match)]


def _forms(matches) -> list[str]:
    """The matches full-text search can find (not phrases with common words), each with the plural
    forms the English stemmer leaves apart: 'CVs' is not 'CV' to it, since it keeps the s after a
    stem without a vowel."""
    forms = []
    for word in _without_common_words(matches):
        forms += [word, _stem(word)]
        if " " not in word and not re.search("[aeiouy]", word):
            forms.append(word + "s")
    return list(dict.fromkeys(forms))


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
            scored = sorted(self._scored(word, vocabulary), key=lambda pair: (-pair[1], pair[0]))
            close[word] = scored[:3]
        return close

    def _scored(self, word: str, vocabulary):
        """The words of about the same length that read at least SUGGEST alike, with how alike.

        quick_ratio (the letters in common, whatever their order) is never below ratio, so a word it
        puts below SUGGEST is left out unscored: several times quicker over a large vocabulary, with
        the same result. It has the typed word as its second sequence, whose letters it counts once.
        """
        letters = difflib.SequenceMatcher(None, "", word)
        for known in vocabulary:
            if abs(len(known) - len(word)) <= 2:
                letters.set_seq1(known)
                if letters.quick_ratio() >= self.SUGGEST:
                    score = difflib.SequenceMatcher(None, word, known).ratio()
                    if score >= self.SUGGEST:
                        yield known, score

    def condition(self, term) -> Q:
        return _contained_anywhere(term.exact) | _contained_in_name_summary_or_needs(term.widened)

    def relevance(self, terms, typed: str):
        """Per term: in the name 3, in the summary or needs 2, elsewhere 1; doubled for the word as
        typed, so "job" puts a job club above a careers fair."""
        score = Value(0)
        for term in terms:
            typed = term.exact or term.matches  # "IT" is searched for as its synonyms alone
            score = score + Case(
                When(_contained_in_name(typed), then=Value(6)),
                When(_contained_in_name(term.matches), then=Value(3)),
                When(_contained_in_summary_or_needs(typed), then=Value(4)),
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


def _contained_in_name_summary_or_needs(words) -> Q:
    return _contained_in_name(words) | _contained_in_summary_or_needs(words)


def _contained_anywhere(words) -> Q:
    """Any of the words (plurals as singulars) in the name, summary, needs, description or organisation."""
    condition = _contained_in_name_summary_or_needs(words)
    for pattern in _patterns(words):
        condition |= Q(description__icontains=pattern) | Q(organisation__name__icontains=pattern)
    return condition


def _directory_words() -> set[str]:
    """Every word of three letters or more in published services, their needs and published
    organisations: SQLite's own list, which its triggers keep (migration 0018_sqlite_search_words)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM initiatives_searchtext_words WHERE length(term) >= 3")
        return {term for (term,) in cursor.fetchall()}
