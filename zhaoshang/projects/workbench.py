"""The projects' part of the 工作台: what my unit owes and by when (stages, checklist items of other units'
stages, 需协调事项), and for leaders and 统筹单位 officers the red-light and 督办 projects."""

from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import sees_region
from zhaoshang.core.workbench import Panel, Row, Visit, by_urgency, due_badge, register_panel

from . import selectors

SHOWN = 10


@register_panel(order=20)
def unit_obligations(user, visit: Visit) -> Panel | None:
    """Open stages my unit owns, the checklist items it owes on other units' stages, and the problems it is
    to solve — overdue first. A leader runs no stage himself: he sees what is stuck instead."""
    if not user.has_capability(Cap.BUSINESS_CHANGE) or not user.org_unit_id or user.has_capability(Cap.VIEW_REGION):
        return None
    owed = selectors.department_todo(user=user)
    units = set(user.org_unit.subtree_ids())
    open_items: dict[int, int] = {}
    rows = []
    for entry in owed["entries"]:
        if entry.run.owner_unit_id in units:
            open_items[entry.run_id] = open_items.get(entry.run_id, 0) + 1
        else:
            rows.append(_entry_row(entry, visit))
    rows += [_run_row(run, open_items.get(run.pk, 0), visit) for run in owed["runs"]]
    rows += [_problem_row(problem, visit) for problem in owed["problems"]]
    pending = selectors.instructions_pending_for(user=user).select_related("project", "leader")[:SHOWN]
    rows += [_instruction_row(instruction, visit) for instruction in pending]
    rows = by_urgency(rows)
    return Panel(
        key="obligations",
        title="本单位应办事项",
        icon="ti-clock-exclamation",
        note=f"{user.org_unit.name}负责的项目阶段、清单事项和需协调事项，逾期在前",
        rows=rows[:SHOWN],
        total=len(rows),
        more_url=reverse("projects:project_todo"),
        more_label="本单位全部待办",
        empty="本单位暂无待办的项目阶段和需协调事项",
    )


def _detail_url(project_id: int, tab: str) -> str:
    return reverse("projects:project_detail", args=[project_id]) + f"?tab={tab}"


def _run_row(run, open_items: int, visit: Visit) -> Row:
    badge, level = due_badge(run.due_on, visit.today)
    items = f"，{open_items} 项清单未完成" if open_items else ""
    return Row(
        text=run.project.name,
        url=_detail_url(run.project_id, "overview"),
        detail=f"“{run.stage.name}”阶段由本单位办理{items}",
        due=run.due_on,
        badge=badge,
        level=level,
        action_url=_detail_url(run.project_id, "overview") + "#checklist",
        action_label="办理",
        testid="stage-row",
    )


def _entry_row(entry, visit: Visit) -> Row:
    badge, level = due_badge(entry.run.due_on, visit.today)
    project = entry.run.project
    return Row(
        text=project.name,
        url=_detail_url(project.pk, "overview") + "#checklist",
        detail=f"清单事项：{entry.title}（“{entry.run.stage.name}”阶段，{entry.run.owner_unit.name}牵头）",
        due=entry.run.due_on,
        badge=badge,
        level=level,
        action_url=reverse("projects:checklist_toggle", args=[project.pk, entry.pk]),
        action_label="标为完成",
        action_post=True,
        action_fields=(("done", "1"),),
        testid="entry-row",
    )


def _problem_row(problem, visit: Visit) -> Row:
    badge, level = due_badge(problem.due_on, visit.today)
    return Row(
        text=problem.project.name,
        url=_detail_url(problem.project_id, "problems"),
        detail=f"需协调：{problem.title}",
        due=problem.due_on,
        badge=badge,
        level=level,
        action_url=_detail_url(problem.project_id, "problems"),
        action_label="处理",
        testid="problem-row",
    )


def _instruction_row(instruction, visit: Visit) -> Row:
    badge, level = due_badge(instruction.due_on, visit.today) if instruction.due_on else ("批示", "danger")
    url = _detail_url(instruction.project_id, "oversight")
    return Row(
        text=instruction.project.name,
        url=url,
        detail=f"领导批示（{instruction.leader.display_name}）：{instruction.text[:40]}",
        due=instruction.due_on,
        badge=badge,
        level=level,
        action_url=url,
        action_label="报告落实",
        testid="instruction-row",
    )


@register_panel(order=25)
def supervision(user, visit: Visit) -> Panel | None:
    """Leaders and 统筹单位 officers: the red-light projects, worst first, and who owns their open stage."""
    if not sees_region(user):
        return None
    counts = selectors.supervision_counts(user=user, today=visit.today)
    supervision_url = reverse("projects:project_supervision")
    rows = []
    for project in selectors.red_projects(user=user, limit=8):
        owner = "、".join(run.owner_unit.name for run in project.open_runs) or project.org_unit.name
        reasons = "；".join(project.warning_reasons[:2])
        rows.append(
            Row(
                text=project.name,
                url=project.get_absolute_url(),
                detail=f"{owner}负责 · {reasons}" if reasons else f"{owner}负责",
                badge=project.get_escalation_display() if project.escalation else "红灯",
                level="danger",
                action_url=project.get_absolute_url() + "?tab=events",
                action_label="查看",
                testid="red-row",
            )
        )
    extra = []
    if counts["late_stages"]:
        stuck = reverse("projects:project_lists") + "?tab=stuck"
        extra.append(
            Row(
                text=f"逾期未办结的项目阶段 {counts['late_stages']} 个",
                url=stuck,
                detail="按责任部门查看卡在哪里",
                badge="逾期",
                level="warning",
                action_url=stuck,
                action_label="按部门查看",
            )
        )
    return Panel(
        key="supervision",
        title="红灯与督办项目",
        icon="ti-urgent",
        note=f"红灯 {counts['red']} 个（列入督办 {counts['supervised']} 个），黄灯 {counts['yellow']} 个"
        + (f"；人工督办 {counts['manual']} 个" if counts["manual"] else ""),
        rows=rows,
        extra_rows=extra,
        total=counts["red"],
        more_url=supervision_url,
        more_label="督办清单",
        empty="全县没有红灯项目",
    )
