"""The 招商地图 in a browser: markers, a filter, a card on click, a project's candidates lit up — and not one
request to any host other than the test server (the map is offline by default)."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from tests.factories import PASSWORD, make_county, make_user
from zhaoshang.carriers import services
from zhaoshang.carriers.services import config
from zhaoshang.projects import services as project_services
from zhaoshang.projects.stages import ensure_default_stages

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    county = make_county()
    ensure_default_stages(county.root)
    officer = make_user("diankou", "officer", county.diankou, full_name="何海峰")
    admin = make_user("sysadmin", "sysadmin", county.center)
    half = 0.02
    boundaries = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "店口镇"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [120.28 - half, 29.86 - half],
                            [120.32 + half, 29.86 - half],
                            [120.32 + half, 29.9 + half],
                            [120.28 - half, 29.9 + half],
                            [120.28 - half, 29.86 - half],
                        ]
                    ],
                },
            }
        ],
    }
    config.carrier_settings_update(actor=admin, data={}, town_boundaries=boundaries, schematic=True)
    for i in range(24):
        services.carrier_create(
            actor=officer,
            data={
                "kind": "parcel",
                "name": f"店口地块{i:02d}",
                "area_mu": Decimal(20 + i),
                "latitude": Decimal("29.86") + Decimal(i) / 500,
                "longitude": Decimal("120.28") + Decimal(i % 5) / 200,
                "town": county.diankou,
            },
        )
    big = services.carrier_create(
        actor=officer,
        data={
            "kind": "parcel",
            "name": "店口大地块",
            "area_mu": Decimal("120"),
            "latitude": Decimal("29.70"),
            "longitude": Decimal("120.40"),
        },
    )
    project = project_services.project_create(actor=officer, data={"name": "精密轴承项目", "land_mu": Decimal("100")})
    return {"big": big, "project": project}


def test_map_markers_filter_card_match_offline(page, world, screenshot):
    base = page.base_url
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "diankou")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/carriers/map/")
    page.wait_for_selector("[data-testid=carrier-map][data-loaded='25']")
    assert page.locator(".leaflet-marker-icon").count() > 0  # markers and clusters drawn
    assert "共 25 个载体" in page.inner_text("[data-testid=map-count]")
    screenshot(page, "carriers-map")

    page.fill("#id_min_mu", "100")
    page.click("[data-testid=map-filter]")
    page.wait_for_selector("[data-testid=carrier-map][data-loaded='1']")
    page.click(f"[data-carrier='{world['big'].pk}']")
    card = page.locator("[data-testid=map-card]")
    card.wait_for(state="visible")
    assert "店口大地块" in card.inner_text() and "120 亩" in card.inner_text()

    page.goto(f"{base}/carriers/map/?project={world['project'].pk}")
    page.wait_for_selector("[data-testid=match-banner]")
    page.wait_for_selector("[data-testid=carrier-map][data-loaded='25']")
    assert "候选 1 个" in page.inner_text("[data-testid=map-count]")
    screenshot(page, "carriers-map-match")

    page.goto(f"{base}/carriers/match/?project={world['project'].pk}")
    page.wait_for_selector("[data-testid=match-candidates]")
    assert "店口大地块" in page.inner_text("[data-testid=match-candidates]")
    screenshot(page, "carriers-match")
    page.goto(f"{base}/carriers/{world['big'].pk}/")
    assert "120.00 亩（约 80000 ㎡）" in page.inner_text("[data-testid=carrier-area]")
    screenshot(page, "carriers-detail")

    page.goto(f"{base}/carriers/overview/")
    page.wait_for_selector("#town-geo canvas")
    screenshot(page, "carriers-overview")

    hosts = {urlsplit(url).hostname for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(base).hostname}, hosts
    assert page.js_errors == []
