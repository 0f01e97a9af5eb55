import pytest

from tests.factories import PASSWORD, make_county, make_user
from zhaoshang.enterprises.services import enterprise_create

pytestmark = pytest.mark.browser


@pytest.fixture
def leader(transactional_db):
    from demo.stats import seed_fdi

    county = make_county("诸暨市", prefix="zhuji")
    leader = make_user("leader", "leader", county.root, full_name="陈志远")
    officer = make_user("diankou", "officer", county.diankou)
    for i in range(30):
        enterprise_create(actor=officer, data={"name": f"外资示例{i:02d}（中国）有限公司", "origin": "foreign"})
    seed_fdi()
    return leader


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_cockpit_charts_render_in_page_and_wall_mode(page, leader, screenshot, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{page.base_url}/")
    page.goto(f"{page.base_url}/stats/cockpit/")
    page.wait_for_selector("[data-chart=chart-cockpit-fdi] canvas")
    assert page.locator("[data-chart] canvas").count() == 4
    screenshot(page, f"cockpit-{size[0]}")
    page.click("[data-testid=wall-mode]")
    page.wait_for_selector("body.zs-wall [data-chart=chart-cockpit-fdi] canvas")
    screenshot(page, f"cockpit-wall-{size[0]}")
    page.goto(f"{page.base_url}/stats/?period=2022-06")
    page.wait_for_selector("[data-chart=chart-actual] canvas")
    assert page.locator("[data-testid=actual-cumulative]").inner_text() == "2788.90"
    assert page.locator("[data-testid=contract-cumulative]").inner_text() == "16222.23"
    assert page.locator("[data-testid=large-count]").inner_text() == "1"
    screenshot(page, f"fdi-2022-06-{size[0]}")
    assert page.js_errors == []
