from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份目录恢复数据库与上传文件，并逐表核对行数与校验和（会覆盖当前数据）"

    def add_arguments(self, parser):
        parser.add_argument("folder", help="backup 命令输出的备份目录")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args, folder, yes=False, **options):
        if not yes:
            raise CommandError("恢复会覆盖当前的数据库和上传文件；确认后加 --yes 重新执行")
        try:
            differing = restore(Path(folder))
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        if differing:
            raise CommandError(f"恢复后以下表与备份清单不符：{', '.join(sorted(differing))}")
        self.stdout.write(self.style.SUCCESS("已恢复；每张表的行数与校验和均与备份一致"))
