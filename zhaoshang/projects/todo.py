from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.roles import Cap
from zhaoshang.core.todo import TodoItem, register

from .models import ChecklistEntry, Problem, ProjectStage


@register
def unit_obligations(user) -> list[TodoItem]:
    """Open stages, checklist items and problems the user's unit owes (overdue ones in red)."""
    if not user.has_capability(Cap.BUSINESS_CHANGE) or not user.org_unit_id:
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
    return items
