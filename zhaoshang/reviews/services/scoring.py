"""Scores and their aggregation.

An expert (online) or the review's secretary (meeting mode: the chair enters each expert's sheet) submits every
item of the sheet with a comment; a submitted sheet is locked. Only the chair reopens one, with a reason that
stays in the change log. The total: each expert's sheet total (their scored items plus the objective items,
the same for everyone); the review's total is the trimmed mean (highest and lowest dropped) with 5 experts or
more, the plain mean otherwise; totals further apart than the sheet's ``spread`` are flagged for discussion;
a veto item (一票否决) sends the outcome to 不予引进 whatever the total.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import log_change
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.notify.services import notify_users

from ..models import Decision, Review, ReviewAssignment, Score
from .reviews import _own_assignment, chair_or_leader
from .rubrics import objective_points, objective_veto

ONE = Decimal("0.1")
TRIM_FROM = 5


def _parse_scores(version, entries: dict) -> dict[str, tuple[Decimal, str]]:
    """``entries``: item code → {"value", "comment"}; every expert-scored item and every expert-judged veto."""
    errors: dict[str, list[str]] = {}
    parsed = {}
    for item in version.items():
        code, kind = item["code"], item["kind"]
        if kind == "objective" or (kind == "veto" and item.get("indicator")):
            continue
        entry = entries.get(code) or {}
        raw, comment = entry.get("value"), str(entry.get("comment") or "").strip()[:500]
        try:
            value = Decimal(str(raw)).quantize(ONE, ROUND_HALF_UP)
        except (InvalidOperation, ValueError):
            errors[code] = [f"请为“{item['title']}”打分"]
            continue
        top = Decimal(1) if kind == "veto" else Decimal(str(item["max"]))
        if not 0 <= value <= top:
            errors[code] = [f"“{item['title']}”的得分应在 0 到 {top} 之间"]
        elif kind == "score" and not comment:
            errors[code] = [f"请填写“{item['title']}”的评语"]
        parsed[code] = (value, comment)
    if errors:
        raise ValidationFailed("评分表未填完整或有误", fields=errors)
    return parsed


def _write(assignment: ReviewAssignment, parsed: dict, actor) -> None:
    Score.objects.filter(assignment=assignment).delete()
    Score.objects.bulk_create(
        [Score(assignment=assignment, item=code, value=v, comment=c) for code, (v, c) in parsed.items()]
    )
    assignment.status, assignment.submitted_at = ReviewAssignment.Status.SUBMITTED, timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    after = {"expert": assignment.expert.name, "scores": {k: str(v) for k, (v, _) in parsed.items()}}
    log_change(actor=actor, obj=assignment.review, action=ObjectChange.Action.UPDATE, before=None, after=after)


def scores_submit(*, actor, review_id: int, entries: dict, expert_id: int | None = None) -> ReviewAssignment:
    """An expert submits his sheet (online), or the chair enters an expert's sheet (meeting mode)."""
    with transaction.atomic():
        if expert_id is None:
            assignment = _own_assignment(actor, review_id)
            if assignment.review.mode != Review.Mode.ONLINE:
                raise PermissionDenied("会议评审的评分由秘书录入")
            if assignment.commitment_signed_at is None:
                raise PermissionDenied("请先签署承诺书")
        else:
            assignment = (
                ReviewAssignment.objects.select_for_update(of=("self",))
                .select_related("review", "expert")
                .filter(review_id=review_id, expert_id=expert_id, status__in=ReviewAssignment.ACTIVE)
                .first()
            )
            if assignment is None or not Review.objects.restrict(actor).filter(pk=review_id).exists():
                raise NotFound()
            if not chair_or_leader(actor, assignment.review) or assignment.review.mode != Review.Mode.MEETING:
                raise PermissionDenied("只有会议评审的主持人可以录入专家评分")
        review = assignment.review
        if review.status != Review.Status.SCORING:
            raise ValidationFailed("该研判当前不在评分阶段")
        if assignment.submitted_at is not None:
            raise ValidationFailed("评分已提交并锁定；如需修改，请联系主持人重新开放")
        _write(assignment, _parse_scores(review.rubric_version, entries), actor)
        if not review.assignments.exclude(status__in=[ReviewAssignment.Status.SUBMITTED, *_INACTIVE]).exists():
            notify_users([review.chair], title=f"{review.title}：专家评分已全部提交", url=review.get_absolute_url())
    return assignment


_INACTIVE = [ReviewAssignment.Status.BACKUP, ReviewAssignment.Status.DECLINED]


def scores_reopen(*, actor, review_id: int, expert_id: int, reason: str) -> ReviewAssignment:
    """The chair reopens one expert's submitted sheet, with a reason (kept in the change log)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update(of=("self",))
            .select_related("review", "expert")
            .filter(review_id=review_id, expert_id=expert_id, status=ReviewAssignment.Status.SUBMITTED)
            .first()
        )
        if assignment is None or not Review.objects.restrict(actor).filter(pk=review_id).exists():
            raise NotFound()
        if assignment.review.chair_id != actor.pk:
            raise PermissionDenied("只有主持人可以重新开放评分")
        if assignment.review.status != Review.Status.SCORING:
            raise ValidationFailed("已决策的研判不能重新开放评分")
        if not reason:
            raise ValidationFailed("重新开放评分须说明原因", fields={"reason": ["请填写原因"]})
        assignment.status, assignment.submitted_at = ReviewAssignment.Status.CONFIRMED, None
        assignment.save(update_fields=["status", "submitted_at"])
        after = {"reopened": assignment.expert.name, "reason": reason[:200]}
        log_change(actor=actor, obj=assignment.review, action=ObjectChange.Action.UPDATE, before=None, after=after)
        if assignment.expert.user_id:
            notify_users([assignment.expert.user], title=f"{assignment.review.alias}：评分已重新开放", body=reason)
    return assignment


# --- aggregation --------------------------------------------------------------------------------------


@dataclass
class Aggregate:
    complete: bool
    experts: int
    totals: list[Decimal] = field(default_factory=list)  # each expert's sheet total, in draw order
    total: Decimal | None = None
    method: str = ""
    spread: Decimal | None = None
    disagreement: bool = False
    vetoes: list[str] = field(default_factory=list)
    objective: dict[str, Decimal] = field(default_factory=dict)
    item_means: dict[str, Decimal] = field(default_factory=dict)
    outcome: str = ""

    @property
    def outcome_label(self) -> str:
        return Decision.Outcome(self.outcome).label if self.outcome else ""


def mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE, ROUND_HALF_UP)


def trimmed_mean(values: list[Decimal]) -> tuple[Decimal, str]:
    if len(values) >= TRIM_FROM:
        kept = sorted(values)[1:-1]
        return mean(kept), "去掉一个最高分和一个最低分后的平均分"
    return mean(values), "算术平均分"


def band_for(total: Decimal, bands: list[dict]) -> str:
    for band in sorted(bands, key=lambda b: -b["min"]):
        if total >= Decimal(str(band["min"])):
            return band["outcome"]
    return Decision.Outcome.REJECT


def aggregate(review: Review, sheets: dict[int, dict[str, Decimal]], expected: int) -> Aggregate:
    """``sheets``: expert id → item code → value, for the submitted sheets only."""
    content = review.rubric_version.content
    items = review.rubric_version.items()
    facts = review.facts or {}
    objective = {i["code"]: objective_points(i, facts) for i in items if i["kind"] == "objective"}
    result = Aggregate(complete=bool(sheets) and len(sheets) >= expected, experts=len(sheets), objective=objective)
    for item in items:
        if item["kind"] != "veto":
            continue
        if item.get("indicator"):
            if objective_veto(item, facts):
                result.vetoes.append(item["title"])
        elif sheets and sum(1 for s in sheets.values() if s.get(item["code"], 0) >= 1) * 2 > len(sheets):
            result.vetoes.append(item["title"])
    if not sheets:
        return result
    fixed = sum(objective.values(), Decimal(0))
    scored = [i["code"] for i in items if i["kind"] == "score"]
    result.totals = [fixed + sum((s.get(c, Decimal(0)) for c in scored), Decimal(0)) for s in sheets.values()]
    result.item_means = {c: mean([s.get(c, Decimal(0)) for s in sheets.values()]) for c in scored}
    result.total, result.method = trimmed_mean(result.totals)
    result.spread = max(result.totals) - min(result.totals)
    result.disagreement = result.spread > Decimal(str(content.get("spread", 15)))
    result.outcome = Decision.Outcome.REJECT if result.vetoes else band_for(result.total, content["bands"])
    return result
