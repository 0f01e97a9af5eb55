from django.core.management.base import BaseCommand, CommandError

from zhaoshang.network import services


class Command(BaseCommand):
    help = "核对招商网络转化漏斗的线索进度汇总表与线索记录是否一致（--rebuild 按记录重算汇总表）"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="按线索、项目和外资记录重新计算汇总表")

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            total = services.progress_rebuild()
            self.stdout.write(f"已按记录重算线索进度汇总表（{total} 条线索）")
        problems = services.progress_differences()
        for problem in problems[:50]:
            self.stdout.write(self.style.ERROR(problem))
        if problems:
            raise CommandError(f"线索进度汇总表与记录有 {len(problems)} 处不一致；可用 --rebuild 重算")
        self.stdout.write(self.style.SUCCESS("线索进度汇总表与记录一致"))
