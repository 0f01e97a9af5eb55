"""Reports generated in the background: the monthly 招商引资工作简报 (.docx from a docxtpl template an
administrator may replace) and the Excel ledgers (外资台账, 项目台账, 线索台账).

The default template is built with python-docx the first time it is needed (so the repository holds no
binary); an uploaded template (``MEDIA_ROOT/report_templates/briefing.docx``) takes precedence. The
template sees the context documented in ``briefing_context``.
"""

import io
import logging
import zipfile
from datetime import date
from pathlib import Path

import jinja2
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate

from zhaoshang.core.audit import security_event
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import SecurityEvent
from zhaoshang.imports.files import write_xlsx
from zhaoshang.leads import exports as lead_exports
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.projects import exports as project_exports
from zhaoshang.projects import selectors as project_selectors

from . import formats, selectors
from .models import ReportJob
from .periods import Period, month_end

logger = logging.getLogger(__name__)
CUSTOM_TEMPLATE = Path(settings.MEDIA_ROOT) / "report_templates" / "briefing.docx"


def default_template() -> bytes:
    """A plain briefing template with docxtpl (Jinja) tags."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    doc.add_heading("{{ region }}招商引资工作简报", level=1)
    doc.add_paragraph("{{ year }}年第{{ month }}期 · {{ as_of }} · {{ generated }}")
    doc.add_heading("一、利用外资情况", level=2)
    doc.add_paragraph(
        "{{ month_range }}，全市实际使用外资 {{ fdi.actual.cumulative|amount }} 万美元，同比{{ actual_yoy_text }}；"
        "合同外资 {{ fdi.contract.cumulative|amount }} 万美元，同比{{ contract_yoy_text }}。"
        "{% if fdi.completion_pct.actual is not none %}实际使用外资完成年度目标的 {{ fdi.completion_pct.actual }}%，"
        "{{ actual_gap_text }}。{% endif %}"
        "实到外资 1000 万美元以上项目 {{ fdi.large_projects.count }} 个。"
    )
    doc.add_paragraph("各单位实际使用外资（万美元；“其中”为上一级单位所含，已计入上一级）：")
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["单位", "累计", "目标", "完成率"], strict=True):
        cell.text = text
    # docxtpl row loop: a row holding only {%tr for %}, the data row, a row holding only {%tr endfor %}
    table.rows[1].cells[0].text = "{%tr for r in rankings %}"
    for cell, text in zip(
        table.rows[2].cells,
        ["{{ r.unit_label }}", "{{ r.value|amount }}", "{{ r.target|amount }}", "{{ r.completion_text }}"],
        strict=True,
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_heading("二、项目推进情况", level=2)
    doc.add_paragraph(
        "在库项目 {{ overview.projects.total }} 个，其中红灯 {{ overview.projects.by_light.red }} 个、"
        "黄灯 {{ overview.projects.by_light.yellow }} 个；今年签约 {{ overview.projects.signed_this_year }} 个，"
        "签约总投资 {{ overview.projects.signed_investment|wan_yuan }}。"
    )
    doc.add_paragraph("红灯项目：")
    doc.add_paragraph("{%p for p in red %}")
    doc.add_paragraph("{{ loop.index }}. {{ p.name }}（{{ p.stage }}，责任单位：{{ p.owner }}）：{{ p.reasons }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("三、线索情况", level=2)
    doc.add_paragraph(
        "今年登记线索 {{ overview.leads.this_year }} 条，在办 {{ overview.leads.open }} 条，"
        "已转项目 {{ overview.leads.converted_this_year }} 条。"
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _yoy_text(value) -> str:
    if value is None:
        return "无可比数据"
    return f"增长 {value}%" if value >= 0 else f"下降 {abs(value)}%"


# The placeholders a briefing template may use, explained for the person editing it (the 简报模板 page). The names
# are what docxtpl looks up in ``briefing_context`` and stay as they are; ``test_briefing_fields_exist`` checks them.
BRIEFING_FIELDS = [
    (
        "基本信息",
        [
            ("region", "地区名称"),
            ("year", "年份"),
            ("month", "月份（期数）"),
            ("month_range", "统计区间，如“2026年1-5月”"),
            ("as_of", "数据截至，如“数据截至 2026年5月底”"),
            ("generated", "生成时间"),
        ],
    ),
    (
        "外资（万美元）",
        [
            ("fdi.actual.month", "当月实际使用外资"),
            ("fdi.actual.cumulative", "本年累计实际使用外资"),
            ("fdi.actual.cumulative_prev_year", "上年同期累计实际使用外资"),
            ("fdi.actual.yoy_pct", "实际使用外资同比增幅（%，无上年数据时为空）"),
            ("actual_yoy_text", "实际使用外资同比的文字，如“增长 12.5%”"),
            ("fdi.contract.month", "当月合同外资（其余同上，把 actual 换成 contract）"),
            ("fdi.contract.cumulative", "本年累计合同外资"),
            ("contract_yoy_text", "合同外资同比的文字"),
            ("fdi.target.actual", "实际使用外资年度目标"),
            ("fdi.completion_pct.actual", "实际使用外资完成年度目标的百分比"),
            ("fdi.schedule_gap_pts.actual", "与序时进度之差（百分点，正数为超过）"),
            ("actual_gap_text", "序时进度的文字，如“超序时进度 3.2 个百分点”"),
            ("fdi.large_projects.threshold", "大项目门槛（万美元）"),
            ("fdi.large_projects.count", "实到外资达到门槛的项目数"),
        ],
    ),
    (
        "项目与线索",
        [
            ("overview.projects.total", "在库项目数"),
            ("overview.projects.by_light.red", "红灯项目数"),
            ("overview.projects.by_light.yellow", "黄灯项目数"),
            ("overview.projects.by_light.green", "绿灯项目数"),
            ("overview.projects.signed_this_year", "今年签约项目数"),
            ("overview.projects.signed_investment", "今年签约总投资（万元）"),
            ("overview.leads.this_year", "今年登记线索数"),
            ("overview.leads.open", "在办线索数"),
            ("overview.leads.converted_this_year", "今年已转项目的线索数"),
        ],
    ),
    (
        "列表（在表格行或段落中循环）",
        [
            (
                "rankings",
                "各单位实际使用外资排名，每行：r.org_unit 单位、r.value 完成额、r.target 目标、r.completion_text 完成率",  # noqa: E501
            ),
            ("red", "红灯项目（最多 10 个），每项：p.name 项目、p.stage 阶段、p.owner 责任单位、p.reasons 预警原因"),
        ],
    ),
]


def jinja_env() -> jinja2.Environment:
    """The template's Jinja: ``amount`` (12,930.00) and ``wan_yuan`` (376.60 亿元) format money."""
    env = jinja2.Environment(autoescape=False)  # noqa: S701 — docxtpl escapes the XML itself
    env.filters["amount"] = formats.amount
    env.filters["wan_yuan"] = formats.wan_yuan
    return env


def briefing_context(*, user, year: int, month: int) -> dict:
    """What the template may use: region, year, month, month_range, as_of, fdi (the stats selector's
    numbers), actual_yoy_text, contract_yoy_text, actual_gap_text, rankings (a tree: each unit, then
    its sub-units with ``level`` 1 and ``unit_label`` "其中：…"), overview, red, generated. Filters:
    ``amount`` (12,930.00) and ``wan_yuan`` (万元 → "376.60 亿元")."""
    today = timezone.localdate()
    period = Period.of(year, month, today=today)
    fdi = selectors.fdi_stats(user=user, year=year, month=month, today=today)
    gap = fdi["schedule_gap_pts"]["actual"]
    rankings = selectors.shown_rankings(selectors.rankings(user=user, year=year, month=month))
    for row in rankings:
        row["completion_text"] = f"{row['completion_pct']}%" if row["completion_pct"] is not None else "—"
        row["unit_label"] = f"{'　' * row['level']}其中：{row['org_unit']}" if row["level"] else row["org_unit"]
    red = [
        {
            "name": p.name,
            "stage": p.stage.name,
            "reasons": "；".join(p.warning_reasons),
            "owner": p.open_runs[0].owner_unit.name if p.open_runs else p.org_unit.name,
        }
        for p in selectors.red_projects(user=user, limit=10)
    ]
    return {
        "region": user.org_unit.region.name,
        "year": year,
        "month": month,
        "month_range": period.months_label + (f"（{period.days_label}）" if period.partial else ""),
        "as_of": period.as_of_text,
        "fdi": fdi,
        "actual_yoy_text": _yoy_text(fdi["actual"]["yoy_pct"]),
        "contract_yoy_text": _yoy_text(fdi["contract"]["yoy_pct"]),
        "actual_gap_text": ""
        if gap is None
        else (f"超序时进度 {gap} 个百分点" if gap >= 0 else f"落后序时进度 {abs(gap)} 个百分点")
        + ("（序时进度按天计）" if period.partial else ""),
        "rankings": rankings,
        "overview": selectors.overview(user=user, today=min(period.through, today)),
        "red": red,
        "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def check_template(upload) -> bytes:
    """An uploaded template must be a .docx (a zip with word/document.xml, no macros, no external
    entities) that renders with sample data; otherwise say what is wrong."""
    if upload is None:
        raise ValidationFailed("请选择 .docx 模板文件")
    if upload.size > 5 * 1024 * 1024:
        raise ValidationFailed("模板文件过大，上限为 5 MB")
    content = upload.read()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise ValidationFailed("不是 Word（.docx）文件")
            if any(n.endswith("vbaProject.bin") for n in names):
                raise ValidationFailed("模板不能包含宏")
            if sum(i.file_size for i in archive.infolist()) > 50 * 1024 * 1024:
                raise ValidationFailed("文件疑似压缩炸弹，已拒绝")
            for name in names:
                if name.endswith((".xml", ".rels")) and b"<!ENTITY" in archive.read(name).upper():
                    raise ValidationFailed("文件包含不允许的 XML 实体声明，已拒绝")
    except zipfile.BadZipFile as exc:
        raise ValidationFailed("不是 Word（.docx）文件") from exc
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.render(_sample_context(), jinja_env())
    except Exception as exc:  # the administrator's Jinja: report its error
        raise ValidationFailed(f"模板无法使用：{exc}") from exc
    return content


def _sample_context() -> dict:
    block = {"month": "0.00", "cumulative": "0.00", "cumulative_prev_year": "0.00", "yoy_pct": None}
    pair = {"actual": None, "contract": None}
    return {
        "region": "示例",
        "year": 2026,
        "month": 1,
        "month_range": "2026年1月",
        "as_of": "数据截至 2026年1月底",
        "generated": "",
        "fdi": {
            "actual": block,
            "contract": block,
            "target": pair,
            "completion_pct": pair,
            "schedule_gap_pts": pair,
            "large_projects": {"threshold": 1000, "count": 0},
        },
        "actual_yoy_text": "",
        "contract_yoy_text": "",
        "actual_gap_text": "",
        "rankings": [],
        "red": [],
        "overview": {
            "projects": {
                "total": 0,
                "by_light": {"red": 0, "yellow": 0, "green": 0},
                "signed_this_year": 0,
                "signed_investment": 0,
            },
            "leads": {"this_year": 0, "open": 0, "converted_this_year": 0},
        },
    }


def template_in_use() -> bytes:
    """The uploaded briefing template, else the built-in one."""
    return CUSTOM_TEMPLATE.read_bytes() if CUSTOM_TEMPLATE.exists() else default_template()


def render_briefing(*, user, year: int, month: int) -> bytes:
    template = DocxTemplate(io.BytesIO(template_in_use()))
    template.render(briefing_context(user=user, year=year, month=month), jinja_env())
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


FDI_LEDGER_HEADERS = [
    "日期",
    "企业",
    "统一社会信用代码",
    "项目",
    "类型",
    "方式",
    "金额（万美元）",
    "计入金额（万美元）",
    "来源国家/地区",
    "所属单位",
]
# Dates in a stock ledger that record what happened (as against a plan): one after the period's end is
# not part of the period, and its cell stays empty.
HAPPENED = {"签约日期", "开工日期", "最近进展"}


def _money(headers: list[str]) -> dict[str, str]:
    """Money columns (万元, 万美元) show with thousands separators and two decimals."""
    return {h: "#,##0.00" for h in headers if h.endswith(("（万元）", "（万美元）"))}


def _as_of(headers: list[str], row: list, end: date) -> list:
    return [
        None if header in HAPPENED and isinstance(cell, date) and cell > end else cell
        for header, cell in zip(headers, row, strict=True)
    ]


def _ledger(job: ReportJob) -> tuple[str, bytes, int]:
    """A ledger of the job's period and nothing else: the FDI records dated in months 1..M of the year
    (外资台账); the projects first contacted and the leads registered by the end of month M, with no date
    after it (项目台账, 线索台账)."""
    user = job.created_by
    buffer = io.BytesIO()
    period = Period.of(job.year, job.month, today=timezone.localdate())
    end = min(month_end(job.year, job.month), period.through)
    until = f"截至{job.year}年{job.month}月" + ("底" if end == month_end(job.year, job.month) else f"{end.day}日")
    if job.kind == ReportJob.Kind.FDI_LEDGER:
        rows = (
            selectors.records(user=user)
            .filter(date__gte=date(job.year, 1, 1), date__lte=end)
            .select_related("enterprise", "project", "org_unit")
            .order_by("date", "id")
        )
        sheet = (
            "外资台账",
            FDI_LEDGER_HEADERS,
            (
                [
                    r.date,
                    r.enterprise.name,
                    r.enterprise.credit_code,
                    r.project.name if r.project_id else "",
                    r.get_kind_display(),
                    r.get_form_display(),
                    r.amount,
                    r.signed_amount,
                    r.country,
                    r.org_unit.name,
                ]
                for r in rows.iterator()
            ),
        )
        count = write_xlsx(buffer, [sheet], number_formats=_money(FDI_LEDGER_HEADERS))
        return f"外资台账-{period.months_label}.xlsx", buffer.getvalue(), count
    if job.kind == ReportJob.Kind.PROJECT_LEDGER:
        rows = project_selectors.project_ledger(user=user, until=end)
        headers = project_exports.LEDGER_HEADERS
        sheet = ("项目台账", headers, (_as_of(headers, project_exports.ledger_row(p), end) for p in rows.iterator()))
        count = write_xlsx(buffer, [sheet], number_formats=_money(headers))
        return f"项目台账-{until}.xlsx", buffer.getvalue(), count
    rows = lead_selectors.lead_ledger(user=user, until=end)
    headers = lead_exports.HEADERS
    sheet = ("线索台账", headers, (_as_of(headers, lead_exports.lead_row(lead), end) for lead in rows.iterator()))
    count = write_xlsx(buffer, [sheet], number_formats=_money(headers))
    return f"线索台账-{until}.xlsx", buffer.getvalue(), count


def run(job_id: int) -> str:
    job = ReportJob.objects.select_related("created_by__org_unit").get(pk=job_id)
    if job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
        return job.status
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=10)
    try:
        if job.kind == ReportJob.Kind.BRIEFING:
            name = f"招商引资工作简报-{job.year}年{job.month}月.docx"
            content, count = render_briefing(user=job.created_by, year=job.year, month=job.month), 1
        else:
            name, content, count = _ledger(job)
        job.file.save(name, ContentFile(content), save=False)
        job.status, job.progress, job.message = (
            ReportJob.Status.DONE,
            100,
            f"已生成（{count} 行）" if count > 1 else "已生成",
        )
        security_event(
            SecurityEvent.Kind.EXPORT,
            user=job.created_by,
            object_repr=job.get_kind_display(),
            detail={"rows": count, "year": job.year, "month": job.month},
        )
    except Exception as exc:  # a broken uploaded template must not leave the job hanging
        logger.exception("report %s failed", job.pk)
        job.status, job.message = ReportJob.Status.FAILED, f"生成失败：{exc}"[:300]
    job.finished_at = timezone.now()
    job.save()
    return job.status
