"""Import of FDI records (kind ``fdi_records``). A row whose enterprise is not in the library yet creates
it (through the enterprise services' duplicate check); the dry run says so. Re-importing the same file
adds nothing: a row is identified by date, enterprise, kind, form and amount."""

from typing import Any

from zhaoshang.core import parsers
from zhaoshang.core import services as core_services
from zhaoshang.core.parsers import org_unit_model
from zhaoshang.core.scope import coordinates
from zhaoshang.core.text import normalize_company_name
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.enterprises import services as enterprise_services
from zhaoshang.imports.engine import (
    Column,
    Importer,
    ParsedRow,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_text,
    register,
)
from zhaoshang.projects import selectors as project_selectors

from . import services
from .models import FDIRecord, Target


class FDIRecordImporter(Importer):
    kind = "fdi_records"
    label = "外资记录"
    columns = [
        Column("date", "日期", required=True, parse=parse_date, example="2026-03-15"),
        Column(
            "enterprise_name", "企业名称", required=True, parse=parse_text(200), example="某精密机械（中国）有限公司"
        ),
        Column("credit_code", "统一社会信用代码", parse=parsers.credit_code),
        Column("project_name", "项目名称", parse=parse_text(200)),
        Column(
            "kind",
            "类型",
            required=True,
            help="实际使用外资或合同外资",
            parse=parse_choice(FDIRecord.Kind.choices),
            example="实际使用外资",
        ),
        Column(
            "form",
            "方式",
            required=True,
            help="新设、增资、利润再投资、并购、减资",
            parse=parse_choice(FDIRecord.Form.choices),
            example="增资",
        ),
        Column("amount", "金额(万美元)", required=True, parse=parse_decimal(minimum=None), example="500"),
        Column("country", "来源国家/地区", parse=parse_text(40), example="新加坡"),
        Column(
            "org_unit", "所属单位", help="本地区单位名称；不填为导入人的单位", parse=parse_text(100), example="店口镇"
        ),
    ]
    instructions = [
        "第 1 行为列标题，请勿修改；每行一笔外资，金额单位为万美元（减资填正数，统计时在合同外资中按负数计入）。",
        "企业库中还没有的企业会在导入时新建（试导入会列出）；所属单位须是本地区已有的单位名称。",
        "重复导入同一文件不会重复记录：日期、企业、类型、方式、金额都相同的视为同一笔。",
    ]

    def check_row(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        if data["amount"] <= 0:
            return [("amount", "金额应大于 0（减资请在“方式”中选择减资）")]
        return []

    def row_key(self, data: dict[str, Any]) -> str:
        who = data.get("credit_code") or normalize_company_name(data["enterprise_name"])
        return f"{data['date']}|{who}|{data['kind']}|{data['form']}|{data['amount']}"

    def match(self, job, actor, rows: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
        region = job.org_unit.region_id
        units = {u.name: u for u in org_unit_model().objects.filter(region_id=region)}
        units.update({u.short_name: u for u in units.values() if u.short_name})
        visible = enterprise_selectors.visible_enterprises(user=actor)
        problems = []
        for row in rows:
            data = row.data
            name = data.get("org_unit")
            if name and name not in units:
                problems.append((row, "org_unit", f"所属单位“{name}”不是本地区的单位"))
                continue
            data["org_unit"] = units.get(name) if name else job.org_unit
            if data["org_unit"].pk not in actor.org_unit.subtree_ids() and not coordinates(actor):
                problems.append((row, "org_unit", f"所属单位“{data['org_unit'].name}”不在您的数据范围内，不能为其录入"))
                continue
            existing = enterprise_selectors.enterprise_in_region(
                region_id=region, credit_code=data.get("credit_code") or "", name=data["enterprise_name"]
            )
            if existing is not None and not visible.filter(pk=existing.pk).exists():
                problems.append(
                    (row, "enterprise_name", f"企业“{existing.name}”由{existing.org_unit.name}登记，不在您的数据范围内")
                )
                continue
            data["enterprise"] = existing
            if data.get("project_name"):
                project = project_selectors.visible_project(user=actor, name=data["project_name"])
                if project is None:
                    problems.append((row, "project_name", f"项目“{data['project_name']}”不存在或不在您的数据范围内"))
                    continue
                data["project"] = project
            if (
                existing is not None
                and FDIRecord.objects.filter(
                    enterprise=existing, date=data["date"], kind=data["kind"], form=data["form"], amount=data["amount"]
                ).exists()
            ):
                row.existing, row.diff = existing, {}
            elif existing is None:
                data["new_enterprise"] = True
        return problems

    def write(self, job, actor, creates: list[ParsedRow], updates: list[ParsedRow]) -> None:
        created: dict[str, object] = {}  # enterprises created by this import, by credit code or name
        for row in creates:
            data = dict(row.data)
            enterprise = data.pop("enterprise", None)
            if enterprise is None:
                key = data.get("credit_code") or normalize_company_name(data["enterprise_name"])
                enterprise = created.get(key) or _new_enterprise(actor, data)
                created[key] = enterprise
            services.record_create(
                actor=actor,
                enterprise=enterprise,
                data={
                    "date": data["date"],
                    "kind": data["kind"],
                    "form": data["form"],
                    "amount": data["amount"],
                    "country": data.get("country") or enterprise.country,
                    "org_unit": data["org_unit"],
                    "project_id": data["project"].pk if data.get("project") else None,
                },
            )


def _new_enterprise(actor, data: dict):
    """An investor the library does not know yet. It belongs to the unit the record counts for when the actor
    may write there; a 统筹单位 compiling another unit's figures registers it as its own and shares it with
    that unit (the town's records stay the town's, and the town sees the investor it is counted for)."""
    unit = data["org_unit"]
    own = unit.pk in actor.org_unit.subtree_ids()
    enterprise = enterprise_services.enterprise_create(
        actor=actor,
        data={
            "name": data["enterprise_name"],
            "credit_code": data.get("credit_code", ""),
            "origin": "foreign",
            "country": data.get("country", ""),
            "org_unit": unit if own else actor.org_unit,
        },
    )
    if not own:
        core_services.object_share(obj=enterprise, org_unit=unit, actor=actor)
    return enterprise


register(FDIRecordImporter())


class TargetImporter(Importer):
    kind = "targets"
    label = "年度目标"
    columns = [
        Column("year", "年度", required=True, parse=parse_decimal(places=0), example="2026"),
        Column("org_unit", "单位", required=True, help="本地区单位名称", parse=parse_text(100), example="店口镇"),
        Column(
            "metric",
            "指标",
            required=True,
            help="实际使用外资（万美元）、合同外资（万美元）等",
            parse=parse_choice(Target.Metric.choices),
            example="实际使用外资（万美元）",
        ),
        Column("value", "目标值", required=True, parse=parse_decimal(), example="2500"),
    ]
    instructions = ["每行一个单位一项指标的年度目标；已有的目标会被更新（试导入会列出变化）。"]

    def row_key(self, data: dict[str, Any]) -> str:
        return f"{data['year']}|{data['org_unit']}|{data['metric']}"

    def match(self, job, actor, rows: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
        units = {u.name: u for u in org_unit_model().objects.filter(region_id=job.org_unit.region_id)}
        problems = []
        for row in rows:
            unit = units.get(row.data["org_unit"])
            if unit is None:
                problems.append((row, "org_unit", f"单位“{row.data['org_unit']}”不是本地区的单位"))
                continue
            row.data["org_unit"], row.data["year"] = unit, int(row.data["year"])
            existing = Target.objects.filter(org_unit=unit, year=row.data["year"], metric=row.data["metric"]).first()
            if existing is not None:
                row.existing = existing
                row.diff = {} if existing.value == row.data["value"] else {"value": (existing.value, row.data["value"])}
        return problems

    def write(self, job, actor, creates: list[ParsedRow], updates: list[ParsedRow]) -> None:
        for row in [*creates, *updates]:
            services.target_set(actor=actor, **row.data)


register(TargetImporter())
