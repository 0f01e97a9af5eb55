"""Geometry rules of the 载体库: positions and boundaries in WGS-84 (CGCS2000 is within centimetres of it),
validated with shapely, areas computed with pyproj in the projected CGCS2000 / 3-degree Gauss-Kruger CM 120E
(EPSG:4549, the county's zone), and the explicit GCJ-02 → WGS-84 conversion for files declared in GCJ-02.

The GCJ-02 offset is the well-known published approximation (the ``eviltransform`` formulas); the inverse is
solved by fixed-point iteration to < 1e-7° (~1 cm), since GCJ-02 has no closed-form inverse.
"""

import math
from decimal import Decimal
from functools import lru_cache

import shapely
from django.conf import settings
from shapely.geometry import Point, box, mapping, shape
from shapely.validation import explain_validity

from zhaoshang.core.errors import ValidationFailed

from .models import M2_PER_MU

MAX_VERTICES = 10_000
AREA_WARNING_SHARE = Decimal("0.05")
# (west, south, east, north) of the demo county; a deployment sets ZHAOSHANG_COUNTY_BBOX.
DEFAULT_BBOX = (119.95, 29.5, 120.5, 29.95)


def county_bbox() -> tuple[float, float, float, float]:
    return tuple(getattr(settings, "ZHAOSHANG_COUNTY_BBOX", DEFAULT_BBOX))


@lru_cache(maxsize=1)
def _to_projected():
    from pyproj import Transformer  # lazy: loading PROJ's database costs ~50 ms, only geometry writes need it

    return Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)


def check_point(latitude, longitude) -> None:
    """A position inside the county's box, or a ``ValidationFailed`` naming the field."""
    west, south, east, north = county_bbox()
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationFailed(fields={"latitude": ["经纬度须同时填写"]})
    if not (south <= float(latitude) <= north and west <= float(longitude) <= east):
        raise ValidationFailed(fields={"latitude": [f"位置不在本县范围内（纬度 {south}–{north}，经度 {west}–{east}）"]})


def _count_vertices(geom) -> int:
    if geom.geom_type == "Polygon":
        return len(geom.exterior.coords) + sum(len(r.coords) for r in geom.interiors)
    return sum(_count_vertices(part) for part in geom.geoms)


def boundary_problem(geometry: dict) -> str | None:
    """Why ``geometry`` (a GeoJSON Polygon/MultiPolygon in WGS-84) cannot be a boundary, or None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "边界须为 GeoJSON 面（Polygon 或 MultiPolygon）"
    try:
        geom = shape(geometry)
    except Exception:  # shapely raises several types for malformed coordinates
        return "边界坐标格式有误"
    if geom.is_empty:
        return "边界为空"
    vertices = _count_vertices(geom)
    if vertices > MAX_VERTICES:
        return f"边界顶点过多：{vertices} 个，上限 {MAX_VERTICES} 个"
    if not geom.is_valid:
        reason = explain_validity(geom)
        if "Self-intersection" in reason:
            return "边界自相交"
        return f"边界无效：{reason}"
    if not box(*county_bbox()).contains(geom):
        return "边界超出本县范围"
    return None


def area_mu(geometry: dict) -> Decimal:
    """The polygon's area in 亩, computed in EPSG:4549."""
    projected = shapely.transform(shape(geometry), _to_projected().transform, interleaved=False)
    return (Decimal(str(projected.area)) / M2_PER_MU).quantize(Decimal("0.01"))


def validated_boundary(geometry: dict | None) -> tuple[dict | None, Decimal | None]:
    """(normalised GeoJSON, its area in 亩) or ``ValidationFailed`` with the reason on ``boundary``."""
    if geometry is None:
        return None, None
    problem = boundary_problem(geometry)
    if problem:
        raise ValidationFailed(problem, fields={"boundary": [problem]})
    return mapping(shape(geometry)), area_mu(geometry)


def area_warning(declared: Decimal | None, computed: Decimal | None) -> str | None:
    """The warning shown when the declared area and the boundary's area differ by more than 5 %."""
    if not declared or not computed:
        return None
    gap = abs(computed - declared) / declared
    if gap <= AREA_WARNING_SHARE:
        return None
    return f"边界计算面积 {computed} 亩与登记面积 {declared} 亩相差 {gap * 100:.1f}%（超过 5%），请核对"


def centroid(geometry: dict) -> tuple[Decimal, Decimal]:
    """(latitude, longitude) of a point inside the polygon."""
    point = shape(geometry).representative_point()
    return Decimal(f"{point.y:.6f}"), Decimal(f"{point.x:.6f}")


def distance_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine); enough for ranking sites inside one county."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def inside_box(latitude, longitude) -> bool:
    west, south, east, north = county_bbox()
    return box(west, south, east, north).contains(Point(float(longitude), float(latitude)))


# --- GCJ-02 ------------------------------------------------------------------------------------------

_A = 6378245.0
_EE = 0.00669342162296594323


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lon, lat), by iteration (converges in a few steps)."""
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        if abs(dlon) < 1e-9 and abs(dlat) < 1e-9:
            break
        wlon, wlat = wlon - dlon, wlat - dlat
    return wlon, wlat


def geometry_from_gcj02(geometry: dict) -> dict:
    """A GeoJSON geometry with every coordinate converted from GCJ-02 to WGS-84."""

    def convert(coords):
        if coords and isinstance(coords[0], (int, float)):
            lon, lat = gcj02_to_wgs84(float(coords[0]), float(coords[1]))
            return [round(lon, 8), round(lat, 8)]
        return [convert(c) for c in coords]

    return {**geometry, "coordinates": convert(geometry.get("coordinates") or [])}
