from django.db import migrations

# DOMAIN.md §2: the lists and qualifications every county tracks.
TAGS = [
    ("世界500强", "list"), ("中国500强", "list"), ("民营500强", "list"), ("上市", "list"),
    ("专精特新", "qualification"), ("专精特新“小巨人”", "qualification"), ("独角兽", "list"),
    ("高新技术企业", "qualification"), ("链主", "chain"),
]


def load(apps, schema_editor):
    Tag = apps.get_model("core", "Tag")
    for order, (name, category) in enumerate(TAGS, start=1):
        Tag.objects.get_or_create(name=name, defaults={"category": category, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("core", "0005_tag")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
