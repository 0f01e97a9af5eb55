"""The 政策测算 sheet for the negotiation file (.docx from a docxtpl template). Like the statistics briefing, the
default template is built with python-docx when first needed (no binary in the repository); a county's own
template at ``MEDIA_ROOT/report_templates/policy_calculation.docx`` replaces it. The template sees
``title``, ``source``, ``generated``, ``total``, ``clauses`` (each: policy, article, title, version, amount,
steps, conditions), ``near_misses`` (each: policy, article, title, missing) and ``years`` (year, amount)."""

import io
from pathlib import Path

import jinja2
from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate

CUSTOM_TEMPLATE = Path(settings.MEDIA_ROOT) / "report_templates" / "policy_calculation.docx"


def default_template() -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    doc.add_heading("{{ title }}", level=1)
    doc.add_paragraph("测算对象：{{ source }} · 生成时间：{{ generated }} · 示例条款以正式文件为准")
    doc.add_heading("一、适用条款", level=2)
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["政策及条款", "版本", "计算过程", "金额（万元）"], strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for c in clauses %}"
    for cell, text in zip(
        table.rows[2].cells,
        ["{{ c.policy }}{{ c.article }} {{ c.title }}", "第{{ c.version }}版", "{{ c.steps }}", "{{ c.amount }}"],
        strict=True,
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph(
        "合计：{{ total }} 万元。分年度：{% for y in years %}{{ y.year }}年 {{ y.amount }} 万元；{% endfor %}"
    )
    doc.add_heading("二、差一项条件的条款（谈判参考）", level=2)
    doc.add_paragraph("{%p for n in near_misses %}")
    doc.add_paragraph("{{ loop.index }}. {{ n.policy }}{{ n.article }} {{ n.title }}：{{ n.missing }}")
    doc.add_paragraph("{%p endfor %}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def template_in_use() -> bytes:
    return CUSTOM_TEMPLATE.read_bytes() if CUSTOM_TEMPLATE.exists() else default_template()


def context_of(*, title: str, source: str, result: dict) -> dict:
    def missing(parts) -> str:
        return "；".join(f"{p['text']}（实际 {p['actual']}{'，' + p['gap'] if p.get('gap') else ''}）" for p in parts)

    return {
        "title": title,
        "source": source,
        "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "total": result["total"],
        "clauses": [
            {
                **row["clause"],
                "amount": row["amount"],
                "steps": "；".join(row["steps"]),
                "conditions": row["conditions"],
            }
            for row in result["clauses"]
        ],
        "near_misses": [{**row["clause"], "missing": missing(row["missing"])} for row in result["near_misses"]],
        "years": [{"year": year, "amount": amount} for year, amount in result["by_year"].items()],
    }


def render_sheet(*, title: str, source: str, result: dict) -> bytes:
    template = DocxTemplate(io.BytesIO(template_in_use()))
    template.render(context_of(title=title, source=source, result=result), jinja2.Environment(autoescape=False))  # noqa: S701
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
