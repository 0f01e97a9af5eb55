from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.todo import TodoItem, register

from . import selectors
from .models import Lead


@register
def overdue_leads(user) -> list[TodoItem]:
    if not user.has_capability(Cap.BUSINESS_CHANGE) or not user.org_unit_id or user.has_capability(Cap.VIEW_REGION):
        return []
    mine = selectors.overdue(user=user, queryset=Lead.objects.restrict(user).filter(owner=user))
    items = []
    if mine:
        items.append(
            TodoItem(
                "超时未办的线索（响应、研判或进展报告）",
                reverse("leads:lead_list") + "?view=overdue",
                count=len(mine),
                level="danger",
            )
        )
    pool = selectors.pool(user=user).count()
    if pool:
        items.append(TodoItem("待分派池中可认领的线索", reverse("leads:lead_list") + "?view=pool", count=pool))
    return items
