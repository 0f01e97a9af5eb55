"""Drop indexes nothing is looked up by: each costs every insert (docs/decisions.md, 企业库)."""

import django.db.models.deletion
from django.db import migrations, models

from zhaoshang.core.migration_ops import drop_field_indexes, drop_pattern_ops_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0007_calendarday'),
    ]

    operations = [
        drop_field_indexes(
            'core',
            [
        migrations.AlterField(
            model_name='objectchange',
            name='content_type',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='对象类型'),
        ),
                ],
        ),
        drop_pattern_ops_indexes('core_objectchange', ['hash', 'request_id']),
    ]
