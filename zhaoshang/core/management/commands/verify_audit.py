from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.audit import verify_all

LABELS = {"core.ObjectChange": "变更记录", "core.SecurityEvent": "安全审计事件"}


class Command(BaseCommand):
    help = (
        "校验审计日志的 SM3 哈希链，并与最新的签名检查点核对（末尾记录是否被删除）；发现问题时报告位置并以非零状态退出"
    )

    def handle(self, *args, **options):
        reports = verify_all()
        for report in reports:
            label = LABELS[report.model]
            if report.broken_id is not None:
                self.stdout.write(
                    self.style.ERROR(
                        f"{label}：哈希链在第 {report.broken_id} 号记录处断开"
                        f"（已校验 {report.rows} 条）：{report.reason}"
                    )
                )
            elif report.tail_problem:
                self.stdout.write(self.style.ERROR(f"{label}：{report.rows} 条，{report.tail_problem}"))
            else:
                anchored = f"，与检查点（{report.checkpoint_time}）一致" if report.checkpoint_time else "（尚无检查点）"
                self.stdout.write(self.style.SUCCESS(f"{label}：{report.rows} 条，哈希链完整{anchored}"))
        if not all(report.ok for report in reports):
            raise CommandError("审计日志校验未通过")
