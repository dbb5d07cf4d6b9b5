"""Misspellings on SQLite: the words the directory uses, kept by SQLite itself (nothing on PostgreSQL).

A misspelt word is corrected against every word of three letters or more in published services,
their needs and published organisations (engine.py, FallbackEngine). Splitting all those texts in
Python took most of the first misspelt search's time. Instead an FTS5 full-text index holds them,
and its fts5vocab table lists their distinct words, in lower case, split where the search splits
what was typed (at spaces, punctuation and symbols) and at digits, as before: a correction is a
word of letters.

Triggers keep the index as the tables change, like those of 0007_search on PostgreSQL, so a saved
form, a QuerySet.update, a bulk_create, an import and raw SQL are all seen. Unlike PostgreSQL's
SearchWord, only published texts count, and a word goes when no such text uses it any more: the
page shows a correction ("Including results for ...") even when nothing visible has the word, so a
word only a draft uses must never be one.

The index is contentless (content=''): it keeps no second copy of the texts, so to take a row's
words out it must be given the very text it was given (the 'delete' command). Hence one
expression for each kind of text, below, both to put words in and to take them out. The rowid
tells the kinds apart: 3 × a service's id, 3 × a need's id + 1, 3 × an organisation's id + 2.

SQLite drops a table's triggers with the table: a later migration that makes Django rebuild one of
these three tables on SQLite (most AlterField, and AddConstraint) must create them again after it
(tests/search/test_sqlite_word_list.py fails until it does).
"""

from django.db import migrations

from initiatives.migration_operations import RunSQLOnSQLite

TEXTS = "initiatives_searchtext"
WORDS = "initiatives_searchtext_words"
ADD = f"INSERT INTO {TEXTS} (rowid, body) SELECT"
REMOVE = f"INSERT INTO {TEXTS} ({TEXTS}, rowid, body) SELECT 'delete',"


def service(row: str) -> str:
    return f"3 * {row}.id, {row}.name || ' ' || {row}.summary || ' ' || {row}.description"


def need(row: str) -> str:
    return f"3 * {row}.id + 1, {row}.name || ' ' || {row}.question"


def organisation(row: str) -> str:
    return f"3 * {row}.id + 2, {row}.name"


def if_public(row: str) -> str:
    """The service `row` if residents may see it: published, by a published organisation."""
    return (
        f"FROM initiatives_organisation o WHERE o.id = {row}.organisation_id"
        f" AND o.publication_state = 'published' AND {row}.publication_state = 'published'"
    )


def services_of(row: str) -> str:
    """The published services of the organisation `row`."""
    return (
        f"FROM initiatives_service s WHERE s.organisation_id = {row}.id AND s.publication_state = 'published'"
    )


FORWARDS = [
    f"""
    CREATE VIRTUAL TABLE {TEXTS} USING fts5(
        body, content='', columnsize=0, detail=none,
        tokenize="unicode61 remove_diacritics 0 separators '0123456789'"
    )""",
    f"CREATE VIRTUAL TABLE {WORDS} USING fts5vocab({TEXTS}, 'row')",
    f"""
    CREATE TRIGGER initiatives_service_searchtext_insert AFTER INSERT ON initiatives_service BEGIN
        {ADD} {service("NEW")} {if_public("NEW")};
    END""",
    f"""
    CREATE TRIGGER initiatives_service_searchtext_update
    AFTER UPDATE OF name, summary, description, publication_state, organisation_id ON initiatives_service
    WHEN OLD.name IS NOT NEW.name OR OLD.summary IS NOT NEW.summary
        OR OLD.description IS NOT NEW.description OR OLD.publication_state IS NOT NEW.publication_state
        OR OLD.organisation_id IS NOT NEW.organisation_id
    BEGIN
        {REMOVE} {service("OLD")} {if_public("OLD")};
        {ADD} {service("NEW")} {if_public("NEW")};
    END""",
    f"""
    CREATE TRIGGER initiatives_service_searchtext_delete AFTER DELETE ON initiatives_service BEGIN
        {REMOVE} {service("OLD")} {if_public("OLD")};
    END""",
    # Every need: residents choose from all of them.
    f"""
    CREATE TRIGGER initiatives_need_searchtext_insert AFTER INSERT ON initiatives_need BEGIN
        {ADD} {need("NEW")};
    END""",
    f"""
    CREATE TRIGGER initiatives_need_searchtext_update AFTER UPDATE OF name, question ON initiatives_need
    WHEN OLD.name IS NOT NEW.name OR OLD.question IS NOT NEW.question
    BEGIN
        {REMOVE} {need("OLD")};
        {ADD} {need("NEW")};
    END""",
    f"""
    CREATE TRIGGER initiatives_need_searchtext_delete AFTER DELETE ON initiatives_need BEGIN
        {REMOVE} {need("OLD")};
    END""",
    # A published organisation's name, and its services as it is published or no longer is. It has
    # none when added or deleted, unless an import or raw SQL adds it after them (or deletes it first).
    f"""
    CREATE TRIGGER initiatives_organisation_searchtext_insert AFTER INSERT ON initiatives_organisation
    WHEN NEW.publication_state = 'published'
    BEGIN
        {ADD} {organisation("NEW")};
        {ADD} {service("s")} {services_of("NEW")};
    END""",
    f"""
    CREATE TRIGGER initiatives_organisation_searchtext_update
    AFTER UPDATE OF name, publication_state ON initiatives_organisation
    WHEN OLD.name IS NOT NEW.name OR OLD.publication_state IS NOT NEW.publication_state
    BEGIN
        {REMOVE} {organisation("OLD")} WHERE OLD.publication_state = 'published';
        {ADD} {organisation("NEW")} WHERE NEW.publication_state = 'published';
        {REMOVE} {service("s")} {services_of("OLD")}
            AND OLD.publication_state = 'published' AND NEW.publication_state <> 'published';
        {ADD} {service("s")} {services_of("NEW")}
            AND NEW.publication_state = 'published' AND OLD.publication_state <> 'published';
    END""",
    f"""
    CREATE TRIGGER initiatives_organisation_searchtext_delete AFTER DELETE ON initiatives_organisation
    WHEN OLD.publication_state = 'published'
    BEGIN
        {REMOVE} {organisation("OLD")};
        {REMOVE} {service("s")} {services_of("OLD")};
    END""",
    # The rows already there.
    f"""
    {ADD} {service("s")}
    FROM initiatives_service s JOIN initiatives_organisation o ON o.id = s.organisation_id
    WHERE s.publication_state = 'published' AND o.publication_state = 'published'""",
    f"{ADD} {need('n')} FROM initiatives_need n",
    f"{ADD} {organisation('o')} FROM initiatives_organisation o WHERE o.publication_state = 'published'",
]

BACKWARDS = [
    f"DROP TRIGGER initiatives_{table}_searchtext_{event}"
    for table in ("service", "need", "organisation")
    for event in ("insert", "update", "delete")
] + [f"DROP TABLE {WORDS}", f"DROP TABLE {TEXTS}"]


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0017_schedule_minutes_of_week"),
    ]

    operations = [
        RunSQLOnSQLite(FORWARDS, BACKWARDS),
    ]
