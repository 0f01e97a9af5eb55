import secrets

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import key_rotation
from zhaoshang.core.crypto import current_key_id


class Command(BaseCommand):
    help = (
        "用当前的字段加密密钥（ZHAOSHANG_FIELD_KEY）重新加密所有加密字段和加密存放的文件；旧密钥放在 "
        "ZHAOSHANG_FIELD_KEYS_PREVIOUS 中。可中断，再次运行从中断处继续"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=key_rotation.BATCH, help="每批处理的行数")
        parser.add_argument("--check", action="store_true", help="只统计尚未使用当前密钥的数据，不写入")
        parser.add_argument("--generate", action="store_true", help="只生成并打印一个新的随机密钥")

    def handle(self, *args, batch, check, generate, **options):
        if generate:
            self.stdout.write(secrets.token_hex(16))
            return
        if batch < 1:
            raise CommandError("--batch 应为正整数")
        if check:
            left = key_rotation.remaining()
            for label, count in left.items():
                self.stdout.write(f"{label}：{count} 个值尚未使用当前密钥")
            self.stdout.write(
                f"当前密钥标识 {current_key_id()}；" + ("全部数据已使用当前密钥" if not left else "需要轮换")
            )
            return

        def progress(label, last, changed):
            self.stdout.write(f"{label}：已处理到 #{last}，本批重新加密 {changed} 个")

        try:
            run = key_rotation.rotate(batch_size=batch, on_batch=progress)
        except key_rotation.RotationError as exc:
            raise CommandError(f"{exc.message}；已完成的批次已保存，修正后再次运行将从中断处继续") from exc
        total = sum(run.counts.values())
        if run.finished_at is None:
            raise CommandError(
                f"仍有数据使用旧密钥（{key_rotation.remaining()}）：请确认所有进程已使用新密钥后再次运行"
            )
        self.stdout.write(self.style.SUCCESS(f"密钥轮换完成（密钥标识 {run.key_id}）：共重新加密 {total} 个值"))
