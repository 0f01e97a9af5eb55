"""``zhaoshang seed-demo``: load every app's demo data (a command of the accounts app, not of core)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import run


class Command(BaseCommand):
    help = "载入演示数据（仅演示模式，可重复运行，不会重复创建）"

    def handle(self, *args, **options):
        if not settings.ZHAOSHANG_DEMO:
            raise CommandError("演示数据只能在演示模式下载入（设置 ZHAOSHANG_DEMO=1）")
        created = run()
        summary = (
            "演示数据已就绪：新建单位 {units} 个，账号 {users} 个，企业 {enterprises} 家，"
            "项目 {projects} 个，线索 {leads} 条，外资记录 {fdi_records} 条，招商网络记录 {network} 条"
        )
        self.stdout.write(self.style.SUCCESS(summary.format(**created)))
