"""Writes the search makes: counting a search that found nothing, and deleting old counts."""

import re
from urllib.parse import urlencode

from .models import UnmatchedSearch

# An email address or a run of five or more digits (a phone number, a reference): never logged.
_PERSONAL_DETAIL = re.compile(r"\S+@\S+|\d[\d ]{3,}\d")


def unmatched_search_entry(*, text: str, query, filter_names) -> dict:
    """What is counted of a search that found nothing: its words and the other filters, never who
    searched. The arguments of unmatched_search_record.

    Email addresses and long numbers are blanked out of the words, and a postcode is cut to
    its district (MK9), so a log line cannot point to a person.
    """
    words = _PERSONAL_DETAIL.sub("…", " ".join(text.lower().split()))[:200]
    chosen = []
    for name in sorted(set(filter_names) - {"q", "page", "sort"}):
        for value in sorted({value.strip() for value in query.getlist(name)} - {""}):
            chosen.append((name, _postcode_district(value) if name == "postcode" else value))
    return {"words": words, "filters": urlencode(chosen)[:500]}


def unmatched_search_record(*, words: str, filters: str) -> None:
    """Count one more search that found nothing (an entry from unmatched_search_entry)."""
    UnmatchedSearch.objects.record(words=words, filters=filters)


def _postcode_district(postcode: str) -> str:
    compact = "".join(postcode.split()).upper()
    return compact[:-3] if len(compact) > 4 else compact


def unmatched_searches_purge(*, today=None) -> int:
    """Delete the daily counts older than UNMATCHED_SEARCH_RETENTION_MONTHS; safe to run at any time."""
    deleted, _ = UnmatchedSearch.objects.past_retention(today).delete()
    return deleted
