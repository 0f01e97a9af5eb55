"""Geometry: boundary validation (valid, inside the county box, ≤ 10,000 vertices), area in EPSG:4549 beside the
declared area (> 5 % warning), GCJ-02 → WGS-84, and the boundary API."""

import math
from decimal import Decimal

import pytest

from zhaoshang.carriers import geometry
from zhaoshang.carriers.models import Carrier
from zhaoshang.core.errors import ValidationFailed


def square(lng, lat, half_deg):
    ring = [
        [lng - half_deg, lat - half_deg],
        [lng + half_deg, lat - half_deg],
        [lng + half_deg, lat + half_deg],
        [lng - half_deg, lat + half_deg],
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_boundary_problems_are_named():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[120.2, 29.8], [120.21, 29.81], [120.21, 29.8], [120.2, 29.81], [120.2, 29.8]]],
    }
    assert geometry.boundary_problem(bowtie) == "边界自相交"
    assert geometry.boundary_problem(square(121.0, 29.8, 0.001)) == "边界超出本县范围"
    n = 10_001
    ring = [
        [120.2 + 0.01 * math.cos(2 * math.pi * i / n), 29.8 + 0.01 * math.sin(2 * math.pi * i / n)] for i in range(n)
    ]
    assert (
        geometry.boundary_problem({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
        == "边界顶点过多：10002 个，上限 10000 个"
    )
    assert (
        geometry.boundary_problem({"type": "Point", "coordinates": [120.2, 29.8]})
        == "边界须为 GeoJSON 面（Polygon 或 MultiPolygon）"
    )
    assert geometry.boundary_problem(square(120.2, 29.8, 0.001)) is None


def test_area_in_projected_crs_and_warning():
    # 200 m × 200 m at 29.8°N: 40,000 m² = 60.0 亩
    half_lat = 100 / 110_850
    half_lng = 100 / (111_320 * math.cos(math.radians(29.8)))
    ring = [
        [120.2 - half_lng, 29.8 - half_lat],
        [120.2 + half_lng, 29.8 - half_lat],
        [120.2 + half_lng, 29.8 + half_lat],
        [120.2 - half_lng, 29.8 + half_lat],
    ]
    area = geometry.area_mu({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    assert abs(area - Decimal("60.0")) < Decimal("0.5"), area
    assert geometry.area_warning(Decimal("60"), area) is None
    warning = geometry.area_warning(Decimal("50"), Decimal("60"))
    assert warning == "边界计算面积 60 亩与登记面积 50 亩相差 20.0%（超过 5%），请核对"


def test_gcj02_round_trip_and_known_offset():
    lng, lat = 120.2345, 29.7123
    glng, glat = geometry.wgs84_to_gcj02(lng, lat)
    assert (
        0.003 < glng - lng < 0.006 and -0.004 < glat - lat < 0.0
    )  # the offset in this region: ~450 m east, ~250 m south
    back = geometry.gcj02_to_wgs84(glng, glat)
    assert abs(back[0] - lng) < 1e-7 and abs(back[1] - lat) < 1e-7


def test_boundary_api_sets_area_and_warns(users, make_carrier, api_for):
    carrier = make_carrier(area_mu=Decimal("40"))
    api = api_for(users["diankou"])
    response = api.put(
        f"/api/v1/carriers/{carrier.pk}/boundary",
        {"boundary": square(120.30, 29.88, 0.001), "version": carrier.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert Decimal(body["boundary_mu"]) > Decimal("60") and "超过 5%" in body["warning"]
    carrier.refresh_from_db()
    assert carrier.boundary["type"] == "Polygon" and carrier.version == 2


def test_bad_boundary_refused_and_changes_nothing(users, make_carrier, api_for):
    carrier = make_carrier()
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[120.2, 29.8], [120.21, 29.81], [120.21, 29.8], [120.2, 29.81], [120.2, 29.8]]],
    }
    response = api_for(users["diankou"]).put(
        f"/api/v1/carriers/{carrier.pk}/boundary", {"boundary": bowtie, "version": 1}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["fields"] == {"boundary": ["边界自相交"]}
    assert Carrier.objects.get(pk=carrier.pk).version == 1
    other = api_for(users["datang"]).put(
        f"/api/v1/carriers/{carrier.pk}/boundary",
        {"boundary": square(120.3, 29.88, 0.001), "version": 1},
        content_type="application/json",
    )
    assert other.status_code == 404


def test_position_outside_county_is_refused(users):
    from zhaoshang.carriers import services

    with pytest.raises(ValidationFailed) as refused:
        services.carrier_create(
            actor=users["diankou"],
            data={"kind": "parcel", "name": "外县地块", "latitude": Decimal("31.2"), "longitude": Decimal("121.4")},
        )
    assert refused.value.fields["latitude"][0].startswith("位置不在本县范围内")
    assert not Carrier.all_objects.exists()
