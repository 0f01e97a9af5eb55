"""The 研判 API: reviews (request with the draw, an expert's scores, progress and aggregate, the decision) and
the 专家库. What an expert reaches here is confined to his assigned reviews and masked like his pages."""

from decimal import Decimal

from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.api.capabilities import requires_any
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.schemas import ERRORS, ErrorOut, Phone
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE

from . import selectors, services
from .filters import ExpertFilter, ReviewFilter
from .library_api import opinion_router, rubric_router

router = Router(tags=["项目研判"])
expert_router = Router(tags=["专家库"])


# --- reviews ------------------------------------------------------------------------------------------------


class ReviewListOut(Schema):
    id: int
    title: str = Field(description="匿名评审未决策前，专家看到的是匿名代号")
    status: str
    experts_needed: int
    blind: bool
    version: int

    @staticmethod
    def resolve_title(obj) -> str:
        return getattr(obj, "shown_title", obj.title)


class ReviewIn(Schema):
    project_id: int | None = None
    lead_id: int | None = None
    rubric_id: int
    experts: int = Field(5, ge=1, le=15)
    fields: list[str] = Field(default_factory=list, description="国民经济行业分类代码")
    blind: bool = True
    mode: str = Field("online", pattern="^(online|meeting)$")
    seed: str | None = Field(None, max_length=64)
    title: str | None = Field(None, max_length=200)


class ReviewExpertOut(Schema):
    expert_id: int | None = None
    name: str = ""
    order: int
    status: str
    commitment_signed: bool
    submitted: bool


class ExclusionOut(Schema):
    expert: str
    expert_id: int
    reason: str
    detail: str


class AggregateOut(Schema):
    complete: bool
    experts: int
    total: Decimal | None
    method: str
    spread: Decimal | None
    disagreement: bool
    vetoes: list[str]
    suggested_outcome: str


class ReviewOut(Schema):
    id: int
    title: str
    status: str
    blind: bool
    mode: str
    seed: str | None = None
    experts_needed: int
    fields: list[str]
    project_id: int | None = None
    rubric_version_id: int
    drawn: list[ReviewExpertOut]
    backups: list[ReviewExpertOut] = []
    exclusions: list[ExclusionOut] = []
    materials: dict
    aggregate: AggregateOut | None = None
    decision: dict | None = None
    version: int


def _aggregate_out(agg) -> dict:
    return {
        "complete": agg.complete,
        "experts": agg.experts,
        "total": agg.total,
        "method": agg.method,
        "spread": agg.spread,
        "disagreement": agg.disagreement,
        "vetoes": agg.vetoes,
        "suggested_outcome": agg.outcome,
    }


def _expert_row(a, named: bool) -> dict:
    return {
        "expert_id": a.expert_id if named else None,
        "name": a.expert.name if named else f"专家{a.order}",
        "order": a.order,
        "status": a.status,
        "commitment_signed": a.commitment_signed_at is not None,
        "submitted": a.submitted_at is not None,
    }


def review_out(request, pk: int) -> dict:
    """The officers' full view, or the expert's masked one (his own row, the aggregate once complete)."""
    user = request.user
    if user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
        review, own = selectors.expert_review(user=user, pk=pk)
        rows = selectors.assignments(review)
        agg = selectors.review_aggregate(review, rows)
        hide = selectors.masked(review, agg)
        active = [a for a in rows if a.status in ("invited", "confirmed", "submitted")]
        return {
            "id": review.pk,
            "title": review.alias if hide else review.title,
            "status": review.status,
            "blind": review.blind,
            "mode": review.mode,
            "experts_needed": review.experts_needed,
            "fields": review.fields,
            "rubric_version_id": review.rubric_version_id,
            "drawn": [_expert_row(a, a.pk == own.pk) for a in active],
            "materials": selectors.materials(review, hide=hide) if own.commitment_signed_at else {},
            "aggregate": _aggregate_out(agg) if agg.complete else None,
            "version": review.version,
        }
    review = selectors.review_get(user=user, pk=pk)
    rows = selectors.assignments(review)
    agg = selectors.review_aggregate(review, rows)
    decision = review.decisions.order_by("-id").first()
    return {
        "id": review.pk,
        "title": review.title,
        "status": review.status,
        "blind": review.blind,
        "mode": review.mode,
        "seed": review.seed,
        "experts_needed": review.experts_needed,
        "fields": review.fields,
        "project_id": review.project_id,
        "rubric_version_id": review.rubric_version_id,
        "drawn": [_expert_row(a, True) for a in rows if a.status != "backup"],
        "backups": [_expert_row(a, True) for a in rows if a.status == "backup"],
        "exclusions": [
            {"expert": e.expert.name, "expert_id": e.expert_id, "reason": e.get_reason_display(), "detail": e.detail}
            for e in selectors.exclusions(review)
        ],
        "materials": selectors.materials(review, hide=False),
        "aggregate": _aggregate_out(agg),
        "decision": {
            "outcome": decision.outcome,
            "label": decision.get_outcome_display(),
            "conditions": decision.conditions,
            "reason": decision.reason,
        }
        if decision
        else None,
        "version": review.version,
    }


# officers and experts both list reviews (an expert's list is his assignments: the selector's scope)
requires_any(Cap.BUSINESS_VIEW, Cap.SCORE_REVIEWS)(
    list_endpoint(
        router,
        selector=selectors.review_list,
        filterset=ReviewFilter,
        out=ReviewListOut,
        summary="研判列表",
        name="review_list",
    )
)


@router.post("", response={201: ReviewOut, **ERRORS}, summary="发起研判并抽取专家")
def review_create(request, payload: ReviewIn):
    review = services.review_create(actor=request.user, data=payload.dict())
    return Status(201, review_out(request, review.pk))


@router.get("/{int:pk}", response={200: ReviewOut, **ERRORS}, summary="研判进度与汇总")
@requires_any(Cap.BUSINESS_VIEW, Cap.SCORE_REVIEWS)
def review_get(request, pk: int):
    return review_out(request, pk)


class ReviewPatch(Schema):
    title: str = Field(min_length=1, max_length=200)
    version: int


@router.patch("/{int:pk}", response={200: ReviewOut, 409: ErrorOut, **ERRORS}, summary="修改研判事项名称")
def review_update(request, pk: int, payload: ReviewPatch):
    review = selectors.review_get(user=request.user, pk=pk, action=CHANGE)
    services.review_update(actor=request.user, review=review, data={"title": payload.title}, version=payload.version)
    return review_out(request, pk)


class ScoreEntry(Schema):
    value: Decimal = Field(ge=0, max_digits=5, decimal_places=1)
    comment: str = Field("", max_length=500)


class ScoresIn(Schema):
    scores: dict[str, ScoreEntry]
    expert_id: int | None = Field(None, description="会议评审时由主持人录入该专家的评分")


class RespondIn(Schema):
    accept: bool
    reason: str = Field("", max_length=200)


@router.post("/{int:pk}/respond", response={200: ReviewOut, **ERRORS}, summary="专家确认或谢绝")
@requires_any(Cap.BUSINESS_VIEW, Cap.SCORE_REVIEWS)
def review_respond(request, pk: int, payload: RespondIn):
    services.assignment_respond(actor=request.user, review_id=pk, accept=payload.accept, reason=payload.reason)
    return review_out(request, pk)


@router.post("/{int:pk}/commitment", response={200: ReviewOut, **ERRORS}, summary="专家签署承诺书")
@requires_any(Cap.BUSINESS_VIEW, Cap.SCORE_REVIEWS)
def review_commitment(request, pk: int):
    services.commitment_sign(actor=request.user, review_id=pk)
    return review_out(request, pk)


@router.post("/{int:pk}/scores", response={200: ReviewOut, **ERRORS}, summary="提交评分（提交后锁定）")
@requires_any(Cap.BUSINESS_VIEW, Cap.SCORE_REVIEWS)
def review_scores(request, pk: int, payload: ScoresIn):
    entries = {code: entry.dict() for code, entry in payload.scores.items()}
    services.scores_submit(actor=request.user, review_id=pk, entries=entries, expert_id=payload.expert_id)
    return review_out(request, pk)


class DecisionIn(Schema):
    outcome: str = Field(pattern="^(recommend|conditional|defer|reject)$")
    conditions: list[str] = Field(default_factory=list)
    reason: str = Field("", max_length=2000)


class DecisionOut(Schema):
    review: ReviewOut
    effect: str


@router.post("/{int:pk}/decision", response={200: DecisionOut, **ERRORS}, summary="记录研判决策")
def review_decision(request, pk: int, payload: DecisionIn):
    review = selectors.review_get(user=request.user, pk=pk)
    agg = selectors.review_aggregate(review)
    _, effect = services.decision_record(
        actor=request.user,
        review_id=pk,
        outcome=payload.outcome,
        conditions=payload.conditions,
        reason=payload.reason,
        aggregate=agg,
    )
    return {"review": review_out(request, pk), "effect": effect}


# --- the 专家库 ---------------------------------------------------------------------------------------------


class ExpertOut(Schema):
    id: int
    name: str
    title: str
    employer: str
    research_org_id: int | None
    industries: list[str]
    is_available: bool
    phone: str = Field(description="掩码")
    org_unit_id: int
    version: int

    @staticmethod
    def resolve_industries(obj) -> list[str]:
        return [i.code for i in obj.industries.all()]

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_masked


class ExpertIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    title: str = Field("", max_length=60)
    employer: str = Field("", max_length=200)
    industries: list[str] = Field(default_factory=list)
    is_available: bool = True
    phone: Phone | None = None


class ExpertPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=50)
    title: str | None = Field(None, max_length=60)
    employer: str | None = Field(None, max_length=200)
    industries: list[str] | None = None
    is_available: bool | None = None
    phone: Phone | None = None
    version: int


list_endpoint(
    expert_router,
    selector=selectors.expert_list,
    filterset=ExpertFilter,
    out=ExpertOut,
    summary="专家列表",
    name="expert_list",
)


@expert_router.get("/{int:pk}", response={200: ExpertOut, **ERRORS}, summary="专家详情")
def expert_get(request, pk: int):
    return selectors.expert_get(user=request.user, pk=pk)


@expert_router.post("", response={201: ExpertOut, **ERRORS}, summary="新增专家")
def expert_create(request, payload: ExpertIn):
    return Status(201, services.expert_create(actor=request.user, data=payload.dict(exclude_none=True)))


@expert_router.patch("/{int:pk}", response={200: ExpertOut, 409: ErrorOut, **ERRORS}, summary="修改专家")
def expert_update(request, pk: int, payload: ExpertPatch):
    expert = selectors.expert_get(user=request.user, pk=pk, action=CHANGE)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return services.expert_update(actor=request.user, expert=expert, data=data, version=payload.version)


routers = [
    ("/reviews", router),
    ("/experts", expert_router),
    ("/rubrics", rubric_router),
    ("/opinion-requests", opinion_router),
]
