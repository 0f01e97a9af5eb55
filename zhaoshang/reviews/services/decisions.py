"""The decision on a review and what it sets off in the lifecycle.

Recorded by the chair or a leader of the region, append-only (a later decision supersedes, both stay, each in
the change log). On a project at the 研判 stage: 建议引进/有条件引进 tick the stage's 专家研判意见 item and close
the stage when nothing else is missing (the relay hands over to the next owner), then the conditions become
required checklist items of the stage now open; 不予引进 ends the lifecycle with its reason; 暂缓 leaves the stage
open. If the stage cannot close yet (another unit's item is open), the decision stands and the page says what
is still missing."""

from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.notify.services import notify_users
from zhaoshang.projects import services as project_services

from ..models import Decision, Review
from .reviews import chair_or_leader, review_for_change
from .scoring import Aggregate

REVIEW_STAGE = "review"
CHECKLIST_TITLE = "专家研判意见"
ADMITTED = (Decision.Outcome.RECOMMEND, Decision.Outcome.CONDITIONAL)


def decision_record(
    *, actor, review_id: int, outcome: str, conditions: list[str] | None = None, reason: str = "", aggregate: Aggregate
) -> tuple[Decision, str]:
    """Record the decision; returns it with a sentence on what happened to the project."""
    conditions = [c.strip()[:100] for c in conditions or [] if c and c.strip()]
    reason = (reason or "").strip()
    if outcome not in Decision.Outcome.values:
        raise ValidationFailed(fields={"outcome": ["请选择决策结论"]})
    if outcome == Decision.Outcome.CONDITIONAL and not conditions:
        raise ValidationFailed("有条件引进须列明条件", fields={"conditions": ["请至少填写一项条件"]})
    if outcome == Decision.Outcome.REJECT and not reason:
        raise ValidationFailed("不予引进须说明理由", fields={"reason": ["请填写理由"]})
    with transaction.atomic():
        review = review_for_change(actor, review_id)
        if not chair_or_leader(actor, review):
            raise PermissionDenied("只有主持人或领导可以记录决策")
        if review.status not in (Review.Status.SCORING, Review.Status.DECIDED) or not aggregate.complete:
            raise ValidationFailed("专家评分尚未全部提交，不能决策")
        if aggregate.vetoes and outcome in ADMITTED:
            raise ValidationFailed(f"触及一票否决项（{'、'.join(aggregate.vetoes)}），不能决定引进")
        first = review.status != Review.Status.DECIDED
        decision = Decision.objects.create(
            review=review,
            outcome=outcome,
            conditions=conditions,
            reason=reason,
            total=aggregate.total,
            decided_by=actor,
        )
        before = snapshot(review)
        review.status, review.decided_at, review.version = Review.Status.DECIDED, timezone.now(), review.version + 1
        review.save(update_fields=["status", "decided_at", "version", "updated_at"])
        after = {**snapshot(review), "decision": decision.get_outcome_display(), "conditions": conditions}
        log_change(actor=actor, obj=review, action=ObjectChange.Action.UPDATE, before=before, after=after)
        effect = _lifecycle(actor, review, decision) if first and review.project_id else ""
        notify_users(
            [review.chair],
            title=f"{review.title}：已决策（{decision.get_outcome_display()}）",
            url=review.get_absolute_url(),
        )
    return decision, effect


def _lifecycle(actor, review: Review, decision: Decision) -> str:
    project = review.project
    if project.stage.code != REVIEW_STAGE:
        return ""
    label = decision.get_outcome_display()
    if decision.outcome == Decision.Outcome.REJECT:
        project_services.project_terminate(
            actor=actor, project_id=project.pk, reason=f"研判结论{label}：{decision.reason}"
        )
        return "项目已终止引进"
    if decision.outcome not in ADMITTED:
        return "研判阶段保持办理中"
    note = f"研判“{review.title}”决策：{label}（综合得分 {decision.total}）"
    project_services.checklist_complete_on_record(actor=actor, project_id=project.pk, title=CHECKLIST_TITLE, note=note)
    try:
        with transaction.atomic():
            project = project_services.project_advance(actor=actor, project=project)
    except ApplicationError as exc:
        missing = "；".join(m for messages in (exc.fields or {}).values() for m in messages) or exc.message
        return f"研判阶段尚不能办结：{missing}（附加条件将在阶段办结后列入下一阶段清单）"
    return f"研判阶段已办结，项目进入“{project.stage.name}”阶段"


def place_conditions(sender, *, project, stage_code, actor, on, **kwargs) -> None:
    """``stage_opened`` receiver: when a project leaves 研判 after an admitting decision with conditions, the
    conditions become required items of the stage now open (once)."""
    review = (
        Review.objects.filter(project=project, status=Review.Status.DECIDED, conditions_placed_at__isnull=True)
        .order_by("-decided_at")
        .first()
    )
    if review is None or stage_code == REVIEW_STAGE:
        return
    decision = review.decisions.order_by("-id").first()
    if decision is None or decision.outcome not in ADMITTED or not decision.conditions:
        return
    project_services.checklist_add(
        actor=actor, project_id=project.pk, titles=decision.conditions, source="研判附加条件", on=on
    )
    Review.objects.filter(pk=review.pk).update(conditions_placed_at=timezone.now())
