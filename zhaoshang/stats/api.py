from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.api.capabilities import SAFE_METHODS, router_requires
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.schemas import ERRORS, InDate
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.enterprises import selectors as enterprise_selectors

from . import selectors, services
from .filters import FDIRecordFilter
from .models import FDIRecord

router = Router(tags=["经济运行分析"])
records_router = Router(tags=["经济运行分析"])


def _period(year: int, month: int) -> None:
    fields = {}
    if not 2000 <= year <= 2100:
        fields["year"] = ["年份应在 2000 到 2100 之间"]
    if not 1 <= month <= 12:
        fields["month"] = ["月份应在 1 到 12 之间"]
    if fields:
        raise ValidationFailed(fields=fields)


class Block(Schema):
    month: Decimal
    cumulative: Decimal
    cumulative_prev_year: Decimal
    yoy_pct: Decimal | None


class Pair(Schema):
    actual: Decimal | None
    contract: Decimal | None


class Large(Schema):
    threshold: Decimal
    count: int


class FDIStatsOut(Schema):
    year: int
    month: int
    unit: str
    org_unit: str | None
    actual: Block
    contract: Block
    target: Pair
    completion_pct: Pair
    schedule_gap_pts: Pair
    large_projects: Large


@router.get("/fdi", response={200: FDIStatsOut, **ERRORS}, summary="外资统计（商务部口径，万美元）")
def fdi(request, year: int, month: int, org_unit: int | None = None):
    _period(year, month)
    return selectors.fdi_stats(user=request.user, year=year, month=month, org_unit_id=org_unit)


@router.get("/fdi/monthly", response={200: dict, **ERRORS}, summary="逐月外资（今年与去年，两类）")
def fdi_monthly(request, year: int, org_unit: int | None = None):
    _period(year, 1)
    return selectors.monthly(user=request.user, year=year, org_unit_id=org_unit)


class RankingOut(Schema):
    org_unit_id: int
    org_unit: str
    kind: str
    value: Decimal
    target: Decimal | None
    completion_pct: Decimal | None
    rank_by_value: int
    rank_by_completion: int | None = None


@router.get("/rankings", response={200: list[RankingOut], **ERRORS}, summary="单位排名（累计值与完成率）")
def rankings(request, year: int, month: int, metric: str = "actual"):
    _period(year, month)
    if metric not in FDIRecord.Kind.values:
        raise ValidationFailed(fields={"metric": ["指标应为 actual 或 contract"]})
    return selectors.rankings(user=request.user, year=year, month=month, metric=metric)


@router.get("/overview", response={200: dict, **ERRORS}, summary="驾驶舱数据")
def overview(request):
    return selectors.overview(user=request.user, today=timezone.localdate())


class RecordOut(Schema):
    id: int
    date: date
    enterprise_id: int
    enterprise: str
    project_id: int | None
    kind: str
    form: str
    amount: Decimal
    signed_amount: Decimal
    country: str
    org_unit_id: int
    version: int

    @staticmethod
    def resolve_enterprise(obj) -> str:
        return obj.enterprise.name


class RecordIn(Schema):
    date: InDate
    enterprise_id: int
    project_id: int | None = None
    kind: FDIRecord.Kind
    form: FDIRecord.Form
    amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2, description="万美元")
    rmb_amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2, description="万元（与汇率一起）")
    rate: Decimal | None = Field(None, gt=0, max_digits=8, decimal_places=4)
    country: str = Field("", max_length=40)


# The answer has always been declared ``dict``; its body is ``Page[RecordOut]``.
list_endpoint(
    records_router,
    selector=selectors.record_list,
    filterset=FDIRecordFilter,
    out=RecordOut,
    summary="外资记录（可按统计口径钻取）",
    name="record_list",
    response=dict,
)


@records_router.post("", response={201: RecordOut, **ERRORS}, summary="录入外资记录")
def record_create(request, payload: RecordIn):
    data = payload.dict()
    enterprise = enterprise_selectors.visible_enterprise(user=request.user, pk=data.pop("enterprise_id"))
    if enterprise is None:
        raise ValidationFailed(fields={"enterprise_id": ["企业不存在或不在您的数据范围内"]})
    return Status(201, services.record_create(actor=request.user, enterprise=enterprise, data=data))


# The figures are for the business roles that use statistics, as on the pages (StatsMixin): not for experts
# nor for the administrators.
router_requires(router, Cap.BUSINESS_VIEW, Cap.VIEW_STATS)
router_requires(records_router, Cap.BUSINESS_VIEW, Cap.VIEW_STATS, methods=SAFE_METHODS)
router_requires(records_router, Cap.BUSINESS_CHANGE, Cap.VIEW_STATS)

routers = [("/stats", router), ("/fdi-records", records_router)]
