"""A trigram index on the folded text, on PostgreSQL only (search/selectors.py, "Matching").

``LIKE '% word%'`` cannot use a B-tree index; a GIN index of the column's trigrams (``pg_trgm``, part
of PostgreSQL and a trusted extension since version 13, so the database's owner may create it) answers
it. SQLite has no such index: both steps do nothing there, and SQLite scans, with the same results.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "searchentry_folded_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry USING gin (folded gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),  # a no-op on other databases (Django's CreateExtension checks the vendor)
        migrations.RunPython(create_index, drop_index),
    ]
