"""A county's 载体库 settings (system administrator): the land authority, the map's optional base layer
(a local tile server or 天地图 with its key, kept SM4-encrypted like every secret field), the town boundaries
(GeoJSON validated with shapely), and the 标准地 indicator set."""

from django.db import transaction
from shapely.geometry import box, shape

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.crypto import sm4_encrypt
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap

from .. import geometry
from ..models import CarrierSettings, LandIndicator

# The default 标准地 set (浙江 “标准地” practice); a county edits it.
DEFAULT_INDICATORS = [
    ("investment", "投资强度", "万元/亩", "min", "investment_per_mu"),
    ("tax", "亩均税收", "万元/亩/年", "min", "tax_per_mu"),
    ("output", "亩均产值", "万元/亩/年", "min", "output_per_mu"),
    ("plot_ratio", "容积率", "", "min", ""),
    ("energy", "单位能耗", "吨标煤/万元", "max", ""),
    ("emission", "单位排放", "吨/万元", "max", ""),
    ("rnd", "研发经费占比", "%", "min", ""),
]


def ensure_indicators(region_id: int) -> list[LandIndicator]:
    if not LandIndicator.objects.filter(region_id=region_id).exists():
        LandIndicator.objects.bulk_create(
            [
                LandIndicator(region_id=region_id, code=c, name=n, unit=u, direction=d, source=s, order=i)
                for i, (c, n, u, d, s) in enumerate(DEFAULT_INDICATORS)
            ],
            ignore_conflicts=True,
        )
    return list(LandIndicator.objects.filter(region_id=region_id))


def settings_for_write(region_id: int) -> CarrierSettings:
    config, _ = CarrierSettings.objects.get_or_create(region_id=region_id)
    return CarrierSettings.objects.select_for_update().get(pk=config.pk)


def _require_admin(actor) -> None:
    if not actor.has_capability(Cap.MANAGE_SETTINGS) or actor.org_unit_id is None:
        raise PermissionDenied("只有系统管理员可以修改载体库设置")


def town_boundaries_problem(collection: dict) -> str | None:
    """Why a town-boundary FeatureCollection cannot be used, or None."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return "须为 GeoJSON FeatureCollection"
    features = collection.get("features") or []
    if not features:
        return "没有任何镇街边界"
    county = box(*geometry.county_bbox())
    for i, feature in enumerate(features, start=1):
        name = (feature.get("properties") or {}).get("name")
        if not name:
            return f"第 {i} 个要素缺少 name 属性（镇街名称）"
        problem = geometry.boundary_problem(feature.get("geometry"))
        if problem:
            return f"{name}：{problem}"
        if not county.contains(shape(feature["geometry"])):
            return f"{name}：边界超出本县范围"
    return None


def carrier_settings_update(
    *,
    actor,
    data: dict,
    tianditu_key: str | None = None,
    town_boundaries: dict | None = None,
    schematic: bool | None = None,
) -> CarrierSettings:
    _require_admin(actor)
    if town_boundaries is not None:
        problem = town_boundaries_problem(town_boundaries)
        if problem:
            raise ValidationFailed(problem, fields={"town_boundaries": [problem]})
    tile_url = data.get("tile_url")
    if tile_url and not tile_url.startswith(
        ("http://127.0.0.1", "http://localhost", "/", "https://t0.tianditu.gov.cn", "http://t0.tianditu.gov.cn")
    ):
        raise ValidationFailed(
            fields={"tile_url": ["瓦片地址须为本机/内网地址（以 / 或 http://127.0.0.1 开头）或天地图地址"]}
        )
    with transaction.atomic():
        config = settings_for_write(actor.org_unit.region_id)
        before = snapshot(config)
        for name in ("tile_url", "land_authority"):
            if name in data:
                setattr(config, name, data[name])
        if tianditu_key is not None:
            config.tianditu_key_cipher = sm4_encrypt(tianditu_key) if tianditu_key else ""
        if town_boundaries is not None:
            config.town_boundaries = town_boundaries
        if schematic is not None:
            config.boundaries_schematic = schematic
        config.save()
        log_change(actor=actor, obj=config, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(config))
    return config
