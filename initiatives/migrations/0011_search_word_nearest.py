"""Misspellings: find the words nearest a typed one with a GiST trigram index (PostgreSQL only).

A GiST index answers "the three nearest words" (ORDER BY word <-> typed) whatever their
similarity, so "Did you mean" also reaches short words ("tekh" to "tech", similarity 0.25),
below the 0.3 that the GIN index's similarity operator stops at. It replaces that GIN index.
"""

from django.db import migrations

from initiatives.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0010_service_name_order"),
    ]

    operations = [
        RunSQLOnPostgreSQL(
            """
            CREATE INDEX initiatives_searchword_nearest ON initiatives_searchword USING gist (word gist_trgm_ops);
            DROP INDEX initiatives_searchword_trigram;
            """,
            """
            CREATE INDEX initiatives_searchword_trigram ON initiatives_searchword USING gin (word gin_trgm_ops);
            DROP INDEX initiatives_searchword_nearest;
            """,
        ),
    ]
