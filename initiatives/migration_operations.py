"""Migration operations of our own, kept out of the migration files so later ones can share them.

(Migration 0007_search has its own copy of RunSQLOnPostgreSQL: migrations are never edited.)
"""

from django.db import migrations


class RunSQLOnVendor(migrations.RunSQL):
    """RunSQL on one database only (`vendor`, as Django names it); nothing on the others."""

    vendor = ""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RunSQLOnPostgreSQL(RunSQLOnVendor):
    """For indexes, extensions and triggers SQLite cannot build."""

    vendor = "postgresql"


class RunSQLOnSQLite(RunSQLOnVendor):
    """For SQLite's own full-text tables, and the triggers that keep them, which PostgreSQL has no use for."""

    vendor = "sqlite"
