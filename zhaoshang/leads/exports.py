import tempfile

from zhaoshang.core.audit import security_event
from zhaoshang.core.models import SecurityEvent
from zhaoshang.imports.files import write_xlsx

HEADERS = [
    "线索编号",
    "线索名称",
    "投资主体",
    "投资方国别（地区）",
    "来源渠道",
    "状态",
    "等级",
    "预计投资（万元）",
    "预计外资（万美元）",
    "跟进单位",
    "跟进人",
    "登记日期",
    "最近进展",
    "下次跟进",
    "联系人",
    "联系电话",
]


def lead_row(lead) -> list:
    """One lead as a 线索台账 row (``HEADERS``); also the statistics app's lead ledger."""
    return [
        lead.code,
        lead.title,
        lead.investor_label,
        lead.investor_country,
        lead.get_source_display(),
        lead.get_status_display(),
        lead.grade,
        lead.investment_rmb,
        lead.investment_fdi,
        lead.org_unit.name,
        lead.owner.display_name if lead.owner_id else "",
        lead.registered_on,
        lead.last_report_on,
        lead.next_followup_on,
        lead.contact_name,
        lead.contact_phone_masked,
    ]


def export_leads(*, rows, user, request=None) -> tuple[str, int]:
    def data():
        for lead in rows:
            yield lead_row(lead)

    handle = tempfile.NamedTemporaryFile(prefix="zs-leads-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    count = write_xlsx(handle.name, [("线索台账", HEADERS, data())])
    security_event(
        SecurityEvent.Kind.EXPORT, user=user, request=request, object_repr="线索台账", detail={"rows": count}
    )
    return handle.name, count
