"""The enterprise library's part of the 工作台: a search box (name, 统一社会信用代码, tags …)."""

from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.workbench import QuickAction, register_actions


@register_actions(order=20)
def enterprise_search(user) -> list[QuickAction]:
    if not user.has_capability(Cap.BUSINESS_VIEW) or user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
        return []
    return [
        QuickAction(
            "查找企业",
            reverse("enterprises:enterprise_list"),
            icon="ti-search",
            field="q",
            placeholder="企业名称或统一社会信用代码",
            testid="quick-enterprise",
        )
    ]
