from django.db import migrations, models

from zhaoshang.carriers.map_features import feature_body


def fill(apps, schema_editor):
    """Build the map text of every stored carrier (soft-deleted ones too: a restore shows them again)."""
    Carrier = apps.get_model("carriers", "Carrier")
    batch = []
    for carrier in Carrier.objects.all().iterator(chunk_size=2000):
        carrier.map_feature = feature_body(carrier)
        batch.append(carrier)
        if len(batch) == 2000:
            Carrier.objects.bulk_update(batch, ["map_feature"])
            batch = []
    Carrier.objects.bulk_update(batch, ["map_feature"])


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="carrier",
            name="map_feature",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="地图数据"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
