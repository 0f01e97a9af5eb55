"""Migration helpers."""

from django.db import migrations


def drop_field_indexes(app_label: str, state_operations: list) -> migrations.SeparateDatabaseAndState:
    """``AlterField`` operations of ``app_label`` that only turn ``db_index`` off, applied as ``DROP INDEX``.

    Django applies such an ``AlterField`` on SQLite by copying the whole table, once per field: minutes for a
    table of a million rows. Here the single-column index of each field is dropped instead (found by
    introspection, so its name does not matter); the migration state is what the operations say. Reversed, the
    indexes are created again."""

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for operation in state_operations:
                model = apps.get_model(app_label, operation.model_name)
                column = model._meta.get_field(operation.name).column
                constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
                for name, info in sorted(constraints.items()):
                    if info["index"] and not (info["unique"] or info["primary_key"]) and info["columns"] == [column]:
                        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")

    def backward(apps, schema_editor):
        for operation in state_operations:
            model = apps.get_model(app_label, operation.model_name)
            schema_editor.execute(
                schema_editor._create_index_sql(model, fields=[model._meta.get_field(operation.name)])
            )

    return migrations.SeparateDatabaseAndState(
        state_operations=state_operations, database_operations=[migrations.RunPython(forward, backward)]
    )


def drop_pattern_ops_indexes(table: str, columns: list[str]) -> migrations.RunPython:
    """PostgreSQL: drop the ``varchar_pattern_ops`` companions (``…_like``) Django adds to the index of a text
    field, for ``LIKE 'prefix%'`` under a non-C collation. The code never asks such a question of these columns
    (prefixes are ranges, ``name >= %s AND name < %s``, which the plain index answers), and each index costs every
    insert. A later ``AlterField`` of such a field may create it again (and drops it with ``IF EXISTS``)."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for column in columns:
                cursor.execute(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                    "AND indexdef LIKE %s",
                    [table, f"%({column} varchar_pattern_ops)%"],
                )
                for (name,) in cursor.fetchall():
                    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            name = schema_editor.quote_name(f"{table}_{column}_like")
            schema_editor.execute(
                f"CREATE INDEX {name} ON {schema_editor.quote_name(table)} ({schema_editor.quote_name(column)} "
                f"varchar_pattern_ops)"
            )

    return migrations.RunPython(forward, backward)
