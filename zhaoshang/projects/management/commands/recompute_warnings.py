from django.core.management.base import BaseCommand

from zhaoshang.projects.services import warnings_recompute


class Command(BaseCommand):
    help = "重新计算全部项目的预警灯与督办级别（每日由计划任务运行，可重复运行）"

    def handle(self, *args, **options):
        changed = warnings_recompute()
        self.stdout.write(self.style.SUCCESS(f"预警已更新：{changed} 个项目的预警状态有变化"))
