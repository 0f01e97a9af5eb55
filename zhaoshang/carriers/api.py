from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.refs import Ref, resolve_refs, user_region
from zhaoshang.api.schemas import ERRORS, ErrorOut, InDate, Phone
from zhaoshang.core.scope import CHANGE

from . import selectors, services
from .filters import CarrierFilter
from .models import Carrier
from .services import matching as match_services

router = Router(tags=["载体库"])


class CarrierOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    status: str
    parent_id: int | None
    town_id: int | None
    address: str
    latitude: Decimal | None = Field(description="WGS-84")
    longitude: Decimal | None = Field(description="WGS-84")
    boundary: dict | None = Field(description="GeoJSON 面（WGS-84）")
    boundary_mu: Decimal | None = Field(description="边界计算面积（亩，EPSG:4549）")
    area_mu: Decimal | None = Field(description="亩")
    area_m2: Decimal | None = Field(description="平方米（1 亩 = 666.67 ㎡）")
    land_use: str
    plot_ratio_min: Decimal | None
    plot_ratio_max: Decimal | None
    price_wan_per_mu: Decimal | None = Field(description="万元/亩")
    rent_yuan_m2_month: Decimal | None = Field(description="元/㎡/月")
    available_from: date | None
    is_standard_land: bool
    industry_focus: str
    power_kva: int | None
    floor_area_m2: Decimal | None
    clear_height_m: Decimal | None
    floor_load_kn: Decimal | None
    contact_name: str
    contact_phone: str = Field(description="掩码")
    project_id: int | None
    org_unit_id: int
    version: int

    @staticmethod
    def resolve_contact_phone(obj) -> str:
        return obj.contact_phone_masked


class CarrierIn(Schema):
    kind: Carrier.Kind
    name: str = Field(min_length=1, max_length=120)
    code: str = Field("", max_length=40)
    status: Carrier.Status = Carrier.Status.AVAILABLE
    parent_id: int | None = None
    town_id: int | None = None
    address: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    boundary: dict | None = None
    area_mu: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    land_use: Carrier.LandUse | None = None
    price_wan_per_mu: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    rent_yuan_m2_month: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    available_from: InDate | None = None
    is_standard_land: bool = False
    industry_focus: str = Field("", max_length=100)
    power_kva: int | None = Field(None, ge=0)
    floor_area_m2: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    clear_height_m: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=2)
    floor_load_kn: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=2)
    contact_name: str = Field("", max_length=50)
    contact_phone: Phone = Field("", max_length=30)
    note: str = Field("", max_length=5000)


class CarrierPatch(CarrierIn):
    kind: Carrier.Kind | None = None
    name: str | None = Field(None, min_length=1, max_length=120)
    status: Carrier.Status | None = None
    contact_phone: Phone | None = Field(None, max_length=30)
    version: int


def _refs(user, data: dict[str, Any]) -> dict[str, Any]:
    region = user_region(user)
    if data.get("land_use") is None:
        data.pop("land_use", None)
    return resolve_refs(
        data,
        (
            Ref("town_id", OrgUnit.objects.filter(region_id=region, kind__in=["town", "zone"]), "镇街/园区不存在"),
            Ref(
                "parent_id",
                Carrier.objects.filter(region_id=region, kind__in=[Carrier.Kind.PARK, Carrier.Kind.BUILDING]),
                "上级园区/楼宇不存在",
            ),
        ),
    )


list_endpoint(
    router,
    selector=selectors.carrier_list,
    filterset=CarrierFilter,
    out=CarrierOut,
    summary="载体列表（kind、status、org_unit、town、min_mu、max_mu）",
    name="carrier_list",
)


@router.get(
    "/map",
    response={200: dict, **ERRORS},
    url_name="carrier_map",
    summary="地图数据：GeoJSON FeatureCollection（点与地块面）",
)
def carrier_map(request):
    body = selectors.map_geojson(user=request.user, filters=request.GET)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get("/{int:pk}", response={200: CarrierOut, **ERRORS}, summary="载体详情")
def carrier_get(request, pk: int):
    return selectors.carrier_get(user=request.user, pk=pk)


@router.post("", response={201: CarrierOut, 422: ErrorOut, **ERRORS}, summary="登记载体")
def carrier_create(request, payload: CarrierIn):
    data = _refs(request.user, payload.dict())
    return Status(201, services.carrier_create(actor=request.user, data=data))


@router.patch("/{int:pk}", response={200: CarrierOut, 409: ErrorOut, **ERRORS}, summary="修改载体（需带 version）")
def carrier_update(request, pk: int, payload: CarrierPatch):
    carrier = selectors.carrier_get(user=request.user, pk=pk, action=CHANGE)
    data = _refs(request.user, payload.dict(exclude_unset=True, exclude={"version"}))
    return services.carrier_update(actor=request.user, carrier=carrier, data=data, version=payload.version)


class CarrierBoundaryIn(Schema):
    boundary: dict | None = Field(description="GeoJSON Polygon/MultiPolygon，WGS-84；null 清除")
    version: int


class CarrierBoundaryOut(Schema):
    id: int
    version: int
    boundary_mu: Decimal | None
    area_mu: Decimal | None
    warning: str | None


@router.put(
    "/{int:pk}/boundary", response={200: CarrierBoundaryOut, 409: ErrorOut, **ERRORS}, summary="绘制或修改地块边界"
)
def carrier_boundary(request, pk: int, payload: CarrierBoundaryIn):
    carrier = selectors.carrier_get(user=request.user, pk=pk, action=CHANGE)
    updated, warning = services.carrier_set_boundary(
        actor=request.user, carrier=carrier, boundary=payload.boundary, version=payload.version
    )
    return {
        "id": updated.pk,
        "version": updated.version,
        "boundary_mu": updated.boundary_mu,
        "area_mu": updated.area_mu,
        "warning": warning,
    }


class CarrierMatchIn(Schema):
    project_id: int | None = None
    lead_id: int | None = None
    land_mu: Decimal | None = Field(None, ge=0)
    floor_area_m2: Decimal | None = Field(None, ge=0)
    power_kva: int | None = Field(None, ge=0)
    clear_height_m: Decimal | None = Field(None, ge=0)
    floor_load_kn: Decimal | None = Field(None, ge=0)
    industry: str | None = Field(None, max_length=5)
    budget_wan_per_mu: Decimal | None = Field(None, ge=0)
    town: str | None = Field(None, max_length=30)
    accept_standard: bool = True


class CarrierMatchCarrier(Schema):
    id: int
    name: str
    kind: str
    org_unit: str


class CarrierMatchFactor(Schema):
    name: str
    points: float
    max: float


class CarrierMatchCandidate(Schema):
    carrier: CarrierMatchCarrier
    score: float = Field(description="0–100")
    factors: list[CarrierMatchFactor]
    reasons: list[str]


class CarrierMatchRejected(Schema):
    carrier: CarrierMatchCarrier
    reasons: list[str]


class CarrierMatchOut(Schema):
    run_id: int
    rules_version: str
    candidates: list[CarrierMatchCandidate]
    rejected: list[CarrierMatchRejected]
    rejected_count: int


@router.post(
    "/match", response={200: CarrierMatchOut, 422: ErrorOut, **ERRORS}, summary="要素匹配：按需求排序候选载体并说明原因"
)
def carrier_match(request, payload: CarrierMatchIn):
    data = payload.dict()
    project_id, lead_id = data.pop("project_id"), data.pop("lead_id")
    run = match_services.match_run(actor=request.user, needs=data, project_id=project_id, lead_id=lead_id)
    return {"run_id": run.pk, "rules_version": run.rules_version, **run.results}


routers = [("/carriers", router)]
