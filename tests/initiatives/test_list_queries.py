"""The service list and the home page run a fixed number of queries, with an empty cache and a warm one.

Each page is asked for at two sizes of directory under the same ceilings: first with nothing in the
cache (the result ids, option counts, synonyms and words worked out), then again (all of those from
the cache, so only the page's own rows are read). A page that grows a query per service fails at the
larger size. The whole-page cache is off: these are the queries behind every page it keeps.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from initiatives.caching import GENERATION_KEY
from initiatives.publishing import PublicationState
from tests.factories import ServiceFactory, build_directory, place, service_at
from tests.helpers.pages import get_page, text_of

pytestmark = pytest.mark.django_db

SIZES = [pytest.param(0, id="4-services"), pytest.param(40, id="44-services")]
LIST = reverse("initiatives:service_list")

# The same on SQLite and PostgreSQL. Warm, every list page reads its 20 rows with their organisations,
# then the weekly hours and the sessions still to come (for "Open now"): 3 queries.
PAGES = [
    # cold: the result ids, the need tree, need counts (one UNION ALL of the tree's levels), the
    # audiences with their counts, and one aggregate for modes, cost, access and type
    pytest.param(LIST, 8, 3, id="whole-list"),
    # also the needs and the audiences (the form checks the chosen ones against them, then keeps them
    # in the cache), the needs below the chosen one, and an aggregate for the modes with the mode
    # filter left out; warm, no more than the whole list
    pytest.param(f"{LIST}?need=work&mode=in_person&audience=carers", 12, 3, id="filtered-list"),
    # cold, also the synonym groups; warm, the words as analysed come from the cache too
    pytest.param(f"{LIST}?q=digital+club", 9, 3, id="text-search"),
    # cold, also the directory's words to correct from (PostgreSQL: one pg_trgm query instead)
    pytest.param(f"{LIST}?q=diggital", 10, 3, id="misspelt-search"),
    # the distance to each service's nearest place is worked out in the queries themselves
    pytest.param(f"{LIST}?postcode=MK9+3EP&sort=distance", 8, 3, id="postcode-search"),
    # nothing within 5 miles (the hall has no coordinates): as a text search, plus the general advice
    # services (the need and those below it, then their rows) and the search counted for staff (an upsert)
    pytest.param(f"{LIST}?postcode=MK9+3EP&distance=5&q=digital", 10, 10, id="nothing-found"),
    # the needs, their children, then the headline indicators (none here, so no figures)
    pytest.param(reverse("initiatives:home"), 3, 3, id="home"),
]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.mark.parametrize("extra", SIZES)
@pytest.mark.parametrize(("url", "cold", "warm"), PAGES)
def test_a_list_page_runs_the_same_queries_at_any_size(
    client, django_assert_max_num_queries, extra, url, cold, warm
):
    build_directory(extra_services=extra)
    cache.clear()

    with django_assert_max_num_queries(cold):
        first = client.get(url)
    with django_assert_max_num_queries(warm):
        again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert first.content == again.content


def test_the_larger_directory_fills_a_page_of_results(client):
    """So that the larger size above really shows a full page of cards, and a link to the next."""
    build_directory(extra_services=40)

    response = client.get(LIST)

    assert len(response.context["page_obj"].object_list) == 20
    assert response.context["page_obj"].has_next()


# ---- a page whose result ids come from the cache ----------------------------------------------
# Only the page's rows are read again: what a card says of the search is worked out for those rows.


def test_a_page_from_cached_results_still_says_how_many_words_matched(client):
    ServiceFactory(name="Bicycle repair")
    ServiceFactory(name="Knitting circle")
    url = f"{LIST}?q=bicycle+knitting"

    first, again = text_of(get_page(client, url)), text_of(get_page(client, url))

    expected = "No service matches both words you searched for: “bicycle” and “knitting”."
    assert expected in first
    assert expected in again


def test_a_page_from_cached_results_still_says_how_far_each_place_is(client):
    service_at(place(north=1), name="Near hall")
    url = f"{LIST}?postcode=MK9+3EP"

    first, again = get_page(client, url), get_page(client, url)

    assert "Near hall" in first
    assert "1 mile away" in text_of(first)  # from the centre of the postcode's sector
    assert text_of(again) == text_of(first)


def test_a_service_hidden_after_its_search_was_cached_drops_out_at_once(client):
    """Another server may not have seen the change yet: its cached ids still name the service."""
    kept = ServiceFactory(name="Kept service")
    hidden = ServiceFactory(name="Hidden service")
    assert "Hidden service" in get_page(client, LIST)
    unseen = cache.get(GENERATION_KEY, 0)

    type(hidden).objects.filter(pk=hidden.pk).update(publication_state=PublicationState.DRAFT)
    cache.set(GENERATION_KEY, unseen, None)  # as if the write had happened on another server

    page = get_page(client, LIST)
    assert kept.name in page
    assert "Hidden service" not in page
