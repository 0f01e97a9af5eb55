"""Pages: one list per kind, detail with m² beside 亩 and the area warning, reservation through the page, the
phone reveal (audited), the map, the match page, the overview; navigation."""

from decimal import Decimal

from zhaoshang.carriers.models import CarrierReservation
from zhaoshang.core.models import SecurityEvent


def test_kind_lists_and_detail(users, make_carrier, client_for):
    parcel = make_carrier(contact_phone="13812345678")
    factory = make_carrier(kind="factory", name="标准厂房1号楼", area_mu=None, floor_area_m2=Decimal("5000"))
    client = client_for(users["datang"])
    parcels = client.get("/carriers/kind/parcel/")
    assert [row[0].pk for row in parcels.context["rows"]] == [parcel.pk]
    assert parcels.context["model_name"] == "工业用地"
    assert [row[0].pk for row in client.get("/carriers/kind/factory/").context["rows"]] == [factory.pk]
    assert client.get("/carriers/kind/nothing/").status_code == 404
    detail = client.get(f"/carriers/{parcel.pk}/").content.decode()
    assert "80.00 亩（约 53334 ㎡）" in detail
    assert "138****5678" in detail and "13812345678" not in detail


def test_reveal_is_audited(users, make_carrier, client_for):
    carrier = make_carrier(contact_phone="13812345678")
    response = client_for(users["datang"]).post(f"/carriers/{carrier.pk}/reveal/")
    assert response.content.decode() == "13812345678"
    event = SecurityEvent.objects.filter(kind="reveal").latest("id")
    assert event.success and event.detail == {"carrier_id": carrier.pk}
    refused = client_for(users["zrzy"]).post(f"/carriers/{carrier.pk}/reveal/")  # 部门经办人 may not reveal
    assert refused.status_code == 403


def test_reserve_and_approve_through_the_page(users, make_carrier, make_project, client_for):
    carrier = make_carrier()
    project = make_project(actor=users["datang"])
    response = client_for(users["datang"]).post(
        f"/carriers/{carrier.pk}/reserve/", {"project": project.pk, "until": "2099-01-01", "note": ""}
    )
    assert response.status_code == 302
    assert not CarrierReservation.objects.exists()  # beyond the 180-day limit: refused, nothing written
    from datetime import timedelta

    from django.utils import timezone

    until = (timezone.localdate() + timedelta(days=20)).isoformat()
    client_for(users["datang"]).post(f"/carriers/{carrier.pk}/reserve/", {"project": project.pk, "until": until})
    reservation = CarrierReservation.objects.get()
    page = client_for(users["diankou"]).get(f"/carriers/{carrier.pk}/").content.decode()
    assert 'data-testid="approve"' in page
    client_for(users["diankou"]).post(f"/carriers/{carrier.pk}/approve/", {"reservation": reservation.pk})
    reservation.refresh_from_db()
    assert reservation.status == "active"


def test_map_match_and_overview_pages(users, make_carrier, make_project, client_for, api_for):
    carrier = make_carrier(
        boundary={
            "type": "Polygon",
            "coordinates": [[[120.3, 29.88], [120.301, 29.88], [120.301, 29.881], [120.3, 29.88]]],
        }
    )
    make_carrier(name="大唐地块", latitude=Decimal("29.64"), longitude=Decimal("120.15"), status="taken")
    client = client_for(users["datang"])
    assert client.get("/carriers/map/").status_code == 200
    data = api_for(users["datang"]).get("/api/v1/carriers/map", {"status": "available"}).json()
    assert data["type"] == "FeatureCollection"
    assert [(f["id"], f["geometry"]["type"]) for f in data["features"]] == [(carrier.pk, "Polygon")]
    assert data["features"][0]["properties"]["area_mu"] == 80.0
    project = make_project(actor=users["datang"], land_mu=Decimal("60"))
    lit = client.get("/carriers/map/", {"project": project.pk})
    assert lit.context["map_config"]["highlight"] == [carrier.pk]
    assert (
        client.get("/carriers/match/", {"land_mu": "60", "submitted": "1"})
        .context["run"]
        .results["candidates"][0]["carrier"]["id"]
        == carrier.pk
    )
    overview = client.get("/carriers/overview/")
    assert overview.status_code == 200
    assert any(r["town"] == "未指定" and r["available"] == Decimal("80.00") for r in overview.context["supply"])
    project_page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f"/carriers/match/?project={project.pk}" in project_page


def test_navigation_lists_every_kind(users, client_for):
    page = client_for(users["datang"]).get("/carriers/").content.decode()
    for label in ("工业用地", "标准厂房", "楼宇", "园区", "低效用地", "招商地图", "要素匹配"):
        assert label in page


def test_administrator_settings_validate_boundaries_and_keep_the_key_encrypted(users, county, client_for):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.carriers.models import CarrierSettings

    def upload(collection):
        return SimpleUploadedFile("towns.geojson", json.dumps(collection).encode(), content_type="application/geo+json")

    square = [[120.2, 29.8], [120.25, 29.8], [120.25, 29.85], [120.2, 29.85], [120.2, 29.8]]
    outside = [[121.2, 29.8], [121.25, 29.8], [121.25, 29.85], [121.2, 29.85], [121.2, 29.8]]

    def collection(ring):
        feature = {
            "type": "Feature",
            "properties": {"name": "店口镇"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        return {"type": "FeatureCollection", "features": [feature]}

    client = client_for(users["sysadmin"])
    bad = client.post("/carriers/settings/", {"town_boundaries": upload(collection(outside)), "schematic": "on"})
    assert bad.status_code == 200 and "店口镇：边界超出本县范围" in bad.content.decode()
    assert not CarrierSettings.objects.exists() or CarrierSettings.objects.get().town_boundaries is None
    tiles = "http://127.0.0.1:8080/{z}/{x}/{y}.png"
    ok = client.post(
        "/carriers/settings/",
        {
            "town_boundaries": upload(collection(square)),
            "tile_url": tiles,
            "tianditu_key": "abc123secret",
            "schematic": "on",
        },
    )
    assert ok.status_code == 302
    settings = CarrierSettings.objects.get()
    assert settings.town_boundaries["features"][0]["properties"]["name"] == "店口镇"
    assert settings.tianditu_key_cipher.startswith("sm4gcm2:") and "abc123secret" not in settings.tianditu_key_cipher
    page = client_for(users["datang"]).get("/carriers/map/")
    assert page.context["map_config"]["base_layer"] == {"url": tiles}
    assert "img-src 'self' data: http://127.0.0.1:8080" in page["Content-Security-Policy"]
    assert client_for(users["datang"]).get("/carriers/settings/").status_code == 403


def test_cockpit_shows_the_carriers_section(users, make_carrier, client_for):
    make_carrier(kind="redevelop", name="低效用地1号", area_mu="20")
    page = client_for(users["leader"]).get("/stats/cockpit/")
    section = next(s for s in page.context["sections"] if s["template"] == "carriers/_cockpit.html")
    assert section["data"]["redevelopment"] == {"count": 1, "area": Decimal("20.00")}
    assert 'data-testid="cockpit-carriers"' in page.content.decode()
