from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump -Fc）、上传文件及密钥指纹，并按保留份数清理旧备份"

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="备份目录（默认 ZHAOSHANG_BACKUP_DIR）")
        parser.add_argument("--keep", type=int, help="保留最近几份（默认 ZHAOSHANG_BACKUP_KEEP）")

    def handle(self, *args, dir=None, keep=None, **options):  # noqa: A002
        try:
            folder = backup(dir, keep)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已备份到 {folder}"))
