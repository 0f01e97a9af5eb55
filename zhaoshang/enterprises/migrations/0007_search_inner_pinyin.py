"""Rebuild every search document (both databases): documents now hold the pinyin of the words inside a name
(``core.search.INNER_MARK`` tokens: 某某新材料 → 0xincailiao …), so that ``xincai`` finds 浙江某某新材料有限公司.

Documents written from now on have them; this writes them for the existing rows, 2,000 at a time. It takes about
as long as building the documents of an import of the same size (docs/benchmarks.md: ≈ 1 minute per 1,000,000
rows for pinyin and tokens, plus the writes). Run again with ``enterprises.search.reindex_all``.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from zhaoshang.enterprises.search import reindex_all  # deferred: the app's code, at the time the migration runs

    Enterprise = apps.get_model("enterprises", "Enterprise")
    reindex_all(Enterprise._default_manager.filter(deleted_at__isnull=True))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0006_drop_unqueried_indexes")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
