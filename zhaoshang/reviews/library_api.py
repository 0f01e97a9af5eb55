"""The API of the county's review library: rubrics (read by whoever requests a review, a new version added
by the administrator) and opinion requests to the 顾问团 (asked and answered by officers; an adviser answers
from his own pages, ``reviews:my_opinion``)."""

from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.api.capabilities import requires, requires_any
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.schemas import ERRORS
from zhaoshang.core.roles import Cap

from . import selectors, services
from .filters import OpinionRequestFilter

rubric_router = Router(tags=["研判评分表"])
opinion_router = Router(tags=["顾问意见征询"])


# --- rubrics ------------------------------------------------------------------------------------------------


class RubricVersionOut(Schema):
    id: int
    number: int
    created_at: datetime
    content: dict = Field(description="sections（部分与评分项）、bands（得分档次）、spread（分歧提示线）")


class RubricVersionBrief(Schema):
    id: int
    number: int
    created_at: datetime
    reviews: int = Field(description="按该版本评分的研判数")


class RubricOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    current: RubricVersionOut | None
    versions: list[RubricVersionBrief]


class RubricBrief(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    versions: int


class RubricListOut(Schema):
    count: int
    results: list[RubricBrief]


class RubricVersionIn(Schema):
    content: dict


def _version(version) -> dict:
    return {"id": version.pk, "number": version.number, "created_at": version.created_at, "content": version.content}


@rubric_router.get("", response={200: RubricListOut, **ERRORS}, summary="评分表列表")
@requires_any(Cap.BUSINESS_VIEW, Cap.MANAGE_SETTINGS)
def rubric_list(request):
    rubrics = selectors.rubric_list(user=request.user)
    results = [
        {
            "id": r.pk,
            "name": r.name,
            "description": r.description,
            "is_active": r.is_active,
            "versions": r.version_count,
        }
        for r in rubrics
    ]
    return {"count": len(results), "results": results}


@rubric_router.get("/{int:pk}", response={200: RubricOut, **ERRORS}, summary="评分表及其版本")
@requires_any(Cap.BUSINESS_VIEW, Cap.MANAGE_SETTINGS)
def rubric_get(request, pk: int):
    rubric = selectors.rubric_get(user=request.user, pk=pk)
    versions = selectors.rubric_versions(rubric)
    return {
        "id": rubric.pk,
        "name": rubric.name,
        "description": rubric.description,
        "is_active": rubric.is_active,
        "current": _version(versions[0]) if versions else None,
        "versions": [
            {"id": v.pk, "number": v.number, "created_at": v.created_at, "reviews": v.review_count} for v in versions
        ],
    }


@rubric_router.get("/{int:pk}/versions/{int:number}", response={200: RubricVersionOut, **ERRORS}, summary="评分表版本")
@requires_any(Cap.BUSINESS_VIEW, Cap.MANAGE_SETTINGS)
def rubric_version_get(request, pk: int, number: int):
    return _version(selectors.rubric_version_get(user=request.user, rubric_pk=pk, number=number))


@rubric_router.post("/{int:pk}/versions", response={201: RubricVersionOut, **ERRORS}, summary="新增评分表版本")
@requires(Cap.MANAGE_SETTINGS)
def rubric_version_add(request, pk: int, payload: RubricVersionIn):
    rubric = selectors.rubric_get(user=request.user, pk=pk)
    version = services.rubric_version_add(actor=request.user, rubric=rubric, content=payload.content)
    return Status(201, _version(version))


# --- opinion requests ---------------------------------------------------------------------------------------


class OpinionOut(Schema):
    expert_id: int
    expert: str
    text: str
    given_at: datetime


class OpinionRequestListOut(Schema):
    id: int
    group_id: int
    project_id: int
    question: str
    requested_at: datetime


class OpinionRequestOut(OpinionRequestListOut):
    opinions: list[OpinionOut]
    waiting: list[str] = Field(description="尚未答复的顾问")


class OpinionRequestIn(Schema):
    group_id: int
    project_id: int
    question: str = Field(min_length=1, max_length=2000)


class OpinionIn(Schema):
    expert_id: int
    text: str = Field(min_length=1, max_length=5000)


def _request_out(request, pk: int) -> dict:
    opinion_request = selectors.opinion_request_get(user=request.user, pk=pk)
    rows = selectors.opinion_rows(opinion_request)
    return {
        "id": opinion_request.pk,
        "group_id": opinion_request.group_id,
        "project_id": opinion_request.project_id,
        "question": opinion_request.question,
        "requested_at": opinion_request.requested_at,
        "opinions": [
            {
                "expert_id": row["expert"].pk,
                "expert": row["expert"].name,
                "text": row["opinion"].text,
                "given_at": row["opinion"].given_at,
            }
            for row in rows
            if row["opinion"]
        ],
        "waiting": [row["expert"].name for row in rows if not row["opinion"]],
    }


list_endpoint(
    opinion_router,
    selector=selectors.opinion_request_list,
    filterset=OpinionRequestFilter,
    out=OpinionRequestListOut,
    summary="顾问意见征询列表",
    name="opinion_request_list",
)


@opinion_router.post("", response={201: OpinionRequestOut, **ERRORS}, summary="向顾问团征询意见")
def opinion_request_create(request, payload: OpinionRequestIn):
    opinion_request = services.opinion_request(
        actor=request.user, group_id=payload.group_id, project_id=payload.project_id, question=payload.question
    )
    return Status(201, _request_out(request, opinion_request.pk))


@opinion_router.get("/{int:pk}", response={200: OpinionRequestOut, **ERRORS}, summary="征询与顾问意见")
def opinion_request_get(request, pk: int):
    return _request_out(request, pk)


@opinion_router.post("/{int:pk}/opinions", response={200: OpinionRequestOut, **ERRORS}, summary="登记顾问意见")
def opinion_record(request, pk: int, payload: OpinionIn):
    selectors.opinion_request_get(user=request.user, pk=pk)
    services.opinion_give(actor=request.user, request_id=pk, expert_id=payload.expert_id, text=payload.text)
    return _request_out(request, pk)
