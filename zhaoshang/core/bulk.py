"""Bulk writes the ORM makes slow."""

from django.db import connection


def update_rows(objects: list, fields: list[str]) -> None:
    """Write ``fields`` of every object: one ``UPDATE … WHERE id = %s`` per object, sent as one
    ``executemany``. ``QuerySet.bulk_update`` builds a ``CASE WHEN id = … THEN …`` expression per field
    over the whole batch instead, which costs far more to compile than the database spends on the rows
    (21 s for 5,000 enterprises of an import, against about 1 s this way)."""
    if not objects:
        return
    meta = type(objects[0])._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
