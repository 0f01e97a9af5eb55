from django.core.management.base import BaseCommand, CommandError

from zhaoshang.stats import rollup


class Command(BaseCommand):
    help = "核对外资统计汇总表与外资记录是否一致（--rebuild 按记录重算汇总表）"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="按外资记录重新计算两张汇总表")

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            rollup.rebuild()
            self.stdout.write("已按外资记录重算汇总表")
        problems = rollup.differences()
        for problem in problems[:50]:
            self.stdout.write(self.style.ERROR(problem))
        if problems:
            raise CommandError(f"汇总表与外资记录有 {len(problems)} 处不一致；可用 --rebuild 重算")
        self.stdout.write(self.style.SUCCESS("外资统计汇总表与外资记录一致"))
