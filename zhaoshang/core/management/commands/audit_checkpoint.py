from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import audit_anchor
from zhaoshang.core.audit import security_event
from zhaoshang.core.models import SecurityEvent


class Command(BaseCommand):
    help = "为审计日志的哈希链写入签名检查点（每日运行，也可随时运行）；--print 打印最新检查点供审计管理员核对"

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", help="只打印最新的检查点，不写入新的")

    def handle(self, *args, **options):
        if options["print"]:
            record, problem = audit_anchor.latest()
            if record is None:
                raise CommandError(problem)
            self.stdout.write(audit_anchor.print_text(record))
            return
        record = audit_anchor.checkpoint()
        security_event(
            SecurityEvent.Kind.AUDIT_CHECKPOINT,
            username="系统",
            object_repr=str(audit_anchor.log_path())[-200:],
            detail={"chains": record["chains"], "hmac": record["hmac"]},
        )
        self.stdout.write(self.style.SUCCESS(f"已写入检查点：{audit_anchor.log_path()}"))
        self.stdout.write(audit_anchor.print_text(record))
