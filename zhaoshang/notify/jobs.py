"""The platform's daily and monthly jobs, registered with the scheduler. Each runs an existing management
command or the public service that command calls (so the job and the command an operator types are the same
code, and notify imports no other app's internals); apps that come later register their own
(``scheduler.register_job``) in their AppConfig.ready."""

import io

from django.conf import settings
from django.core.management import call_command

from zhaoshang.accounts.models import User
from zhaoshang.carriers.services import reservations_expire
from zhaoshang.core import backup as backups
from zhaoshang.core.roles import Role
from zhaoshang.imports.services import import_jobs_fail_stale

from .scheduler import register_job


def command(name: str, *args, **options):
    """A job running ``zhaoshang <name>``: its output is the job's result."""

    def run() -> str:
        out = io.StringIO()
        call_command(name, *args, stdout=out, stderr=out, **options)
        return out.getvalue().strip()

    run.__name__ = f"command_{name}"
    return run


def monthly_briefing() -> str:
    """On the 1st: last month's 招商引资工作简报 in each active leader's scope."""
    leaders = User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").values_list("username", flat=True)
    return "\n".join(command("monthly_briefing", user=name)() for name in leaders) or "没有在岗的领导账号"


def digests() -> str:
    from .services.outbox import send_digests  # cycle: services import the scheduler registry

    return f"已发送 {send_digests()} 份每日汇总"


def outbox_sweep() -> str:
    """Belt and braces beside the worker loop: anything due is delivered at least every five minutes."""
    from .services.outbox import process  # cycle: services import the scheduler registry

    return str(process())


def api_tokens_purge() -> str:
    from zhaoshang.accounts.services import api_tokens_purge as purge  # deferred: accounts loads after notify

    return f"已清理 {purge()} 个过期或已撤销的接口令牌"


def carrier_reservations_expire() -> str:
    """Just after midnight: reservations whose term ended yesterday are released (carriers' public service)."""
    return f"已释放 {reservations_expire()} 个到期的载体预留"


def backup() -> str:
    """The nightly backup; keeps the newest ``ZHAOSHANG_BACKUP_KEEP`` (a failed copy fails the run)."""
    return f"已备份到 {backups.backup()}"


def interrupted_imports() -> str:
    """Imports left "running" by a worker that died are failed (re-runnable); also run at the worker's start-up."""
    ended = import_jobs_fail_stale()
    if not ended:
        return "没有中断的导入任务"
    return f"已结束 {len(ended)} 个执行进程中断的导入任务（编号 {'、'.join(map(str, ended))}）"


def register_builtin_jobs() -> None:
    register_job("recompute_warnings", command("recompute_warnings"), "30 6 * * *", label="项目预警重算（红黄绿灯）")
    register_job("check_lead_clocks", command("check_lead_clocks"), "0 7 * * *", label="线索时限检查与超时提醒")
    register_job("fdi_rollup_check", command("fdi_rollup"), "0 5 * * *", label="外资统计汇总表核对")
    register_job("network_progress_check", command("network_progress"), "10 5 * * *", label="招商漏斗汇总表核对")
    register_job("verify_audit", command("verify_audit"), "30 4 * * *", label="审计日志哈希链校验")
    register_job("monthly_briefing", monthly_briefing, "0 6 1 * *", label="月度招商简报（上月）")
    register_job("notify_digest", digests, "0 8 * * *", label="消息每日汇总发送")
    register_job("audit_checkpoint", command("audit_checkpoint"), "45 4 * * *", label="审计日志锚定（签名检查点）")
    register_job("purge_import_files", command("purge_import_files"), "15 3 * * *", label="清理过期的导入文件")
    register_job("api_tokens_purge", api_tokens_purge, "20 3 * * *", label="清理过期的接口令牌")
    register_job(
        "check_policy_commitments",
        command("check_policy_commitments"),
        "40 6 * * *",
        label="约定政策到期核验与兑现事项",
    )
    register_job("carrier_reservations_expire", carrier_reservations_expire, "15 0 * * *", label="释放到期的载体预留")
    register_job(
        "backup", backup, settings.ZHAOSHANG_BACKUP_SCHEDULE, label="数据备份（按保留份数清理旧备份）", lock_minutes=240
    )
    register_job("interrupted_imports", interrupted_imports, "* * * * *", label="中断的导入任务检测", lock_minutes=5)
    register_job("outbox_sweep", outbox_sweep, "*/5 * * * *", label="消息投递补漏", lock_minutes=10)
