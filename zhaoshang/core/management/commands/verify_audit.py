from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.audit import verify_all


class Command(BaseCommand):
    help = "校验审计日志的 SM3 哈希链；发现断点时报告第一条被改动的记录并以非零状态退出"

    def handle(self, *args, **options):
        reports = verify_all()
        for report in reports:
            label = {"core.ObjectChange": "变更记录", "core.SecurityEvent": "安全审计事件"}[report.model]
            if report.ok:
                self.stdout.write(self.style.SUCCESS(f"{label}：{report.rows} 条，哈希链完整"))
            else:
                self.stdout.write(
                    self.style.ERROR(
                        f"{label}：哈希链在第 {report.broken_id} 号记录处断开"
                        f"（已校验 {report.rows} 条）：{report.reason}"
                    )
                )
        if not all(report.ok for report in reports):
            raise CommandError("审计日志校验未通过")
