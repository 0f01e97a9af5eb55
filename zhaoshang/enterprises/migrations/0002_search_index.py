from django.db import migrations


def create(apps, schema_editor):
    from zhaoshang.enterprises.search import INDEX

    INDEX.create(schema_editor.connection)


def drop(apps, schema_editor):
    from zhaoshang.enterprises.search import INDEX

    INDEX.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
