from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.roles import Cap
from zhaoshang.core.todo import TodoItem, register

from . import selectors
from .models import ChecklistEntry, Instruction, Problem, Project, ProjectStage


@register
def unit_obligations(user) -> list[TodoItem]:
    """Open stages, checklist items and problems the user's unit owes (overdue ones in red)."""
    if not user.has_capability(Cap.BUSINESS_CHANGE) or not user.org_unit_id or user.has_capability(Cap.VIEW_REGION):
        return []
    today = timezone.localdate()
    units = user.org_unit.subtree_ids()
    url = reverse("projects:project_todo")
    runs = ProjectStage.objects.filter(owner_unit_id__in=units, status="open", project__deleted_at__isnull=True)
    entries = ChecklistEntry.objects.filter(
        owner_unit_id__in=units, done_on__isnull=True, run__status="open", run__project__deleted_at__isnull=True
    )
    problems = Problem.objects.filter(owner_unit_id__in=units, status="open", project__deleted_at__isnull=True)
    items = []
    late_runs = runs.filter(due_on__lt=today).count()
    if late_runs:
        items.append(TodoItem("逾期未办结的项目阶段", url, count=late_runs, level="danger"))
    if count := runs.count() - late_runs:
        items.append(TodoItem("本单位办理中的项目阶段", url, count=count, level="info"))
    if count := entries.count():
        items.append(TodoItem("待完成的阶段清单事项", url, count=count, level="warning"))
    late_problems = problems.filter(due_on__lt=today).count()
    if late_problems:
        items.append(TodoItem("逾期未解决的需协调事项", url, count=late_problems, level="danger"))
    if count := problems.count() - late_problems:
        items.append(TodoItem("待解决的需协调事项", url, count=count, level="warning"))
    if count := selectors.instructions_pending_for(user=user).count():
        items.append(TodoItem("待落实的领导批示", url, count=count, level="danger"))
    return items


@register
def leader_overview(user) -> list[TodoItem]:
    """A leader's to-do is what is stuck in the county: the 督办 list and the late stages by department."""
    if not user.has_capability(Cap.VIEW_REGION) or not user.org_unit_id:
        return []
    projects = Project.objects.restrict(user).filter(is_dormant=False)
    supervision = reverse("projects:project_supervision")
    items = []
    if count := projects.filter(escalation=Project.Escalation.SUPERVISED).count():
        items.append(TodoItem("列入督办的红灯项目", supervision, count=count, level="danger"))
    if count := projects.filter(supervisions__lifted_on__isnull=True).distinct().count():
        items.append(TodoItem("人工列入督办的项目", supervision, count=count, level="danger"))
    mine = Instruction.objects.filter(leader=user, status=Instruction.Status.OPEN, project__in=projects.values("pk"))
    if count := mine.count():
        items.append(TodoItem("我的批示（落实中）", supervision, count=count, level="warning"))
    if count := projects.filter(light=Project.Light.YELLOW).count():
        items.append(TodoItem("黄灯预警项目", supervision, count=count, level="warning"))
    late = ProjectStage.objects.filter(
        status="open", due_on__lt=timezone.localdate(), project__in=projects.values("pk")
    )
    if count := late.count():
        items.append(
            TodoItem(
                "逾期未办结的项目阶段（按部门查看）",
                reverse("projects:project_lists") + "?tab=stuck",
                count=count,
                level="danger",
            )
        )
    return items
