from django.core.management.base import BaseCommand

from zhaoshang.carriers.services import reservations_expire


class Command(BaseCommand):
    help = "释放预留期已过的载体并通知申请单位和载体所属单位（每日由计划任务运行）"

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"已释放 {reservations_expire()} 个到期的载体预留"))
