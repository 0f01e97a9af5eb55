"""The database cache's table (settings.CACHES without Redis): rate-limit counters shared by all workers."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_drop_unqueried_indexes")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
