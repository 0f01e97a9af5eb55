from django.core.management.base import BaseCommand

from zhaoshang.leads.services import clock_check


class Command(BaseCommand):
    help = "检查线索的响应、研判、进展报告时限，提醒跟进人（每日由计划任务运行）"

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"已发出 {clock_check()} 条线索超时提醒"))
