"""The statistics' part of the 工作台: for leaders and 统筹单位 officers, the county in a few numbers —
this month's signings, red lights, overdue problems, FDI against the annual target — leading to the
cockpit. The numbers are the cockpit's own (``selectors.overview``), with the period they are about."""

from datetime import date

from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import sees_region
from zhaoshang.core.workbench import Figure, Panel, QuickAction, Visit, register_actions, register_panel
from zhaoshang.projects import selectors as project_selectors

from . import selectors


@register_panel(order=5)
def county_summary(user, visit: Visit) -> Panel | None:
    if not sees_region(user) or not user.has_capability(Cap.VIEW_STATS):
        return None
    today = visit.today
    overview = selectors.overview(user=user, today=today)
    month_start = date(today.year, today.month, 1)
    next_month = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    signed = project_selectors.signed_count(user=user, start=month_start, end=next_month)
    projects = overview["projects"]
    figures = [
        Figure(
            "本月签约项目",
            f"{signed} 个",
            url=reverse("projects:project_lists"),
            note=f"本年累计 {projects['signed_this_year']} 个，其中亿元以上 {projects['big_signed_this_year']} 个",
        ),
        Figure(
            "红灯项目",
            f"{projects['by_light']['red']} 个",
            url=reverse("projects:project_supervision"),
            note=f"黄灯 {projects['by_light']['yellow']} 个 · 在库 {projects['total']} 个",
            level="danger" if projects["by_light"]["red"] else "success",
        ),
        Figure(
            "逾期需协调事项",
            f"{overview['problems_overdue']} 项",
            url=reverse("projects:project_supervision"),
            note=f"未解决共 {overview['problems_open']} 项",
            level="warning" if overview["problems_overdue"] else "success",
        ),
    ]
    fdi = overview["fdi"]
    note = f"{today.year}年{today.month}月"
    if fdi:
        figures.append(_fdi_figure(fdi))
        note = f"外资为 {fdi['year']}年1–{fdi['month']}月累计（{fdi['unit']}）；项目为{today.year}年{today.month}月"
    return Panel(
        key="summary",
        title="招商概况",
        icon="ti-gauge",
        note=note,
        figures=figures,
        more_url=reverse("stats:cockpit"),
        more_label="进入驾驶舱",
        column="top",
    )


def _fdi_figure(fdi: dict) -> Figure:
    actual, target = fdi["actual"], fdi["target"]["actual"]
    completion, gap = fdi["completion_pct"]["actual"], fdi["schedule_gap_pts"]["actual"]
    if target:
        ahead = "超" if gap >= 0 else "落后"
        note = f"目标 {target:,.0f}，完成 {completion}%，{ahead}序时进度 {abs(gap)} 个百分点"
        level = "success" if gap >= 0 else "danger" if gap < -10 else "warning"
    else:
        note, level = "未设定年度目标", "secondary"
    return Figure(
        "实际使用外资", f"{actual['cumulative']:,.2f} 万美元", url=reverse("stats:fdi"), note=note, level=level
    )


@register_actions(order=40)
def stats_actions(user) -> list[QuickAction]:
    if not sees_region(user) or not user.has_capability(Cap.VIEW_STATS):
        return []
    return [QuickAction("驾驶舱", reverse("stats:cockpit"), icon="ti-gauge")]
