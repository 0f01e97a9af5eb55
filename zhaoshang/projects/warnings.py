"""Red/yellow lights and escalation, from configurable rules (``WarningRules``).

``evaluate`` is a pure function of a project, its open stage, its open problems and the date, so the
page, the nightly recomputation and the tests all get the same answer. The rules (DOMAIN.md §4):
- the open stage is past its deadline (yellow at once; red after ``red_overdue_days``);
- the planned construction start is this month and not started (yellow), or passed by
  ``red_not_started_months`` (red);
- behind the pro-rata schedule (序时进度) from signing to planned full production by
  ``yellow_behind_points`` (yellow) or ``red_behind_points`` (red);
- no progress for ``yellow_idle_days`` (yellow) or ``red_idle_days`` (red); after
  ``dormant_idle_days`` the project leaves the active library;
- an open problem past its deadline (yellow).
Escalation: yellow → the owner is reminded (1), and after ``leader_after_days`` of yellow the 包保领导
is informed (2); red → on the 督办 list (3).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from .models import Project, ProjectStage, WarningRules

SEVERITY = {Project.Light.GREEN: 0, Project.Light.YELLOW: 1, Project.Light.RED: 2}


@dataclass(frozen=True)
class Verdict:
    light: str
    reasons: list[str]
    dormant: bool = False


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _worst(a: str, b: str) -> str:
    return a if SEVERITY[a] >= SEVERITY[b] else b


def schedule_gap_points(project: Project, done_stages: int, total_stages: int, today: date) -> int | None:
    """How many percentage points the project is behind its pro-rata schedule (negative: ahead).

    Expected progress is the share of time elapsed from signing to the planned full production;
    actual progress the share of stages after signing that are done."""
    start, end = project.signed_actual, project.full_production_planned
    if not (start and end) or end <= start or total_stages <= 0:
        return None
    expected = min(max((today - start).days / (end - start).days, 0.0), 1.0)
    actual = min(done_stages / total_stages, 1.0)
    return round((expected - actual) * 100)


def evaluate(
    project: Project,
    run: ProjectStage | None,
    open_problems_due: list[date],
    rules: WarningRules,
    today: date,
    *,
    done_after_signing: int = 0,
    stages_after_signing: int = 0,
) -> Verdict:
    light, reasons = Project.Light.GREEN, []

    def flag(level: str, reason: str) -> None:
        nonlocal light
        light = _worst(light, level)
        reasons.append(reason)

    if run is not None and run.due_on and today > run.due_on:
        late = (today - run.due_on).days
        level = (
            Project.Light.RED
            if late > rules.red_overdue_days
            else (Project.Light.YELLOW if late > rules.yellow_overdue_days else Project.Light.GREEN)
        )
        if level != Project.Light.GREEN:
            flag(level, f"“{run.stage.name}”阶段已超过办理期限 {late} 天（责任单位：{run.owner_unit.name}）")
    planned_start = project.construction_start_planned
    if planned_start and not project.construction_start_actual:
        if today >= add_months(planned_start, rules.red_not_started_months):
            flag(
                Project.Light.RED,
                f"计划开工日期 {planned_start:%Y-%m-%d} 已过 {rules.red_not_started_months} 个月仍未开工",
            )
        elif (today.year, today.month) >= (planned_start.year, planned_start.month):
            flag(Project.Light.YELLOW, f"计划本月（{planned_start:%Y-%m-%d}）开工，尚未开工")
    gap = schedule_gap_points(project, done_after_signing, stages_after_signing, today)
    if gap is not None and gap > rules.yellow_behind_points:
        level = Project.Light.RED if gap > rules.red_behind_points else Project.Light.YELLOW
        flag(level, f"落后序时进度 {gap} 个百分点")
    dormant = False
    if project.last_progress_on:
        idle = (today - project.last_progress_on).days
        if idle >= rules.red_idle_days:
            flag(Project.Light.RED, f"已 {idle} 天无进展")
        elif idle >= rules.yellow_idle_days:
            flag(Project.Light.YELLOW, f"已 {idle} 天无进展")
        dormant = idle >= rules.dormant_idle_days
    overdue_problems = [d for d in open_problems_due if d < today]
    if overdue_problems:
        flag(Project.Light.YELLOW, f"{len(overdue_problems)} 个需协调事项已超过解决期限")
    return Verdict(light, reasons, dormant)


def escalation_level(light: str, warning_since: date | None, rules: WarningRules, today: date) -> int:
    if light == Project.Light.RED:
        return Project.Escalation.SUPERVISED
    if light == Project.Light.YELLOW:
        if warning_since and (today - warning_since).days >= rules.leader_after_days:
            return Project.Escalation.LEADER_INFORMED
        return Project.Escalation.REMINDED
    return Project.Escalation.NONE
