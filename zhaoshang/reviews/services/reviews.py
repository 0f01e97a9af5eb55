"""A review's life before scoring: requested (with its fair draw), experts confirming or declining (the next
backup is invited), and the commitment (承诺书) each expert signs before the materials open."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE, coordinates
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.notify.services import NotificationLevel, notify_users
from zhaoshang.projects import selectors as project_selectors

from ..models import Exclusion, Review, ReviewAssignment, RubricVersion
from . import rubrics
from .drawing import Subject, draw_order, matching_pool, new_seed

COMMITMENT = (
    "本人承诺：对本次研判所接触的项目资料严格保密，不复制、不外传；与本项目投资方及其关联企业、"
    "引进单位不存在任职、持股、近亲属任职等利害关系，如有应主动回避；独立、客观、公正地评分。"
)
MAX_EXPERTS = 15


def _may_request(actor, project) -> bool:
    """The introducing unit, the unit that owns the 研判 stage (the center), a 统筹单位 officer or a leader."""
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        return False
    if coordinates(actor) or actor.has_capability(Cap.ADVANCE_ANY_STAGE):
        return True
    stage_owner = getattr(getattr(project, "stage", None), "owner_unit_id", None)
    return project.org_unit_id in actor.org_unit.subtree_ids() or stage_owner in actor.org_unit.ancestor_ids()


def _subject(actor, project_id, lead_id):
    if project_id:
        project = project_selectors.visible_project(user=actor, pk=project_id)
        if project is None:
            raise NotFound("项目不存在或不在您的数据范围内")
        investor = project.investor
        return (
            project,
            None,
            Subject(
                investor_id=investor.pk if investor else None,
                investor_name=investor.name if investor else "",
                unit_ids=project.org_unit.subtree_ids(),
            ),
        )
    if lead_id:
        lead = lead_selectors.lead_get(user=actor, pk=lead_id)
        name = lead.enterprise.name if lead.enterprise_id else lead.enterprise_name
        return (
            None,
            lead,
            Subject(investor_id=lead.enterprise_id, investor_name=name, unit_ids=lead.org_unit.subtree_ids()),
        )
    raise ValidationFailed(fields={"project_id": ["请选择要研判的项目"]})


def _clean(data: dict) -> dict:
    errors = {}
    n = data.get("experts") or 5
    if not isinstance(n, int) or not 1 <= n <= MAX_EXPERTS:
        errors["experts"] = [f"专家人数应在 1 到 {MAX_EXPERTS} 之间"]
    seed = str(data.get("seed") or "").strip()
    if len(seed) > 64:
        errors["seed"] = ["抽取种子不能超过64个字符"]
    if errors:
        raise ValidationFailed(fields=errors)
    return {**data, "experts": n, "seed": seed or new_seed()}


def review_create(*, actor, data: dict[str, Any]) -> Review:
    """Request a review and draw its experts at once. ``data``: ``project_id`` (or ``lead_id``),
    ``rubric_id`` (its current version is used), ``experts`` (n), ``fields`` (industry codes), ``blind``,
    ``mode``, ``seed`` (optional), ``title`` (optional)."""
    data = _clean(data)
    project, lead, subject = _subject(actor, data.get("project_id"), data.get("lead_id"))
    owner = project or lead
    if not _may_request(actor, owner):
        raise PermissionDenied("只有引进单位、统筹单位或领导可以发起研判")
    version = (
        RubricVersion.objects.select_related("rubric")
        .filter(rubric_id=data.get("rubric_id"), rubric__region_id=owner.region_id)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise ValidationFailed(fields={"rubric_id": ["评分表不存在"]})
    if not version.rubric.is_active:
        raise ValidationFailed(fields={"rubric_id": [f"评分表“{version.rubric.name}”已停用，不能用于新的研判"]})
    codes = [str(c).strip() for c in data.get("fields") or [] if str(c).strip()]
    if not codes and owner.industry_id:
        codes = [owner.industry.code[:2] if owner.industry.code[:1].isdigit() else owner.industry.code]
    with transaction.atomic():
        review = core.object_create(
            model=Review,
            actor=actor,
            data={
                "project": project,
                "lead": lead,
                "title": (data.get("title") or f"{owner}研判")[:200],
                "rubric_version": version,
                "experts_needed": data["experts"],
                "fields": codes,
                "mode": data.get("mode") or Review.Mode.ONLINE,
                "blind": bool(data.get("blind", True)),
                "seed": data["seed"],
                "chair": actor,
                "facts": rubrics.project_facts(project),
                "org_unit": actor.org_unit,
            },
        )
        _draw(review, subject, codes)
        review.alias = f"待评项目{review.pk:04d}"
        review.save(update_fields=["alias", "pool", "status", "drawn_at"])
        if owner.org_unit_id not in actor.org_unit.subtree_ids():
            core.object_share(obj=review, org_unit=owner.org_unit, actor=actor)
        _invite(review, list(review.assignments.filter(status=ReviewAssignment.Status.INVITED)))
    return review


def _draw(review: Review, subject: Subject, codes: list[str]) -> None:
    pool = matching_pool(region_id=review.region_id, codes=codes, subject=subject)
    n = review.experts_needed
    if len(pool.eligible) < n:
        raise ValidationFailed(
            f"符合专业领域且无需回避的专家只有 {len(pool.eligible)} 位，少于所需的 {n} 位"
            f"（另有 {len(pool.exclusions)} 位因回避或不可用被排除）。请减少专家人数或放宽专业领域。",
            fields={"experts": [f"可抽取的专家只有 {len(pool.eligible)} 位"]},
        )
    order = draw_order(review.seed, pool.eligible)[: 2 * n]
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                review=review,
                expert_id=pk,
                order=i + 1,
                status=ReviewAssignment.Status.INVITED if i < n else ReviewAssignment.Status.BACKUP,
            )
            for i, pk in enumerate(order)
        ]
    )
    Exclusion.objects.bulk_create(
        [Exclusion(review=review, expert_id=pk, reason=reason, detail=detail) for pk, reason, detail in pool.exclusions]
    )
    review.pool = pool.eligible
    review.status = Review.Status.DRAWING
    review.drawn_at = timezone.now()


def redraw_matches(review: Review) -> bool:
    """Whether re-running the draw from the recorded seed and pool gives the recorded experts (anyone may check)."""
    recorded = list(review.assignments.order_by("order").values_list("expert_id", flat=True))
    return draw_order(review.seed, review.pool)[: len(recorded)] == recorded


def _invite(review: Review, assignments: list[ReviewAssignment]) -> None:
    users = [a.expert.user for a in assignments if a.expert.user_id]
    notify_users(
        users,
        title=f"研判邀请：{review.alias}",
        body="您被随机抽取为本项目的评审专家，请确认是否参加。",
        url=reverse("reviews:my_review", args=[review.pk]),
        level=NotificationLevel.TASK,
    )


def _own_assignment(actor, review_id: int) -> ReviewAssignment:
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("review", "expert")
        .filter(review_id=review_id, expert__user=actor, status__in=ReviewAssignment.ACTIVE)
        .first()
    )
    if assignment is None or assignment.review.deleted_at is not None:
        raise NotFound()
    return assignment


def assignment_respond(*, actor, review_id: int, accept: bool, reason: str = "") -> ReviewAssignment:
    """The expert confirms or declines; a decline invites the next backup in draw order."""
    with transaction.atomic():
        assignment = _own_assignment(actor, review_id)
        if assignment.status != ReviewAssignment.Status.INVITED:
            raise ValidationFailed("您已答复过该研判邀请")
        review = assignment.review
        if accept:
            assignment.status = ReviewAssignment.Status.CONFIRMED
        else:
            reason = (reason or "").strip()
            if not reason:
                raise ValidationFailed("谢绝须说明原因", fields={"reason": ["请填写谢绝原因"]})
            assignment.status, assignment.decline_reason = ReviewAssignment.Status.DECLINED, reason[:200]
        assignment.responded_at = timezone.now()
        assignment.save(update_fields=["status", "decline_reason", "responded_at"])
        after = {"expert": assignment.expert.name, "status": assignment.get_status_display(), "reason": reason}
        log_change(actor=actor, obj=review, action=ObjectChange.Action.UPDATE, before=None, after=after)
        if not accept:
            _next_backup(review, actor)
        _refresh_status(review)
    return assignment


def meeting_respond(*, actor, review_id: int, expert_id: int, accept: bool, reason: str = "") -> ReviewAssignment:
    """Meeting mode: the chair (the secretary) records an expert's answer; an accepting expert signs the 承诺书 on
    paper at the meeting, recorded now. A decline invites the next backup, as online."""
    with transaction.atomic():
        review = review_for_change(actor, review_id)
        if review.mode != Review.Mode.MEETING or not chair_or_leader(actor, review):
            raise PermissionDenied("只有会议评审的主持人可以代为登记专家答复")
        assignment = review.assignments.select_for_update().filter(expert_id=expert_id).select_related("expert").first()
        if assignment is None or assignment.status != ReviewAssignment.Status.INVITED:
            raise ValidationFailed("该专家不在待确认名单中")
        reason = (reason or "").strip()
        if not accept and not reason:
            raise ValidationFailed("谢绝须说明原因", fields={"reason": ["请填写谢绝原因"]})
        now = timezone.now()
        if accept:
            assignment.status, assignment.commitment_signed_at = ReviewAssignment.Status.CONFIRMED, now
        else:
            assignment.status, assignment.decline_reason = ReviewAssignment.Status.DECLINED, reason[:200]
        assignment.responded_at = now
        assignment.save(update_fields=["status", "decline_reason", "responded_at", "commitment_signed_at"])
        after = {"expert": assignment.expert.name, "status": assignment.get_status_display(), "by": "会议秘书登记"}
        log_change(actor=actor, obj=review, action=ObjectChange.Action.UPDATE, before=None, after=after)
        if not accept:
            _next_backup(review, actor)
        _refresh_status(review)
    return assignment


def _next_backup(review: Review, actor) -> None:
    backup = review.assignments.filter(status=ReviewAssignment.Status.BACKUP).order_by("order").first()
    if backup is None:
        notify_users(
            [review.chair],
            title=f"{review.title}：备选专家已用完",
            body="有专家谢绝且没有备选专家，请补充抽取或减少专家人数。",
            url=review.get_absolute_url(),
        )
        return
    backup.status = ReviewAssignment.Status.INVITED
    backup.save(update_fields=["status"])
    _invite(review, [backup])


def commitment_sign(*, actor, review_id: int) -> ReviewAssignment:
    """The expert signs the 承诺书 (confidentiality, no conflict); the materials open only after it."""
    with transaction.atomic():
        assignment = _own_assignment(actor, review_id)
        if assignment.status == ReviewAssignment.Status.INVITED:
            assignment.status, assignment.responded_at = ReviewAssignment.Status.CONFIRMED, timezone.now()
        if assignment.commitment_signed_at is None:
            assignment.commitment_signed_at = timezone.now()
            assignment.save(update_fields=["status", "responded_at", "commitment_signed_at"])
            after = {"expert": assignment.expert.name, "commitment": COMMITMENT}
            log_change(actor=actor, obj=assignment.review, action=ObjectChange.Action.UPDATE, before=None, after=after)
        _refresh_status(assignment.review)
    return assignment


def _refresh_status(review: Review) -> None:
    """drawing → scoring once every invited expert has confirmed."""
    statuses = list(review.assignments.values_list("status", flat=True))
    if review.status == Review.Status.DRAWING and ReviewAssignment.Status.INVITED not in statuses:
        Review.objects.filter(pk=review.pk).update(status=Review.Status.SCORING)
        review.status = Review.Status.SCORING


def review_update(*, actor, review: Review, data: dict[str, Any], version: int) -> Review:
    unknown = set(data) - {"title"}
    if unknown:
        raise ValidationFailed(fields={k: ["抽取后不能修改该项"] for k in unknown})
    return core.object_update(obj=review, actor=actor, data=data, version=version)


def review_delete(*, actor, review: Review, version: int | None = None) -> Review:
    if review.status == Review.Status.DECIDED:
        raise ValidationFailed("已决策的研判不能删除")
    return core.object_delete(obj=review, actor=actor, version=version)


def review_restore(*, actor, pk: int) -> Review:
    return core.object_restore(model=Review, actor=actor, pk=pk)


def review_snapshot(review: Review) -> dict:
    return snapshot(review)


def chair_or_leader(actor, review: Review) -> bool:
    return review.chair_id == actor.pk or (
        actor.has_capability(Cap.ADVANCE_ANY_STAGE) and actor.region_id == review.region_id
    )


def review_for_change(actor, review_id: int) -> Review:
    review = Review.objects.restrict(actor).select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound()
    if not chair_or_leader(actor, review) and not Review.objects.restrict(actor, CHANGE).filter(pk=review_id).exists():
        raise PermissionDenied()
    return review
