from django.core.management.base import BaseCommand

from zhaoshang.policies.services.commitments import commitments_due_all


class Command(BaseCommand):
    help = "核查到期的协议约定政策，开出兑现或追回事项（每日由计划任务运行）"

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"已核查 {commitments_due_all()} 项到期的约定政策"))
