"""PostgreSQL: rewrite every search document with positions, so that names carry weight A.

Until now the documents were built with ``array_to_tsvector``, whose lexemes have no positions and so no
weights: a names-only query (``'token':A``, used by the duplicate check's blocking and the bounded ranking)
matched the business scope too, and ``ts_rank`` did not weigh names higher. SQLite's FTS5 table already keeps
names in their own column; nothing to do there.
"""

from types import SimpleNamespace

from django.db import migrations

CHUNK = 2000


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from zhaoshang.enterprises.search import INDEX, tokens_for

    Enterprise = apps.get_model("enterprises", "Enterprise")
    live = Enterprise._default_manager.filter(deleted_at__isnull=True)
    ids = list(live.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        items = []
        for e in live.filter(pk__in=ids[start : start + CHUNK]).prefetch_related("tags"):
            former = [line.strip() for line in e.former_names.splitlines() if line.strip()]
            record = SimpleNamespace(
                name=e.name,
                short_name=e.short_name,
                normalized_name=e.normalized_name,
                english_name=e.english_name,
                former_name_list=lambda former=former: former,
                business_scope=e.business_scope,
                credit_code=e.credit_code,
            )
            items.append((e.pk, tokens_for(record, [t.name for t in e.tags.all()])))
        INDEX.index_many(items)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_enterprise_list_order_indexes")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
