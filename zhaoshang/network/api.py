"""The 招商网络 API: the records (list, detail, create, update), the funnel and an office's assessment."""

from datetime import date
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.schemas import ERRORS, ErrorOut, InDate, Phone
from zhaoshang.core.errors import NotFound, PermissionDenied
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE

from . import selectors, services
from .assessment import assessment_of
from .filters import ActivityFilter, AgreementFilter, EventFilter, IntermediaryFilter, OfficeFilter, SisterCityFilter
from .funnel import funnel
from .models import Activity, Agreement, Event, Intermediary, SisterCity

router = Router(tags=["招商网络"])
CONFLICT = {409: ErrorOut}


# --- records --------------------------------------------------------------------------------------------------------


class NetworkOfficeOut(Schema):
    id: int
    name: str
    city: str
    coverage: str
    staff: str
    org_unit_id: int
    version: int


class NetworkOfficeIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    city: str = Field(min_length=1, max_length=40)
    coverage: str = Field("", max_length=200)
    staff: str = Field("", max_length=200)


class NetworkOfficePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=60)
    city: str | None = Field(None, min_length=1, max_length=40)
    coverage: str | None = Field(None, max_length=200)
    staff: str | None = Field(None, max_length=200)
    version: int


class NetworkActivityOut(Schema):
    id: int
    kind: str
    date: date
    topic: str
    enterprise_name: str
    people_met: str
    next_step: str
    lead_id: int | None
    org_unit_id: int
    version: int


class NetworkActivityIn(Schema):
    kind: Activity.Kind = Activity.Kind.VISIT
    date: InDate
    topic: str = Field(min_length=1, max_length=200)
    enterprise_name: str = Field("", max_length=200)
    people_met: str = Field("", max_length=200)
    content: str = ""
    next_step: str = Field("", max_length=200)


class NetworkActivityPatch(Schema):
    kind: Activity.Kind | None = None
    date: InDate | None = None
    topic: str | None = Field(None, min_length=1, max_length=200)
    enterprise_name: str | None = Field(None, max_length=200)
    people_met: str | None = Field(None, max_length=200)
    content: str | None = None
    next_step: str | None = Field(None, max_length=200)
    version: int


class NetworkIntermediaryOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    status: str
    contact_name: str
    contact_phone_masked: str
    org_unit_id: int
    version: int


class NetworkIntermediaryIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Intermediary.Kind
    country: str = Field("", max_length=40)
    profile: str = ""
    contact_name: str = Field("", max_length=50)
    phone: Phone = ""


class NetworkIntermediaryPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Intermediary.Kind | None = None
    country: str | None = Field(None, max_length=40)
    status: Intermediary.Status | None = None
    contact_name: str | None = Field(None, max_length=50)
    version: int


class NetworkAgreementOut(Schema):
    id: int
    intermediary_id: int
    name: str
    scope_chains: str
    scope_countries: str
    starts_on: date
    ends_on: date
    reward_kind: str
    fixed_amount: Decimal | None
    share_percent: Decimal | None
    tiers: list
    condition: str
    within_months: int | None
    status: str
    org_unit_id: int
    version: int


class NetworkAgreementIn(Schema):
    intermediary_id: int
    name: str = Field(min_length=1, max_length=200)
    scope_chains: str = Field("", max_length=200)
    scope_countries: str = Field("", max_length=200)
    starts_on: InDate
    ends_on: InDate
    reward_kind: Agreement.RewardKind
    fixed_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    share_percent: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=3)
    tiers: list[tuple[Decimal, Decimal]] = []
    condition: Agreement.Condition = Agreement.Condition.SIGNED
    within_months: int | None = Field(None, ge=1, le=120)


class NetworkAgreementPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    status: Agreement.Status | None = None
    within_months: int | None = Field(None, ge=1, le=120)
    version: int


class NetworkSisterCityOut(Schema):
    id: int
    name: str
    country: str
    relation: str
    relationship_status: str
    channel_status: str
    partner_department: str
    industry_note: str
    org_unit_id: int
    version: int


class NetworkSisterCityIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    country: str = Field(min_length=1, max_length=40)
    relation: SisterCity.Relation = SisterCity.Relation.SISTER
    relationship_status: str = Field("", max_length=200)
    channel_status: str = Field("", max_length=300)
    partner_department: str = Field("", max_length=100)
    industry_note: str = Field("", max_length=300)


class NetworkSisterCityPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    relationship_status: str | None = Field(None, max_length=200)
    channel_status: str | None = Field(None, max_length=300)
    partner_department: str | None = Field(None, max_length=100)
    version: int


class NetworkEventOut(Schema):
    id: int
    name: str
    kind: str
    organiser: str
    date: date
    place: str
    cost: Decimal | None
    sister_city_id: int | None
    org_unit_id: int
    version: int


class NetworkEventIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Event.Kind
    organiser: str = Field("", max_length=200)
    date: InDate
    place: str = Field("", max_length=200)
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class NetworkEventPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    place: str | None = Field(None, max_length=200)
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    version: int


def _crud(prefix, *, list_selector, filterset, get, out, patch_in, create_in, create, update, name, label):
    """List, detail, create and update endpoints of one record kind under ``prefix``."""
    list_endpoint(
        router,
        selector=list_selector,
        filterset=filterset,
        out=out,
        summary=f"{label}列表",
        name=f"{name}_list",
        path=prefix,
    )

    def detail(request, pk: int):
        return get(user=request.user, pk=pk)

    def add(request, payload: create_in):  # type: ignore[valid-type]
        return Status(201, create(request.user, payload.dict()))

    def change(request, pk: int, payload: patch_in):  # type: ignore[valid-type]
        obj = get(user=request.user, pk=pk, action=CHANGE)
        return update(request.user, obj, payload.dict(exclude_unset=True, exclude={"version"}), payload.version)

    for func, suffix in ((detail, "get"), (add, "create"), (change, "update")):
        func.__name__ = func.__qualname__ = f"{name}_{suffix}"
    router.get(f"{prefix}/{{int:pk}}", response={200: out, **ERRORS}, summary=f"{label}详情")(detail)
    router.post(prefix, response={201: out, **ERRORS}, summary=f"新建{label}")(add)
    router.patch(f"{prefix}/{{int:pk}}", response={200: out, **CONFLICT, **ERRORS}, summary=f"修改{label}")(change)


def _office_create(user, data):
    return services.office_create(actor=user, data={**data, "org_unit": user.org_unit})


def _intermediary_create(user, data):
    phone = data.pop("phone", "")
    return services.intermediary_create(actor=user, data=data, phone=phone)


def _agreement_create(user, data):
    if not user.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()  # before looking the intermediary up: the refusal, not a 404
    intermediary = selectors.intermediary_get(user=user, pk=data.pop("intermediary_id"))
    data["tiers"] = [[str(a), str(b)] for a, b in data.get("tiers") or []]
    return services.agreement_create(actor=user, data={**data, "intermediary": intermediary})


_crud(
    "/offices",
    list_selector=selectors.office_list,
    filterset=OfficeFilter,
    get=selectors.office_get,
    out=NetworkOfficeOut,
    create_in=NetworkOfficeIn,
    patch_in=NetworkOfficePatch,
    create=_office_create,
    update=lambda u, o, d, v: services.office_update(actor=u, office=o, data=d, version=v),
    name="network_office",
    label="驻外办事处",
)
_crud(
    "/activities",
    list_selector=selectors.activity_list,
    filterset=ActivityFilter,
    get=selectors.activity_get,
    out=NetworkActivityOut,
    create_in=NetworkActivityIn,
    patch_in=NetworkActivityPatch,
    create=lambda u, d: services.activity_create(actor=u, data=d),
    update=lambda u, o, d, v: services.activity_update(actor=u, activity=o, data=d, version=v),
    name="network_activity",
    label="办事处活动",
)
_crud(
    "/intermediaries",
    list_selector=selectors.intermediary_list,
    filterset=IntermediaryFilter,
    get=selectors.intermediary_get,
    out=NetworkIntermediaryOut,
    create_in=NetworkIntermediaryIn,
    patch_in=NetworkIntermediaryPatch,
    create=_intermediary_create,
    update=lambda u, o, d, v: services.intermediary_update(actor=u, intermediary=o, data=d, version=v),
    name="network_intermediary",
    label="中介机构",
)
_crud(
    "/agreements",
    list_selector=selectors.agreement_list,
    filterset=AgreementFilter,
    get=selectors.agreement_get,
    out=NetworkAgreementOut,
    create_in=NetworkAgreementIn,
    patch_in=NetworkAgreementPatch,
    create=_agreement_create,
    update=lambda u, o, d, v: services.agreement_update(actor=u, agreement=o, data=d, version=v),
    name="network_agreement",
    label="委托招商协议",
)
_crud(
    "/sister-cities",
    list_selector=selectors.sister_city_list,
    filterset=SisterCityFilter,
    get=selectors.sister_city_get,
    out=NetworkSisterCityOut,
    create_in=NetworkSisterCityIn,
    patch_in=NetworkSisterCityPatch,
    create=lambda u, d: services.sister_city_create(actor=u, data=d),
    update=lambda u, o, d, v: services.sister_city_update(actor=u, city=o, data=d, version=v),
    name="network_sister_city",
    label="友好城市",
)
_crud(
    "/events",
    list_selector=selectors.event_list,
    filterset=EventFilter,
    get=selectors.event_get,
    out=NetworkEventOut,
    create_in=NetworkEventIn,
    patch_in=NetworkEventPatch,
    create=lambda u, d: services.event_create(actor=u, data=d),
    update=lambda u, o, d, v: services.event_update(actor=u, event=o, data=d, version=v),
    name="network_event",
    label="招商活动",
)


# --- the funnel and the assessment ----------------------------------------------------------------------------------


class FunnelSource(Schema):
    kind: str
    id: int | None
    name: str


class FunnelStep(Schema):
    step: str
    count: int
    median_days: Decimal | None


class FunnelChannel(Schema):
    channel: str
    source: FunnelSource | None
    steps: list[FunnelStep]
    investment: Decimal
    fdi_arrived_usd: Decimal


class FunnelOut(Schema):
    channels: list[FunnelChannel]


class FunnelQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2100, description="线索登记年度")
    channel: str = Field("", description="来源渠道（线索的 source）")
    chain: str = Field("", description="产业链")
    org_unit: int | None = Field(None, description="登记单位（含下级）")


@router.get("/funnel", response={200: FunnelOut, **ERRORS}, summary="资源转化漏斗（按渠道与来源）")
def network_funnel(request, query: Query[FunnelQuery]):
    user = request.user
    unit_ids = None
    if query.org_unit is not None:
        unit = OrgUnit.objects.filter(pk=query.org_unit, region_id=getattr(user.org_unit, "region_id", None)).first()
        if unit is None:
            raise NotFound()
        unit_ids = unit.subtree_ids()
    return funnel(user=user, year=query.year, channel=query.channel, chain=query.chain, unit_ids=unit_ids)


class AssessmentIndicatorOut(Schema):
    metric: str
    name: str
    weight: Decimal
    value: Decimal
    target: Decimal | None
    score: Decimal


class OfficeAssessmentOut(Schema):
    office_id: int
    year: int
    month: int | None
    indicators: list[AssessmentIndicatorOut]
    total: Decimal
    rank: int | None


class AssessmentQuery(Schema):
    year: int = Field(ge=1900, le=2100)
    month: int | None = Field(None, ge=1, le=12)


@router.get(
    "/offices/{int:pk}/assessment", response={200: OfficeAssessmentOut, **ERRORS}, summary="办事处考核（按月或年）"
)
def network_office_assessment(request, pk: int, query: Query[AssessmentQuery]):
    office = selectors.office_get(user=request.user, pk=pk)
    row = assessment_of(office=office, year=query.year, month=query.month)
    return {
        "office_id": office.pk,
        "year": query.year,
        "month": query.month,
        "indicators": row["indicators"],
        "total": row["total"],
        "rank": row["rank"],
    }


routers = [("/network", router)]
