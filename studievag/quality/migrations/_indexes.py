"""Indexes on other areas' tables, created without blocking writes.

On PostgreSQL ``CREATE INDEX CONCURRENTLY`` (the migration must not be atomic:
a concurrent build cannot run inside a transaction), elsewhere a plain
``CREATE INDEX``. Used by this area's migrations for the indexes its queries
need on tables it does not own, so the owning areas' models stay as they are.
"""

from django.db import migrations


def create_indexes(indexes):
    def forwards(apps, schema_editor):
        concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
        for name, table, columns in indexes:
            schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {table} ({columns})")

    def backwards(apps, schema_editor):
        concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
        for name, _table, _columns in indexes:
            schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards, elidable=False)
