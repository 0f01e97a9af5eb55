"""The leads' part of the 工作台: my follow-ups due today or overdue (and clocks run out), the pool, and
the quick actions "paste a lead" and "add a follow-up"."""

from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.workbench import Panel, QuickAction, Row, Visit, due_badge, register_actions, register_panel

from . import selectors

SHOWN = 10


@register_panel(order=10)
def followups(user, visit: Visit) -> Panel | None:
    """An officer's leads to follow up today; a role that registers no leads of its own (a leader, a
    department) sees the panel only when it does own one."""
    if not user.has_capability(Cap.BUSINESS_CHANGE) or not user.org_unit_id:
        return None
    due = selectors.followups_due(user=user, today=visit.today)
    officer = user.has_capability(Cap.CLAIM_LEADS) and not user.has_capability(Cap.VIEW_REGION)
    if not due and not officer:
        return None
    rows = [_row(lead, visit) for lead in due[:SHOWN]]  # clocks run out first, then by the follow-up date
    pool = selectors.pool(user=user).count() if officer else 0
    extra = []
    if pool:
        extra.append(
            Row(
                text=f"待分派池中有 {pool} 条线索可认领",
                url=reverse("leads:lead_list") + "?view=pool",
                badge="待认领",
                level="secondary",
                action_url=reverse("leads:lead_list") + "?view=pool",
                action_label="去认领",
                testid="lead-pool",
            )
        )
    return Panel(
        key="followups",
        title="今日线索跟进",
        icon="ti-phone-call",
        note="下次跟进日期已到、或响应/研判/进展报告超时的我的线索",
        rows=rows,
        extra_rows=extra,
        total=len(due),
        more_url=reverse("leads:lead_list") + "?view=mine",
        more_label="我的全部线索",
        empty="今天没有到期的线索跟进",
    )


def _row(lead, visit: Visit) -> Row:
    if lead.overdue_reasons:
        badge, level = "超时未办", "danger"
        detail = "；".join(lead.overdue_reasons)
    else:
        badge, level = due_badge(lead.next_followup_on, visit.today)
        detail = "今天应跟进" if lead.next_followup_on == visit.today else "跟进日期已过"
    url = lead.get_absolute_url()
    return Row(
        text=lead.title,
        url=url,
        detail=f"{lead.investor_label} · {detail}" if lead.investor_label else detail,
        due=lead.next_followup_on,
        badge=badge,
        level=level,
        action_url=url + "#followup",
        action_label="记跟进",
        testid="followup-row",
    )


@register_actions(order=10)
def lead_actions(user) -> list[QuickAction]:
    if not user.has_capability(Cap.BUSINESS_CHANGE) or not user.org_unit_id:
        return []
    if user.has_capability(Cap.VIEW_REGION):  # a leader registers and follows up no leads himself
        return []
    actions = [
        QuickAction(
            "粘贴登记线索", reverse("leads:lead_add") + "#paste", icon="ti-clipboard-text", testid="quick-paste"
        )
    ]
    mine = selectors.open_leads_of(user=user)
    if mine:
        actions.append(
            QuickAction(
                "添加跟进",
                reverse("leads:lead_followup_go"),
                icon="ti-message-plus",
                field="lead",
                placeholder="选择线索",
                choices=tuple((str(lead.pk), lead.title) for lead in mine),
                testid="quick-followup",
            )
        )
    return actions
