from django.core.management.base import BaseCommand

from zhaoshang.imports.services import import_files_purge


class Command(BaseCommand):
    help = "删除导入已完成或已放弃（超过保留期限）的上传文件；每日运行"

    def handle(self, *args, **options):
        deleted = import_files_purge()
        self.stdout.write(self.style.SUCCESS(f"已删除 {deleted} 个上传文件"))
