"""The 研判意见书: a Word document from a docxtpl template. The default template is built with python-docx on
first use (no binary in the repository); a template uploaded to ``MEDIA_ROOT/report_templates/review_opinion.docx``
replaces it. The template sees the context ``opinion_context`` documents."""

import io
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate

from . import selectors
from .models import Review

CUSTOM_TEMPLATE = Path(settings.MEDIA_ROOT) / "report_templates" / "review_opinion.docx"


def default_template() -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    doc.add_heading("项目研判意见书", level=1)
    doc.add_paragraph("研判事项：{{ title }}")
    doc.add_paragraph("项目：{{ project }}　引进单位：{{ unit }}　评分表：{{ rubric }}")
    doc.add_paragraph(
        "本次研判随机抽取专家 {{ experts }} 位（抽取种子 {{ seed }}），因回避或不可用排除 {{ exclusions }} 位。"
        "评分方式：{{ mode }}{% if blind %}，匿名评审{% endif %}。"
    )
    doc.add_heading("一、评分情况", level=2)
    doc.add_paragraph(
        "综合得分 {{ total }} 分（{{ method }}）；专家总分最高与最低相差 {{ spread }} 分"
        "{% if disagreement %}，分歧较大，已提请讨论{% endif %}。"
        "{% if vetoes %}触及一票否决项：{{ vetoes }}。{% endif %}"
    )
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "专家", "总分"
    table.rows[1].cells[0].text = "{%tr for row in sheets %}"
    table.rows[2].cells[0].text, table.rows[2].cells[1].text = "{{ row.label }}", "{{ row.total }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_heading("二、研判结论", level=2)
    doc.add_paragraph("{{ outcome }}{% if reason %}。理由：{{ reason }}{% endif %}")
    doc.add_paragraph("{%p for c in conditions %}")
    doc.add_paragraph("{{ loop.index }}. {{ c }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("决策人：{{ decided_by }}　　日期：{{ decided_on }}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def opinion_context(review: Review) -> dict:
    """What the template may use: title, project, unit, rubric, experts, seed, exclusions, mode, blind, total,
    method, spread, disagreement, vetoes, sheets (label, total — experts numbered, not named), outcome, reason,
    conditions, decided_by, decided_on."""
    rows = selectors.assignments(review)
    agg = selectors.review_aggregate(review, rows)
    decision = review.decisions.order_by("-id").first()
    return {
        "title": review.title,
        "project": str(review.project or review.lead or ""),
        "unit": (review.project or review.lead or review).org_unit.name,
        "rubric": str(review.rubric_version),
        "experts": review.experts_needed,
        "seed": review.seed,
        "exclusions": review.exclusions.count(),
        "mode": review.get_mode_display(),
        "blind": review.blind,
        "total": agg.total if agg.total is not None else "—",
        "method": agg.method or "尚无评分",
        "spread": agg.spread if agg.spread is not None else "—",
        "disagreement": agg.disagreement,
        "vetoes": "、".join(agg.vetoes),
        "sheets": [{"label": f"专家{i}", "total": t} for i, t in enumerate(agg.totals, 1)],
        "outcome": decision.get_outcome_display()
        if decision
        else f"（尚未决策；按得分建议：{agg.outcome_label or '—'}）",
        "reason": decision.reason if decision else "",
        "conditions": decision.conditions if decision else [],
        "decided_by": decision.decided_by.display_name if decision else "",
        "decided_on": f"{timezone.localtime(decision.decided_at):%Y-%m-%d}" if decision else "",
    }


def opinion_docx(review: Review) -> bytes:
    source = CUSTOM_TEMPLATE if CUSTOM_TEMPLATE.exists() else io.BytesIO(default_template())
    template = DocxTemplate(source)
    template.render(opinion_context(review))
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
