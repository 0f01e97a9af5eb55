"""Import of leads from Excel/CSV (kind ``leads``), through the same registration service as the form, so
duplicate and 首谈保护 checks apply to every row."""

from typing import Any

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import parsers
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import Industry
from zhaoshang.core.text import normalize_company_name
from zhaoshang.imports.engine import (
    CellError,
    Column,
    Importer,
    ParsedRow,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_text,
    register,
)

from . import services
from .models import Lead


def _registered_on(value: str):
    """A lead is registered today or earlier (a file of older leads), never on a day still to come."""
    return parsers.not_after_today(parse_date(value))


class LeadImporter(Importer):
    kind = "leads"
    label = "线索"
    columns = [
        Column("title", "线索名称", required=True, parse=parse_text(200), example="某精密轴承外资项目"),
        Column("enterprise_name", "投资主体", parse=parse_text(200), example="某精密机械（中国）有限公司"),
        Column("investor_country", "投资方国别（地区）", parse=parse_text(40), example="德国"),
        Column("industry", "行业代码", help="GB/T 4754-2017 代码", parse=parsers.industry_code, example="3452"),
        Column(
            "project_type",
            "项目类型",
            help="新建、增资、利润再投资、并购、合资、返程投资、以商招商",
            parse=parse_choice(Lead.ProjectType.choices),
            example="新建",
        ),
        Column("investment_rmb", "预计投资（万元）", parse=parse_decimal(), example="50000"),
        Column("investment_fdi", "预计外资（万美元）", parse=parse_decimal(), example="3000"),
        Column("land_mu", "用地需求（亩）", parse=parse_decimal()),
        Column(
            "source",
            "来源渠道",
            required=True,
            help="驻外办事处、镇街、部门、中介机构、以商招商、友城、展会、网络、上级推送",
            parse=parse_choice(Lead.Source.choices),
            example="驻外办事处",
        ),
        Column(
            "source_unit", "来源单位", help="本地区单位名称", parse=parse_text(100), example="上海驻外招商引智办事处"
        ),
        Column("contact_name", "联系人", parse=parse_text(50)),
        Column("contact_phone", "联系电话", help=parsers.PHONE_HINT, parse=parsers.phone),
        Column("coordination", "需政府协调事项", parse=parse_text(2000)),
        Column("registered_on", "登记日期", help="如 2026-03-01；不填为导入当天", parse=_registered_on),
    ]
    instructions = [
        "第 1 行为列标题，请勿修改；每行一条线索，带 * 的列必填。",
        "同一投资主体已有其他单位的在办线索并受首谈保护时，该行会报错并说明由哪个单位登记。",
        "重复导入同一文件不会重复登记：线索名称和投资主体都相同的视为同一条线索。",
    ]

    def prepare(self) -> None:
        self._industries = dict(Industry.objects.values_list("code", "id"))

    def check_row(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        if data.get("industry") and data["industry"] not in self._industries:
            return [("industry", parsers.industry_unknown_message(data["industry"]))]
        return []

    def row_key(self, data: dict[str, Any]) -> str:
        return f"{data['title'].strip()}|{normalize_company_name(data.get('enterprise_name') or '')}"

    def match(self, job, actor, rows: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
        problems = []
        units = {u.name: u for u in OrgUnit.objects.filter(region_id=job.org_unit.region_id)}
        existing = {
            f"{lead.title}|{lead.normalized_name}": lead
            for lead in Lead.objects.filter(region_id=job.org_unit.region_id, title__in=[r.data["title"] for r in rows])
        }
        for row in rows:
            unit_name = row.data.get("source_unit")
            if unit_name and unit_name not in units:
                problems.append((row, "source_unit", f"来源单位“{unit_name}”不是本地区的单位"))
                continue
            row.data["source_unit"] = units.get(unit_name) if unit_name else None
            lead = existing.get(row.key)
            if lead is not None:
                row.existing, row.diff = lead, {}  # already registered: unchanged, never a second lead
                continue
            try:
                services.check_protection(
                    actor, normalize_company_name(row.data.get("enterprise_name") or ""), row.data.get("registered_on")
                )
            except ValidationFailed as exc:
                problems.append((row, "enterprise_name", exc.message))
        return problems

    def write(self, job, actor, creates: list[ParsedRow], updates: list[ParsedRow]) -> None:
        for row in creates:
            data = dict(row.data)
            phone = data.pop("contact_phone", "") or ""
            on = data.pop("registered_on", None)
            code = data.pop("industry", "")
            data["industry_id"] = self._industries.get(code) if code else None
            try:
                services.lead_register(actor=actor, data=data, phone=phone, on=on)
            except ValidationFailed as exc:
                raise CellError(f"第 {row.row} 行：{exc.message}") from exc


register(LeadImporter())
