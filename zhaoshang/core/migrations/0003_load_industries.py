from django.db import migrations


def load(apps, schema_editor):
    from zhaoshang.core.reference import load_industries

    load_industries(apps.get_model("core", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_triggers")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
