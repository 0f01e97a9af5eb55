"""Excel export of the current enterprise filter (constant memory; formula cells escaped; audited)."""

import tempfile

from django.utils import timezone

from zhaoshang.core.audit import security_event
from zhaoshang.core.models import SecurityEvent
from zhaoshang.imports.files import write_xlsx

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "简称",
    "企业类型",
    "资本来源",
    "投资方国别（地区）",
    "企业规模",
    "行业代码",
    "行业名称",
    "所在省份",
    "所在城市",
    "注册资本（万元）",
    "成立日期",
    "标签",
    "所属单位",
    "更新时间",
]


def _row(e) -> list:
    return [
        e.name,
        e.credit_code,
        e.short_name,
        e.get_kind_display(),
        e.get_origin_display(),
        e.country,
        e.get_scale_display(),
        e.industry.code if e.industry_id else "",
        e.industry.name if e.industry_id else "",
        e.province,
        e.city,
        e.registered_capital,
        e.established_on,
        "、".join(t.name for t in e.tags.all()),
        e.org_unit.name,
        timezone.localtime(e.updated_at).strftime("%Y-%m-%d %H:%M"),
    ]


def filename() -> str:
    return f"企业库导出-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def export_enterprises(*, results, user, request=None) -> tuple[str, int]:
    """Write the rows of ``results`` to a temporary xlsx; returns its path and the row count."""
    handle = tempfile.NamedTemporaryFile(prefix="zs-export-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    count = write_xlsx(handle.name, [("企业", HEADERS, (_row(e) for e in results.iterator()))])
    security_event(
        SecurityEvent.Kind.EXPORT,
        user=user,
        request=request,
        object_repr="企业库",
        detail={"rows": count, "filters": dict(request.GET.items()) if request else {}},
    )
    return handle.name, count
