"""The response, assessment and progress-report clocks, with reminders and escalation."""

from datetime import date

from zhaoshang.accounts.models import User
from zhaoshang.core.roles import Role
from zhaoshang.core.workdays import add_workdays
from zhaoshang.notify.services import NoticeKind, NotificationLevel, notify_unit, notify_users

from ..models import Lead, LeadEvent, LeadRules
from .common import _today, amount_rmb, event, rules_for

# --- clocks ---------------------------------------------------------------------------------------


def clock_reasons(lead: Lead, rules: LeadRules, today: date) -> list[str]:
    """Why an open lead is overdue (empty when it is not): respond, assess and report clocks."""
    if lead.status not in Lead.OPEN_STATUSES or lead.in_pool:
        return []
    reasons = []
    if lead.responded_on is None and today > add_workdays(lead.registered_on, rules.respond_workdays):
        reasons.append(f"登记后 {rules.respond_workdays} 个工作日内未响应")
    major = amount_rmb(lead, rules) >= rules.protect_amount
    assess_days = rules.major_assess_workdays if major else rules.assess_workdays
    if (
        lead.assessed_on is None
        and lead.status != Lead.Status.ASSESSED
        and today > add_workdays(lead.registered_on, assess_days)
    ):
        reasons.append(f"登记后 {assess_days} 个工作日内未研判")
    last = lead.last_report_on or lead.registered_on
    if (today - last).days > rules.report_every_days:
        reasons.append(f"已 {(today - last).days} 天未报告进展（应每 {rules.report_every_days} 天）")
    return reasons


def clock_check(*, today: date | None = None) -> int:
    """Daily: remind owners of overdue leads (at most every 3 days a lead); their unit's leaders are
    told when a lead stays overdue past a week. Returns the number of reminders sent."""
    today = _today(today)
    sent = 0
    rules_cache: dict[int, LeadRules] = {}
    open_leads = Lead.objects.filter(status__in=Lead.OPEN_STATUSES, in_pool=False).select_related("owner", "org_unit")
    for lead in open_leads.iterator(chunk_size=500):
        rules = rules_cache.setdefault(lead.region_id, rules_for(lead.region_id))
        reasons = clock_reasons(lead, rules, today)
        if not reasons or (lead.overdue_notified_on and (today - lead.overdue_notified_on).days < 3):
            continue
        text = "；".join(reasons)
        url = lead.get_absolute_url()
        if lead.owner_id:
            notify_users(
                [lead.owner],
                title=f"线索超时：{lead.title}",
                body=text,
                url=url,
                level=NotificationLevel.WARNING,
                kind=NoticeKind.OVERDUE,
            )
        else:
            notify_unit(
                lead.org_unit,
                title=f"线索超时：{lead.title}",
                body=text,
                url=url,
                level=NotificationLevel.WARNING,
                kind=NoticeKind.OVERDUE,
            )
        if (today - lead.registered_on).days > 7:
            leaders = User.objects.filter(role=Role.LEADER, org_unit__region_id=lead.region_id, is_active=True)
            notify_users(
                leaders,
                title=f"线索超时提醒：{lead.org_unit.name}「{lead.title}」",
                body=text,
                url=url,
                level=NotificationLevel.WARNING,
                kind=NoticeKind.ESCALATION,
            )
        Lead.objects.filter(pk=lead.pk).update(overdue_notified_on=today)
        event(lead, LeadEvent.Kind.OVERDUE, f"超时提醒：{text}", on=today)
        sent += 1
    return sent
