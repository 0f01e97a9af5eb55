"""PostgreSQL: give every search document its id-block lexeme (``core.search.id_bucket``).

A query expected to match more than ``PG_WINDOW_ABOVE`` records ranks only the matches among the newest ids,
and asks the GIN index for them by ANDing the query with these lexemes (docs/decisions.md, 企业库). Documents
written from now on carry the lexeme; this adds it to the existing ones in one statement (no document is
rebuilt). SQLite's FTS5 table windows by rowid; nothing to do there.
"""

from django.db import migrations

ID_BUCKET = 10_000  # core.search.ID_BUCKET when this was written (changing it means rebuilding the documents)


def add_buckets(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_enterprise SET doc = doc || array_to_tsvector(ARRAY['_b' || (id / %s)::text])",
            [ID_BUCKET],
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_search_name_weights")]

    operations = [migrations.RunPython(add_buckets, migrations.RunPython.noop)]
