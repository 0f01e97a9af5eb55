import tempfile

from django.utils import timezone

from zhaoshang.core.audit import security_event
from zhaoshang.core.models import SecurityEvent
from zhaoshang.imports.files import write_xlsx

HEADERS = [
    "项目编号",
    "项目名称",
    "当前阶段",
    "责任单位",
    "办理期限",
    "预警灯",
    "督办级别",
    "预警原因",
    "人工督办事由",
    "引进单位",
    "包保领导",
    "等级",
    "总投资（万元）",
]


def export_supervision(*, projects, user, request=None) -> tuple[str, int]:
    def rows():
        for p in projects:
            run = p.open_runs[0] if getattr(p, "open_runs", None) else None
            by_hand = p.open_supervisions[0] if getattr(p, "open_supervisions", None) else None
            yield [
                p.code,
                p.name,
                p.stage.name,
                run.owner_unit.name if run else "",
                run.due_on if run else None,
                p.get_light_display(),
                p.get_escalation_display(),
                "；".join(p.warning_reasons),
                f"{by_hand.reason}（{by_hand.raised_by.display_name} {by_hand.raised_on:%Y-%m-%d}）" if by_hand else "",
                p.org_unit.name,
                p.lead_leader.display_name if p.lead_leader_id else "",
                p.get_grade_display(),
                p.total_investment,
            ]

    handle = tempfile.NamedTemporaryFile(prefix="zs-supervision-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    count = write_xlsx(handle.name, [(f"督办清单{timezone.localdate():%Y%m%d}", HEADERS, rows())])
    security_event(
        SecurityEvent.Kind.EXPORT, user=user, request=request, object_repr="督办清单", detail={"rows": count}
    )
    return handle.name, count


# The 项目台账 (the statistics app's ledger report): every project in scope, one row each.
LEDGER_HEADERS = [
    "项目编号",
    "项目名称",
    "投资主体",
    "阶段",
    "预警灯",
    "等级",
    "总投资（万元）",
    "合同外资（万美元）",
    "引进单位",
    "签约日期",
    "开工日期",
]


def ledger_row(p) -> list:
    """One project as a 项目台账 row (``LEDGER_HEADERS``)."""
    return [
        p.code,
        p.name,
        p.investor.name if p.investor_id else "",
        p.stage.name,
        p.get_light_display(),
        p.grade,
        p.total_investment,
        p.contracted_fdi,
        p.org_unit.name,
        p.signed_actual,
        p.construction_start_actual,
    ]
