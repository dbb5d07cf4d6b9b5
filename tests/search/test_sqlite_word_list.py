"""The words a misspelling is corrected to follow every write at once, and cost a few queries.

On SQLite they come from a word list SQLite keeps with triggers (migration 0018_sqlite_search_words),
on PostgreSQL from SearchWord (migration 0007_search). What residents see is tested on both (but
PostgreSQL still shows a word only a draft uses); the list itself, its triggers and how it splits
words, on SQLite only.
"""

import re

import pytest
from django.db import connection
from django.urls import reverse

from initiatives.models import Need, Organisation, Service
from initiatives.publishing import PublicationState
from tests.factories import NeedFactory, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

URL = reverse("initiatives:service_list")
ON_SQLITE = connection.vendor == "sqlite"
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="SQLite's own word list")
DRAFT, PUBLISHED = PublicationState.DRAFT, PublicationState.PUBLISHED
# Made-up words that are no English word, so only the directory's words can correct them.
WORD, MISSPELT = "zumbathon", "zumbathonn"
INCLUDING = f"Including results for “{WORD}”."


def search(client, q: str) -> str:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def service(name="Knitting circle", **fields) -> Service:
    """A published service whose other text shares no word with the searches below."""
    return ServiceFactory(
        name=name, **{"summary": "Open to all.", "description": "Ask at the desk.", **fields}
    )


def renamed(found: Service) -> None:
    Service.objects.filter(pk=found.pk).update(name=f"{WORD.title()} class")


def published(found: Service) -> None:
    Service.objects.filter(pk=found.pk).update(publication_state=PUBLISHED)


def organisation_published(found: Service) -> None:
    Organisation.objects.filter(pk=found.organisation_id).update(publication_state=PUBLISHED)


def described_in_raw_sql(found: Service) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE initiatives_service SET description = %s WHERE id = %s", [f"Try {WORD} today.", found.pk]
        )


@pytest.mark.parametrize(
    ("before", "write"),
    [
        pytest.param(lambda: None, lambda _: service(f"{WORD.title()} class"), id="created"),
        pytest.param(service, renamed, id="queryset-update"),
        pytest.param(
            lambda: service(publication_state=DRAFT, name=f"{WORD} class"), published, id="published"
        ),
        pytest.param(
            lambda: service(f"{WORD} class", organisation=OrganisationFactory(publication_state=DRAFT)),
            organisation_published,
            id="its-organisation-published",
        ),
        pytest.param(service, described_in_raw_sql, id="raw-sql"),
    ],
)
def test_a_word_a_listing_starts_using_corrects_the_next_search(client, before, write):
    found = before()
    assert INCLUDING not in search(client, MISSPELT)

    write(found)

    assert INCLUDING in search(client, MISSPELT)


def test_a_word_of_services_added_in_bulk_corrects_the_next_search(client):
    organisation = OrganisationFactory()
    assert INCLUDING not in search(client, MISSPELT)

    Service.objects.bulk_create(
        Service(
            organisation=organisation,
            slug=f"bulk-{number}",
            name=f"{WORD.title()} {number}",
            summary="Open to all.",
            description="Ask at the desk.",
            publication_state=PUBLISHED,
        )
        for number in range(3)
    )

    assert INCLUDING in search(client, MISSPELT)


@pytest.mark.xfail(
    not ON_SQLITE,
    reason="PostgreSQL's SearchWord keeps the words of every service, drafts too (0007_search)",
    strict=True,
)
def test_a_word_only_a_draft_uses_is_never_shown(client):
    """The page names the corrected words it searched for even when they found nothing."""
    service(f"{WORD.title()} class", publication_state=DRAFT)
    service("Digital skills")

    page = search(client, f"{MISSPELT} digital")

    assert "Digital skills" in page
    assert WORD not in page.replace(MISSPELT, "")


@pytest.mark.parametrize("size", [pytest.param(2, id="2"), pytest.param(20, id="20")])
def test_the_first_misspelt_search_runs_a_few_queries_however_many_services(
    client, django_assert_max_num_queries, size
):
    for number in range(size):
        service(f"Digital skills {number}", needs=[NeedFactory()])

    # With an empty cache (conftest): the synonyms, the directory's words (one query on either
    # database), the results, their page, hours and sessions, and the option counts (3).
    with django_assert_max_num_queries(10):
        page = search(client, "diggital skils")

    assert "Including results for “digital skills”." in page


# ---- SQLite's word list -----------------------------------------------------------------------


def word_list() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM initiatives_searchtext_words WHERE length(term) >= 3")
        return {term for (term,) in cursor.fetchall()}


def words_of_public_texts() -> set[str]:
    """What the list must hold, worked out the slow way: each word of three letters or more in the
    texts of published services of published organisations, of every need, of published organisations."""
    texts = [
        " ".join(row) for row in Service.objects.published().values_list("name", "summary", "description")
    ]
    texts += [" ".join(row) for row in Need.objects.values_list("name", "question")]
    texts += Organisation.objects.published().values_list("name", flat=True)
    return {word for text in texts for word in re.findall(r"[^\W\d_]+", text.lower()) if len(word) >= 3}


@sqlite_only
def test_the_word_list_keeps_to_the_public_texts_through_every_kind_of_write():
    charity, trust = OrganisationFactory(name="Alpha Charity"), OrganisationFactory(name="Beta Trust")
    club = service("Job club", organisation=charity)
    walk = service("Wellbeing walk", organisation=trust, summary="Gentle strolls.")
    need = NeedFactory(name="Find work", question="I want a job")

    club.description = "Bring your laptop."
    club.save()
    Service.objects.filter(pk=walk.pk).update(summary="Brisk rambles.")
    Service.objects.bulk_create(
        [
            Service(
                organisation=charity,
                slug="quiz",
                name="Quiz night",
                summary="Teams",
                description="Prizes",
                publication_state=PUBLISHED,
            )
        ]
    )
    service("Secret plans", publication_state=DRAFT)
    Service.objects.filter(name="Quiz night").update(publication_state=DRAFT)
    Organisation.objects.filter(pk=trust.pk).update(publication_state=DRAFT, name="Gamma Trust")
    Service.objects.filter(pk=club.pk).update(organisation=trust)  # moved to a draft organisation
    Organisation.objects.filter(pk=trust.pk).update(publication_state=PUBLISHED)
    Need.objects.filter(pk=need.pk).update(name="Find a job", question="Out of work")
    NeedFactory(name="Housing").delete()
    Service.objects.filter(name="Secret plans").delete()
    Organisation.objects.filter(pk=charity.pk).update(name="Delta Charity")

    assert {"alpha", "beta", "strolls", "quiz", "secret"}.isdisjoint(word_list())
    assert {"laptop", "brisk", "delta", "gamma", "club"} <= word_list()
    assert word_list() == words_of_public_texts()


@sqlite_only
@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("CV's and cover-letters", {"and", "cover", "letters"}, id="apostrophe-and-hyphen"),
        pytest.param("Over_50s walk (MK9)", {"over", "walk"}, id="underscore-digits-brackets"),
        pytest.param("‘Well·being’ — café…chat", {"well", "being", "café", "chat"}, id="typographic"),
        pytest.param("«Cours» de FRANÇAIS", {"cours", "français"}, id="accents-and-other-quotes"),
    ],
)
def test_the_word_list_splits_where_the_search_splits_what_was_typed(text, words):
    service(text, summary="", description="", organisation=OrganisationFactory(name="Xy"))

    assert word_list() == words


@sqlite_only
def test_every_trigger_that_keeps_the_word_list_is_in_place():
    """Django rebuilds a table on SQLite for most changes of its columns, and SQLite drops the
    table's triggers with it: a migration that does so must create them again (see 0018)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%searchtext%'")
        triggers = {name for (name,) in cursor.fetchall()}

    assert triggers == {
        f"initiatives_{table}_searchtext_{event}"
        for table in ("service", "need", "organisation")
        for event in ("insert", "update", "delete")
    }
