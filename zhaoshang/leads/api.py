from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.api.capabilities import requires
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.refs import Ref, resolve_refs, user_region
from zhaoshang.api.schemas import ERRORS, ErrorOut, InDate, Phone
from zhaoshang.api.throttles import PerUserRateThrottle
from zhaoshang.core.errors import NotFound, ValidationFailed
from zhaoshang.core.reference import PROVINCES
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.enterprises import selectors as enterprise_selectors

from . import extraction, selectors, services
from .filters import LeadFilter
from .models import Lead, LeadFollowUp

router = Router(tags=["线索"])


class LeadOut(Schema):
    id: int
    code: str
    title: str
    enterprise_id: int | None
    enterprise_name: str
    investor_country: str
    investor_province: str
    investor_city: str
    industry: str | None
    chain: str
    project_type: str
    investment_rmb: Decimal | None = Field(description="万元")
    investment_fdi: Decimal | None = Field(description="万美元")
    land_mu: Decimal | None
    floor_area: Decimal | None
    preferred_town_id: int | None
    site_needs: str
    coordination: str
    source: str
    source_unit_id: int | None
    contact_name: str
    contact_title: str
    contact_phone: str = Field(description="掩码")
    org_unit_id: int
    owner_id: int | None
    in_pool: bool
    status: str
    grade: str
    registered_on: date
    next_followup_on: date | None
    protected_until: date | None
    project_id: int | None
    version: int

    @staticmethod
    def resolve_industry(obj) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_contact_phone(obj) -> str:
        return obj.contact_phone_masked


class LeadIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    enterprise_id: int | None = None
    enterprise_name: str = Field("", max_length=200)
    investor_country: str = Field("", max_length=40)
    investor_province: str = Field("", max_length=20, description="省级行政区全称，如 浙江省")
    investor_city: str = Field("", max_length=40)
    industry: str | None = Field(None, max_length=4)
    chain: str = Field("", max_length=40)
    project_type: Lead.ProjectType = Lead.ProjectType.NEW
    investment_rmb: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    investment_fdi: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    land_mu: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    floor_area: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    preferred_town_id: int | None = None
    site_needs: str = Field("", max_length=300)
    coordination: str = Field("", max_length=5000)
    source: Lead.Source
    source_unit_id: int | None = None
    source_detail: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=50)
    contact_title: str = Field("", max_length=60)
    contact_phone: Phone = Field("", max_length=30)
    grade: Lead.Grade = Lead.Grade.B
    next_followup_on: InDate | None = Field(None, description="设置或改动时不能早于今天")
    description: str = Field("", max_length=5000)
    to_pool: bool = False


class LeadPatch(LeadIn):
    title: str | None = Field(None, min_length=1, max_length=200)
    source: Lead.Source | None = None
    project_type: Lead.ProjectType | None = None
    grade: Lead.Grade | None = None
    contact_phone: Phone | None = Field(None, max_length=30)
    version: int


def _refs(user, data: dict[str, Any]) -> dict[str, Any]:
    region = user_region(user)
    province = data.get("investor_province")
    if province and province not in PROVINCES:
        wrong = {"investor_province": ["请填写省级行政区全称，如 浙江省、上海市"]}
        try:
            _resolve(user, region, data)
        except ValidationFailed as exc:
            raise ValidationFailed(fields={**exc.fields, **wrong}) from exc
        raise ValidationFailed(fields=wrong)
    return _resolve(user, region, data)


def _resolve(user, region, data: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(
        data,
        (
            Ref(
                "enterprise_id",
                enterprise_selectors.visible_enterprises(user=user),
                "企业不存在或不在您的数据范围内",
                attach="enterprise",
            ),
            Ref(
                "preferred_town_id",
                OrgUnit.objects.filter(region_id=region, kind__in=["town", "zone"]),
                "镇街/园区不存在",
            ),
            Ref("source_unit_id", OrgUnit.objects.filter(region_id=region), "单位不存在"),
        ),
    )


list_endpoint(
    router,
    selector=selectors.lead_list,
    filterset=LeadFilter,
    out=LeadOut,
    summary="线索列表（view=mine/overdue/pool 为常用视图）",
    name="lead_list",
)


@router.get("/{int:pk}", response={200: LeadOut, **ERRORS}, summary="线索详情")
def lead_get(request, pk: int):
    return selectors.lead_get(user=request.user, pk=pk)


@router.post("", response={201: LeadOut, 422: ErrorOut, **ERRORS}, summary="登记线索（查重、首谈保护）")
def lead_create(request, payload: LeadIn):
    data = payload.dict()
    phone, to_pool = data.pop("contact_phone"), data.pop("to_pool")
    lead = services.lead_register(actor=request.user, data=_refs(request.user, data), phone=phone, to_pool=to_pool)
    return Status(201, lead)


@router.patch("/{int:pk}", response={200: LeadOut, 409: ErrorOut, **ERRORS}, summary="修改线索（需带 version）")
def lead_update(request, pk: int, payload: LeadPatch):
    lead = selectors.lead_get(user=request.user, pk=pk, action=CHANGE)
    data = payload.dict(exclude_unset=True, exclude={"version", "to_pool"})
    phone = data.pop("contact_phone", None)
    return services.lead_update(
        actor=request.user, lead=lead, data=_refs(request.user, data), version=payload.version, phone=phone
    )


class ExtractIn(Schema):
    text: str = Field(min_length=1, max_length=settings.ZHAOSHANG_EXTRACT_MAX_CHARS)


class ExtractOut(Schema):
    fields: dict[str, dict[str, Any] | None]


@router.post(
    "/extract",
    response={200: ExtractOut, **ERRORS},
    throttle=[PerUserRateThrottle(settings.ZHAOSHANG_EXTRACT_RATE, scope="extract")],
    summary="从一段文字中识别线索要素（离线）",
)
@requires(Cap.BUSINESS_CHANGE)  # as the registration page's extraction (ExtractView)
def lead_extract(request, payload: ExtractIn):
    return extraction.extract_for_api(payload.text, user=request.user)


class FollowUpIn(Schema):
    kind: LeadFollowUp.Kind
    date: InDate
    our_side: str = Field("", max_length=200)
    their_side: str = Field("", max_length=200)
    summary: str = Field(min_length=1, max_length=5000)
    outcome: str = Field("", max_length=200)
    next_step: str = Field("", max_length=200)
    next_date: InDate | None = Field(None, description="不能早于今天")


class FollowUpOut(FollowUpIn):
    id: int


@router.get("/{int:pk}/follow-ups", response={200: list[FollowUpOut], **ERRORS}, summary="跟进记录")
def followup_list(request, pk: int):
    return list(selectors.lead_get(user=request.user, pk=pk).followups.all())


@router.post("/{int:pk}/follow-ups", response={201: FollowUpOut, **ERRORS}, summary="添加跟进记录")
def followup_create(request, pk: int, payload: FollowUpIn):
    lead = selectors.lead_get(user=request.user, pk=pk)
    return Status(201, services.followup_add(actor=request.user, lead=lead, data=payload.dict()))


class AssignIn(Schema):
    org_unit_id: int
    owner_id: int | None = None


@router.post("/{int:pk}/assign", response={200: LeadOut, **ERRORS}, summary="分派线索")
def lead_assign(request, pk: int, payload: AssignIn):
    lead = selectors.lead_get(user=request.user, pk=pk)
    unit = OrgUnit.objects.filter(pk=payload.org_unit_id, region_id=lead.region_id).first()
    if unit is None:
        raise ValidationFailed(fields={"org_unit_id": ["请选择本地区的单位"]})
    owner = User.objects.filter(pk=payload.owner_id).first() if payload.owner_id else None
    if payload.owner_id and owner is None:
        raise ValidationFailed(fields={"owner_id": ["人员不存在"]})
    return services.lead_assign(actor=request.user, lead=lead, unit=unit, owner=owner)


@router.post("/{int:pk}/claim", response={200: LeadOut, **ERRORS}, summary="从待分派池认领线索")
@requires(Cap.CLAIM_LEADS)
def lead_claim(request, pk: int):
    lead = Lead.objects.filter(pk=pk).first()
    if lead is None:
        raise NotFound()
    return services.lead_claim(actor=request.user, lead=lead)


class ConvertOut(Schema):
    project_id: int
    code: str
    stage: str


@router.post("/{int:pk}/convert", response={201: ConvertOut, **ERRORS}, summary="一键转为项目")
def lead_convert(request, pk: int):
    lead = selectors.lead_get(user=request.user, pk=pk)
    project = services.lead_convert(actor=request.user, lead=lead)
    return Status(201, {"project_id": project.pk, "code": project.code, "stage": project.stage.name})


routers = [("/leads", router)]
