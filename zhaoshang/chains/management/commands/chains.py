"""``zhaoshang chains <load-reference | link | backtest>``: the chain map's command line."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.accounts.models import OrgUnit


class Command(BaseCommand):
    help = "产业链：载入参考链图（load-reference）、批量归链（link）、招商靶向回测（backtest --cutoff DATE）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-reference", help="载入平台参考链图（已有的链不覆盖，除非 --replace）")
        load.add_argument("--region", default="", help="地区（根单位）代码，默认第一个")
        load.add_argument("--replace", action="store_true")
        link = sub.add_parser("link", help="批量归链（可续跑：从上次的位置继续）")
        link.add_argument("--region", default="")
        link.add_argument("--restart", action="store_true")
        back = sub.add_parser("backtest", help="招商靶向回测")
        back.add_argument("--cutoff", required=True, help="截止日 YYYY-MM-DD")
        back.add_argument("--region", default="")

    def handle(self, *args, action, region, **options):
        from zhaoshang.chains import backtest, services, tasks  # deferred: after the settings are loaded

        root = self._region(region)
        if action == "load-reference":
            counts = services.load_reference_chains(region=root, replace=options["replace"])
            self.stdout.write(f"新建 {counts['created']} 条，替换 {counts['replaced']} 条，保留 {counts['kept']} 条")
        elif action == "link":
            done = tasks.link_library.call(root.pk, options["restart"])
            self.stdout.write("已归链：" + "，".join(f"{k} {v}" for k, v in done.items()))
        else:
            try:
                cutoff = date.fromisoformat(options["cutoff"])
            except ValueError as exc:
                raise CommandError("截止日应为 YYYY-MM-DD") from exc
            self.stdout.write(backtest.render(backtest.backtest(region_id=root.pk, cutoff=cutoff), cutoff))

    def _region(self, code: str) -> OrgUnit:
        roots = OrgUnit.objects.filter(parent__isnull=True).order_by("pk")
        root = roots.filter(code=code).first() if code else roots.first()
        if root is None:
            raise CommandError("没有该地区")
        return root
