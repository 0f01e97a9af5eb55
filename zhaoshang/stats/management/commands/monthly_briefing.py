from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.stats import services
from zhaoshang.stats.periods import last_complete_month


class Command(BaseCommand):
    help = "生成上月的招商引资工作简报（可由计划任务每月 1 日运行），以指定领导账号的数据范围生成"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="以该账号（通常为领导）的数据范围生成")
        parser.add_argument("--period", help="YYYY-MM，默认上个月")

    def handle(self, *args, user, period=None, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"账号 {user} 不存在或已停用")
        if period:
            year, month = (int(x) for x in period.split("-"))
        else:
            year, month = last_complete_month(timezone.localdate())
        job = services.report_request(actor=actor, kind="briefing", year=year, month=month)
        self.stdout.write(self.style.SUCCESS(f"已提交 {year}年{month}月简报的生成任务（编号 {job.pk}）"))
