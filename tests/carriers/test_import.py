"""Import kind ``carriers`` through the import engine (Excel), with bad rows reported; GeoJSON boundaries."""

import io
import json
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.carriers import geometry, services
from zhaoshang.carriers.models import Carrier
from zhaoshang.imports.writing import write_xlsx


def _import(actor, headers, rows, capture):
    from zhaoshang.imports import services as import_services

    buffer = io.BytesIO()
    write_xlsx(buffer, [("数据", headers, rows)])
    with capture(execute=True):
        job = import_services.import_start(
            actor=actor, kind="carriers", mode="valid_only", upload=SimpleUploadedFile("载体.xlsx", buffer.getvalue())
        )
    job.refresh_from_db()
    return job


def _square(lng, lat, d=0.001):
    ring = [[lng - d, lat - d], [lng + d, lat - d], [lng + d, lat + d], [lng - d, lat + d], [lng - d, lat - d]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_import_with_bad_rows_gcj02_and_idempotence(users, django_capture_on_commit_callbacks):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[120.2, 29.8], [120.21, 29.81], [120.21, 29.8], [120.2, 29.81], [120.2, 29.8]]],
    }
    glng, glat = geometry.wgs84_to_gcj02(120.3, 29.88)
    headers = [
        "名称",
        "类型",
        "编号",
        "所在镇街",
        "坐标系",
        "纬度",
        "经度",
        "边界（GeoJSON）",
        "面积（亩）",
        "联系电话",
    ]
    rows = [
        [
            "店口地块A",
            "工业用地",
            "DK-01",
            "店口镇",
            "",
            29.88,
            120.30,
            json.dumps(_square(120.3, 29.88)),
            80,
            "13812345678",
        ],
        ["店口地块B", "工业用地", "DK-02", "店口镇", "GCJ-02", round(glat, 6), round(glng, 6), "", 50, ""],
        ["自相交地块", "工业用地", "DK-03", "店口镇", "", "", "", json.dumps(bowtie), 30, ""],
        ["外县地块", "工业用地", "DK-04", "", "", 31.2, 121.4, "", 30, ""],
        ["无名镇地块", "工业用地", "DK-05", "不存在镇", "", "", "", "", 30, ""],
    ]
    job = _import(users["diankou"], headers, rows, django_capture_on_commit_callbacks)
    messages = {e["row"]: e["message"] for e in job.errors}
    assert messages[4] == "边界自相交"
    assert messages[5].startswith("位置不在本县范围内")
    assert messages[6] == "镇街“不存在镇”不是本地区的镇街或开发区"
    assert job.created_count == 2
    a, b = Carrier.objects.get(code="DK-01"), Carrier.objects.get(code="DK-02")
    assert a.boundary["type"] == "Polygon" and a.boundary_mu > 0 and a.contact_phone_masked == "138****5678"
    assert abs(float(b.latitude) - 29.88) < 1e-5 and abs(float(b.longitude) - 120.30) < 1e-5  # converted to WGS-84
    again = _import(users["diankou"], headers, rows[:2], django_capture_on_commit_callbacks)
    assert again.created_count == 0 and again.unchanged_count == 2
    assert Carrier.objects.count() == 2


def test_geojson_boundaries_by_code(users, make_carrier):
    make_carrier(code="DK-01")
    other = make_carrier(actor=users["datang"], name="大唐地块", code="DT-01")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "DK-01"}, "geometry": _square(120.3, 29.88)},
            {"type": "Feature", "properties": {"code": "DT-01"}, "geometry": _square(120.15, 29.64)},
            {"type": "Feature", "properties": {"code": "DK-01"}, "geometry": _square(121.5, 29.88)},
        ],
    }
    result = services.boundaries_import(actor=users["diankou"], collection=collection)
    assert result["updated"] == 1
    assert [(e["feature"], e["message"]) for e in result["errors"]] == [
        (2, "没有您可修改的编号或名称为“DT-01”的载体"),
        (3, "边界超出本县范围"),
    ]
    other.refresh_from_db()
    mine = Carrier.objects.get(code="DK-01")
    assert other.boundary is None and other.version == 1
    assert mine.boundary["type"] == "Polygon" and mine.boundary_mu > Decimal("0") and mine.version == 2
