"""Drop indexes nothing is looked up by: each costs every insert (docs/decisions.md, 企业库)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from zhaoshang.core.migration_ops import drop_field_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('stats', '0002_fdi_rollups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        drop_field_indexes(
            'stats',
            [
        migrations.AlterField(
            model_name='fdirecord',
            name='created_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人'),
        ),
        migrations.AlterField(
            model_name='fdirecord',
            name='deleted_by',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='删除人'),
        ),
        migrations.AlterField(
            model_name='fdirecord',
            name='updated_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人'),
        ),
                ],
        ),
    ]
