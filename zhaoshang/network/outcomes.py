"""What a source record turned into: an agreement's referrals, conversions and rewards; an event's leads →
签约 → 到资 and its cost per signed project and per 万美元 arrived. Followed automatically from the leads'
progress (their projects' dates) and the FDI records."""

from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.stats import selectors as stats_selectors

from .models import LeadSource, Reward

CENT = Decimal("0.01")


def _progress(region_id: int, **record) -> tuple[list[dict], dict]:
    ids = list(LeadSource.objects.filter(**record).values_list("lead_id", flat=True))
    progress = list(lead_selectors.lead_progress_of(ids).values())
    projects = [row["project_id"] for row in progress if row["project_id"]]
    fdi = stats_selectors.fdi_arrived_by_project(region_id=region_id, project_ids=projects) if projects else {}
    return progress, fdi


def _counts(progress: list[dict], fdi: dict) -> dict:
    signed = [row for row in progress if row["project__signed_actual"]]
    arrived = sum((fdi[row["project_id"]][1] for row in progress if row["project_id"] in fdi), Decimal(0))
    return {
        "leads": len(progress),
        "projects": sum(1 for row in progress if row["project_id"]),
        "signed": len(signed),
        "investment": sum((row["project__total_investment"] or Decimal(0) for row in signed), Decimal(0)),
        "arrived_usd": arrived,
    }


def event_outcome(*, user, event) -> dict:
    progress, fdi = _progress(event.region_id, event=event)
    out = _counts(progress, fdi)
    cost = event.cost
    out["cost_per_signed"] = (cost / out["signed"]).quantize(CENT, ROUND_HALF_UP) if cost and out["signed"] else None
    out["cost_per_usd"] = (
        (cost / out["arrived_usd"]).quantize(CENT, ROUND_HALF_UP) if cost and out["arrived_usd"] else None
    )
    out["leads_list"] = lead_selectors.visible_leads(user=user, ids=[row["id"] for row in progress]).values()
    return out


def agreement_summary(*, user, agreement) -> dict:
    progress, fdi = _progress(agreement.region_id, agreement=agreement)
    out = _counts(progress, fdi)
    rewards = list(agreement.rewards.order_by("-condition_met_on", "-id"))
    out["rewards"] = rewards
    out["rewards_due"] = sum(
        (r.amount for r in rewards if r.status in (Reward.Status.DUE, Reward.Status.APPROVED)), Decimal(0)
    )
    out["rewards_paid"] = sum((r.amount for r in rewards if r.status == Reward.Status.PAID), Decimal(0))
    visible = lead_selectors.visible_leads(user=user, ids=[row["id"] for row in progress])
    by_id = {row["id"]: row for row in progress}
    out["referrals"] = [(lead, by_id[lead.pk]) for lead in visible.values()]
    return out
