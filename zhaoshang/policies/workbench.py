"""The policies' part of the 工作台: a paying department's open 兑现 and 追回 items, the most urgent first."""

from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.workbench import Panel, Row, Visit, due_badge, register_panel

from . import selectors

SHOWN = 8


@register_panel(order=35)
def fulfilments(user, visit: Visit) -> Panel | None:
    """Only for a department's users (the units that pay), and only when the unit has open items: two queries."""
    unit = user.org_unit
    if not user.has_capability(Cap.BUSINESS_CHANGE) or unit is None or unit.kind != "department":
        return None
    items, total = selectors.fulfilments_open_for(user=user, limit=SHOWN)
    if not total:
        return None
    return Panel(
        key="policy-fulfilments",
        title="政策兑现待办",
        icon="ti-cash",
        note=f"本部门负责兑现（追回）的政策事项，办理期限为开始后 {selectors.payout_workdays()} 个工作日",
        rows=[_row(item, visit) for item in items],
        total=total,
        more_url=reverse("policies:fulfilment_list"),
        more_label="全部兑现事项",
        empty="没有待办的兑现事项",
    )


def _row(item, visit: Visit) -> Row:
    badge, level = due_badge(item.due_on, visit.today)
    url = reverse("policies:fulfilment_detail", args=[item.pk])
    return Row(
        text=item.title,
        url=url,
        detail=f"{item.get_kind_display()} {item.amount} 万元 · {item.get_status_display()}",
        due=item.due_on,
        badge=badge,
        level=level,
        action_url=url,
        action_label="办理",
        testid="fulfilment-row",
    )
