"""Import of carriers from Excel/CSV (kind ``carriers``): the columns a site officer fills, the position in WGS-84
or — declared in the 坐标系 column — GCJ-02, converted explicitly; a boundary as GeoJSON geometry text (the
FeatureCollection upload of boundaries is ``services.boundaries_import``). A bad position or boundary is a row
error with its reason. Rows are keyed by 编号 (else name) within the county: a second import updates."""

import json
from decimal import Decimal
from typing import Any

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import parsers
from zhaoshang.core.errors import ApplicationError
from zhaoshang.imports.engine import (
    CellError,
    Column,
    Importer,
    ParsedRow,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_text,
    register,
)

from . import geometry, services
from .models import Carrier

CRS_CHOICES = [("wgs84", "WGS-84"), ("cgcs2000", "CGCS2000"), ("gcj02", "GCJ-02")]


def _boundary(value: str) -> dict:
    """GeoJSON geometry text (or a Feature); the shape is checked in ``check_row``, after any GCJ-02 conversion."""
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise CellError("边界不是有效的 GeoJSON") from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise CellError("边界须为 GeoJSON 面（Polygon 或 MultiPolygon）")
    return data


def _shown(value):
    return str(value) if isinstance(value, OrgUnit) else value


class CarrierImporter(Importer):
    kind = "carriers"
    label = "载体"
    columns = [
        Column("name", "名称", required=True, parse=parse_text(120), example="店口镇工业地块01"),
        Column(
            "kind",
            "类型",
            required=True,
            help="工业用地、标准厂房、楼宇、园区、低效用地",
            parse=parse_choice(Carrier.Kind.choices),
            example="工业用地",
        ),
        Column("code", "编号", help="地块编号或宗地号；作为导入的识别依据", parse=parse_text(40), example="DK-2026-01"),
        Column("town", "所在镇街", help="本地区镇街或开发区名称", parse=parse_text(100), example="店口镇"),
        Column("address", "地址", parse=parse_text(200)),
        Column(
            "crs",
            "坐标系",
            help="WGS-84（默认）、CGCS2000 或 GCJ-02（将换算为 WGS-84）",
            parse=parse_choice(CRS_CHOICES),
            example="WGS-84",
        ),
        Column("latitude", "纬度", parse=parse_decimal(places=6), example="29.88"),
        Column("longitude", "经度", parse=parse_decimal(places=6), example="120.30"),
        Column("boundary", "边界（GeoJSON）", help="Polygon 几何的 GeoJSON 文本", parse=_boundary),
        Column("area_mu", "面积（亩）", parse=parse_decimal(), example="80"),
        Column(
            "status",
            "状态",
            help="可供、洽谈中、已预留、已出让/已出租、暂不可用",
            parse=parse_choice(Carrier.Status.choices),
            example="可供",
        ),
        Column("price_wan_per_mu", "起始价（万元/亩）", parse=parse_decimal()),
        Column("rent_yuan_m2_month", "租金（元/㎡/月）", parse=parse_decimal()),
        Column("available_from", "可供日期", parse=parse_date),
        Column("power_kva", "供电容量（千伏安）", parse=parse_decimal(places=0)),
        Column("floor_area_m2", "建筑面积（㎡）", parse=parse_decimal()),
        Column("clear_height_m", "层高/净高（米）", parse=parse_decimal()),
        Column("floor_load_kn", "楼面荷载（kN/㎡）", parse=parse_decimal()),
        Column("industry_focus", "产业定位", parse=parse_text(100)),
        Column("contact_name", "联系人", parse=parse_text(50)),
        Column("contact_phone", "联系电话", help=parsers.PHONE_HINT, parse=parsers.phone),
    ]
    instructions = [
        "第 1 行为列标题，请勿修改；每行一个载体，带 * 的列必填。",
        "坐标默认为 WGS-84（CGCS2000）；GCJ-02 坐标须在“坐标系”列注明，导入时换算为 WGS-84，不会自动猜测。",
        "边界自相交、超出本县范围或顶点超过 10000 个的行会报错并说明原因。",
        "重复导入同一文件不会重复登记：编号（无编号时为名称）相同的视为同一载体，导入为更新。",
    ]

    def prepare(self) -> None:
        self._towns: dict[int, dict[str, OrgUnit]] = {}

    def check_row(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        if data.get("crs") == "gcj02":
            if data.get("latitude") is not None and data.get("longitude") is not None:
                lng, lat = geometry.gcj02_to_wgs84(float(data["longitude"]), float(data["latitude"]))
                data["latitude"], data["longitude"] = Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")
            if data.get("boundary"):
                data["boundary"] = geometry.geometry_from_gcj02(data["boundary"])
        if data.get("boundary"):
            problem = geometry.boundary_problem(data["boundary"])
            if problem:
                return [("boundary", problem)]
        if data.get("latitude") is not None or data.get("longitude") is not None:
            try:
                geometry.check_point(data.get("latitude"), data.get("longitude"))
            except ApplicationError as exc:
                return [("latitude", exc.fields["latitude"][0])]
        return []

    def row_key(self, data: dict[str, Any]) -> str:
        return (data.get("code") or "").strip() or f"name:{data['name'].strip()}"

    def match(self, job, actor, rows: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
        region = job.org_unit.region_id
        towns = {u.name: u for u in OrgUnit.objects.filter(region_id=region, kind__in=["town", "zone"])}
        existing = {}
        for carrier in Carrier.objects.filter(region_id=region):
            existing.setdefault(carrier.code or f"name:{carrier.name}", carrier)
        writable = set(Carrier.objects.restrict(actor, "change").values_list("pk", flat=True))
        problems = []
        for row in rows:
            town = row.data.get("town")
            if town and town not in towns:
                problems.append((row, "town", f"镇街“{town}”不是本地区的镇街或开发区"))
                continue
            row.data["town"] = towns.get(town) if town else None
            row.data.pop("crs", None)
            if row.data.get("power_kva") is not None:
                row.data["power_kva"] = int(row.data["power_kva"])
            carrier = existing.get(row.key)
            if carrier is not None:
                if carrier.pk not in writable:
                    problems.append((row, "name", f"载体“{carrier.name}”属于{carrier.org_unit}，您不能修改"))
                    continue
                row.existing = carrier
                row.diff = {
                    k: (_shown(getattr(carrier, k)), _shown(v))
                    for k, v in row.data.items()
                    if k not in ("contact_phone", "boundary") and v not in (None, "") and getattr(carrier, k) != v
                }
        return problems

    def write(self, job, actor, creates: list[ParsedRow], updates: list[ParsedRow]) -> None:
        for row in creates:
            data = {k: v for k, v in row.data.items() if v not in (None, "")}
            try:
                services.carrier_create(actor=actor, data=data)
            except ApplicationError as exc:
                raise CellError(f"第 {row.row} 行：{exc.message}") from exc
        for row in updates:
            data = {
                k: v
                for k, v in row.data.items()
                if v not in (None, "") and (k in row.diff or k in ("boundary", "contact_phone"))
            }
            if data:
                try:
                    services.carrier_update(actor=actor, carrier=row.existing, data=data, version=row.existing.version)
                except ApplicationError as exc:
                    raise CellError(f"第 {row.row} 行：{exc.message}") from exc


register(CarrierImporter())
