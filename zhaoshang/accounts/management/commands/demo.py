"""``zhaoshang demo``: prepare the embedded SQLite database and run web server and worker together.

A command of the accounts app, not of core: it loads every app's demo data (core imports no app)."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import DEMO_PASSWORD, USERS
from zhaoshang.core.roles import Role
from zhaoshang.core.supervisor import GaveUp, Program, Supervisor


class Command(BaseCommand):
    help = "启动演示：迁移数据库、载入演示数据、启动网站和后台任务进程"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--prepare-only", action="store_true", help="只准备数据库和静态文件，不启动服务")

    def handle(self, *args, host, port, prepare_only, **options):
        if not settings.ZHAOSHANG_DEMO:
            raise CommandError("请以演示模式运行（ZHAOSHANG_DEMO=1，make demo 会自动设置）")
        self.stdout.write("正在准备数据库和演示数据（首次运行约需 2 分钟）……")
        self.stdout.flush()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        call_command("collectstatic", interactive=False, verbosity=0)
        if prepare_only:
            return
        self._print_logins(host, port)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhaoshang.settings.base", "ZHAOSHANG_DEMO": "1"}
        cli = [sys.executable, "-m", "zhaoshang.cli"]
        supervisor = Supervisor(
            [
                Program("后台任务进程", [*cli, "worker", "--interval", "1"], env),  # tasks + scheduler + outbox
                Program(
                    "网站进程",
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "zhaoshang.wsgi:application",
                        "--bind",
                        f"{host}:{port}",
                        "--workers",
                        "2",
                        "--threads",
                        "4",
                        "--access-logfile",
                        "-",
                        "--graceful-timeout",
                        "5",
                    ],
                    env,
                ),  # fmt: skip
            ],
            say=lambda text: (self.stderr.write(text), self.stderr.flush()),
        )
        supervisor.install_signal_handlers()
        try:
            supervisor.run()
        except GaveUp as exc:
            raise CommandError(str(exc)) from exc

    def _print_logins(self, host: str, port: int) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"智慧招商平台（演示）：http://{host}:{port}/"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, role, _unit, title in USERS:
            self.stdout.write(f"  {username:<10} {Role(role).label:<6} {full_name}（{title}）")
        if settings.ZHAOSHANG_TWO_FACTOR_ROLES:
            roles = "、".join(Role(role).label for role in sorted(settings.ZHAOSHANG_TWO_FACTOR_ROLES))
            self.stdout.write(f"双因素认证已开启（{roles}）：首次登录时用身份验证器扫码绑定。")
        else:
            self.stdout.write(
                "演示模式未开启双因素认证（ZHAOSHANG_TWO_FACTOR_ROLES 为空）；生产环境中管理员和领导须输入动态口令。"
            )
        self.stdout.write("按 Ctrl+C 停止。\n")
        self.stdout.flush()
