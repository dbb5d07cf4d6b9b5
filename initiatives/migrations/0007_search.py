"""The service search: synonyms, searches that found nothing, and on PostgreSQL the weighted search
words of each service with a GIN index, pg_trgm, and the triggers that keep them up to date.

The PostgreSQL part does nothing on SQLite, which cannot build these indexes or triggers; there
initiatives/search.py matches words in the text columns instead.
"""

import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


SEARCH_SQL = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX initiatives_service_search_vector ON initiatives_servicesearchdocument USING gin (vector);
CREATE INDEX initiatives_searchword_trigram ON initiatives_searchword USING gin (word gin_trgm_ops);

-- Add the words of a text to the vocabulary that misspelt words are corrected against.
CREATE FUNCTION initiatives_search_add_words(body text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO initiatives_searchword (word)
    SELECT DISTINCT word FROM regexp_split_to_table(lower(body), '[^[:alpha:]]+') AS word
    WHERE length(word) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING
$$;

-- Recompute one service's weighted search words: name (A); summary and need names (B);
-- description and organisation name (C); the questions of its needs, in residents' words (D).
CREATE FUNCTION initiatives_search_refresh(service bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO initiatives_servicesearchdocument (service_id, vector)
    SELECT s.id,
           setweight(to_tsvector('english', s.name), 'A')
        || setweight(to_tsvector('english', s.summary), 'B')
        || setweight(to_tsvector('english', coalesce(needs.names, '')), 'B')
        || setweight(to_tsvector('english', s.description), 'C')
        || setweight(to_tsvector('english', o.name), 'C')
        || setweight(to_tsvector('english', coalesce(needs.questions, '')), 'D')
    FROM initiatives_service s
    JOIN initiatives_organisation o ON o.id = s.organisation_id
    LEFT JOIN LATERAL (
        SELECT string_agg(n.name, ' ') AS names, string_agg(n.question, ' ') AS questions
        FROM initiatives_service_needs sn JOIN initiatives_need n ON n.id = sn.need_id
        WHERE sn.service_id = s.id
    ) needs ON true
    WHERE s.id = service
    ON CONFLICT (service_id) DO UPDATE SET vector = excluded.vector
$$;

CREATE FUNCTION initiatives_service_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM initiatives_search_refresh(NEW.id);
    PERFORM initiatives_search_add_words(concat_ws(' ', NEW.name, NEW.summary, NEW.description));
    RETURN NULL;
END
$$;
CREATE TRIGGER initiatives_service_search_insert AFTER INSERT ON initiatives_service
    FOR EACH ROW EXECUTE FUNCTION initiatives_service_search_changed();
CREATE TRIGGER initiatives_service_search_update
    AFTER UPDATE OF name, summary, description, organisation_id ON initiatives_service
    FOR EACH ROW WHEN (
        OLD.name IS DISTINCT FROM NEW.name OR OLD.summary IS DISTINCT FROM NEW.summary
        OR OLD.description IS DISTINCT FROM NEW.description
        OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
    ) EXECUTE FUNCTION initiatives_service_search_changed();

CREATE FUNCTION initiatives_service_needs_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM initiatives_search_refresh(OLD.service_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM initiatives_search_refresh(NEW.service_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER initiatives_service_needs_search AFTER INSERT OR UPDATE OR DELETE ON initiatives_service_needs
    FOR EACH ROW EXECUTE FUNCTION initiatives_service_needs_search_changed();

CREATE FUNCTION initiatives_need_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM initiatives_search_add_words(concat_ws(' ', NEW.name, NEW.question));
    IF TG_OP = 'UPDATE' THEN
        PERFORM initiatives_search_refresh(sn.service_id)
        FROM initiatives_service_needs sn WHERE sn.need_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER initiatives_need_search_insert AFTER INSERT ON initiatives_need
    FOR EACH ROW EXECUTE FUNCTION initiatives_need_search_changed();
CREATE TRIGGER initiatives_need_search_update AFTER UPDATE OF name, question ON initiatives_need
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.question IS DISTINCT FROM NEW.question)
    EXECUTE FUNCTION initiatives_need_search_changed();

CREATE FUNCTION initiatives_organisation_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM initiatives_search_add_words(NEW.name);
    IF TG_OP = 'UPDATE' THEN
        PERFORM initiatives_search_refresh(s.id) FROM initiatives_service s WHERE s.organisation_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER initiatives_organisation_search_insert AFTER INSERT ON initiatives_organisation
    FOR EACH ROW EXECUTE FUNCTION initiatives_organisation_search_changed();
CREATE TRIGGER initiatives_organisation_search_update AFTER UPDATE OF name ON initiatives_organisation
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION initiatives_organisation_search_changed();

-- The records already there.
SELECT initiatives_search_refresh(id) FROM initiatives_service;
SELECT initiatives_search_add_words(concat_ws(' ', name, summary, description)) FROM initiatives_service;
SELECT initiatives_search_add_words(concat_ws(' ', name, question)) FROM initiatives_need;
SELECT initiatives_search_add_words(name) FROM initiatives_organisation;
"""

REMOVE_SEARCH_SQL = """
DROP TRIGGER initiatives_organisation_search_update ON initiatives_organisation;
DROP TRIGGER initiatives_organisation_search_insert ON initiatives_organisation;
DROP FUNCTION initiatives_organisation_search_changed();
DROP TRIGGER initiatives_need_search_update ON initiatives_need;
DROP TRIGGER initiatives_need_search_insert ON initiatives_need;
DROP FUNCTION initiatives_need_search_changed();
DROP TRIGGER initiatives_service_needs_search ON initiatives_service_needs;
DROP FUNCTION initiatives_service_needs_search_changed();
DROP TRIGGER initiatives_service_search_update ON initiatives_service;
DROP TRIGGER initiatives_service_search_insert ON initiatives_service;
DROP FUNCTION initiatives_service_search_changed();
DROP FUNCTION initiatives_search_refresh(bigint);
DROP FUNCTION initiatives_search_add_words(text);
DROP INDEX initiatives_searchword_trigram;
DROP INDEX initiatives_service_search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0006_location_coordinates_index_schedule_midnight"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "terms",
                    models.CharField(
                        help_text=(
                            "Words or short phrases that mean the same thing to someone searching, separated "
                            "by commas, for example: job, work, employment, career. A search for any one of "
                            "them finds services that use any other."
                        ),
                        max_length=300,
                        unique=True,
                    ),
                ),
            ],
            options={"verbose_name": "synonym group", "ordering": ["terms"]},
        ),
        migrations.CreateModel(
            name="UnmatchedSearch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("words", models.CharField(help_text="What was typed, in lower case.", max_length=200)),
                (
                    "filters",
                    models.CharField(
                        blank=True,
                        help_text="The other choices made, such as a need or a way to get help.",
                        max_length=500,
                    ),
                ),
                ("times", models.PositiveIntegerField(default=1, verbose_name="searches")),
                ("first_seen", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_seen", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "search that found nothing",
                "verbose_name_plural": "searches that found nothing",
                "ordering": ["-times", "-last_seen"],
                "indexes": [
                    models.Index(fields=["-times", "-last_seen"], name="unmatched_search_most_frequent")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("words", "filters"), name="unmatched_search_unique_words_filters"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ServiceSearchDocument",
            fields=[
                (
                    "service",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="initiatives.service",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"verbose_name": "service search document"},
        ),
        RunSQLOnPostgreSQL(SEARCH_SQL, REMOVE_SEARCH_SQL),
    ]
