import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

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


def login(page, username="leader"):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{page.base_url}/")


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
    assert page.locator("[data-testid=actual-cumulative]").inner_text() == "2,788.90"
    assert page.locator("[data-testid=contract-cumulative]").inner_text() == "16,222.23"
    assert page.locator("[data-testid=large-count]").inner_text() == "1"
    screenshot(page, f"fdi-2022-06-{size[0]}")
    assert page.js_errors == []


@pytest.fixture
def on_the_7th():
    """7 December 2026, 10:30 in 诸暨 — for the server thread too (time-machine patches the process)."""
    with time_machine.travel(datetime(2026, 12, 7, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def leader_on_the_7th(on_the_7th, transactional_db):
    from demo.stats import seed_fdi
    from zhaoshang.stats.models import FDIRecord

    county = make_county("诸暨市", prefix="zhuji")
    leader = make_user("leader", "leader", county.root, full_name="陈志远")
    officer = make_user("diankou", "officer", county.diankou)
    for i in range(30):
        enterprise_create(actor=officer, data={"name": f"外资示例{i:02d}（中国）有限公司", "origin": "foreign"})
    seed_fdi()  # 2020 to November 2026, and 1, 3 and 5 December 2026
    office = county.office_sh
    enterprise = enterprise_create(actor=officer, data={"name": "上海引进外资（中国）有限公司", "origin": "foreign"})
    FDIRecord(
        date=datetime(2026, 11, 2).date(),
        kind="actual",
        form="new",
        amount=1234,
        enterprise=enterprise,
        org_unit=office,
        region_id=office.region_id,
    ).save()
    return leader


def test_the_cockpit_on_the_7th_reads_november_and_says_so(page, leader_on_the_7th, screenshot):
    login(page)
    page.goto(f"{page.base_url}/stats/cockpit/")
    page.wait_for_selector("[data-chart=chart-cockpit-fdi] canvas")
    kpi = page.locator("[data-testid=kpi-fdi]").inner_text()
    assert "2026年1-11月累计" in kpi and "1-12月" not in kpi
    strip = page.locator("[data-testid=cockpit-to-date]").inner_text()
    assert "本月至今 · 12月1-7日" in strip and "（按天）" in strip
    assert "外资数据截至 2026年11月底" in page.locator("[data-testid=cockpit-as-of]").inner_text()
    gauge = json.loads(page.locator("#chart-cockpit-completion").text_content())
    # 11/12, not the 100 % of a December that has barely begun
    assert gauge["series"][0]["data"][0]["name"] == "序时进度 91.7%"
    names = page.locator("[data-testid=rankings] tbody tr").all_inner_texts()
    center = next(i for i, row in enumerate(names) if "投资促进中心" in row)
    office = next(i for i, row in enumerate(names) if "上海办事处" in row)
    assert office == center + 1 and "其中：" in names[office] and "其中：" not in names[center]
    screenshot(page, "cockpit-7th")
    page.goto(f"{page.base_url}/stats/")
    page.wait_for_selector("[data-chart=chart-actual] canvas")
    assert "2026年1-11月" in page.locator(".page-title").inner_text()
    assert page.locator("[data-testid=fdi-as-of]").inner_text() == "数据截至 2026年11月底"
    assert page.locator("input[name=period]").input_value() == "2026-11"
    screenshot(page, "fdi-7th")
    assert page.js_errors == []


CONTRAST = """(selector) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const rgba = (color) => {  // any CSS colour (oklch, color-mix …) as sRGB 0-255 and alpha 0-1
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, below) => top.slice(0, 3).map((c, i) => c * top[3] + below[i] * (1 - top[3])).concat([1]);
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null).map((el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      layers.push(rgba(getComputedStyle(node).backgroundColor));
    }
    const background = layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255, 1]);
    const text = over(rgba(getComputedStyle(el).color), background);
    const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
    return { text: el.innerText.trim().slice(0, 30), ratio: (light + 0.05) / (dark + 0.05) };
  });
}"""


def test_wall_mode_text_is_legible(page, leader, screenshot):
    page.set_viewport_size({"width": 1920, "height": 1080})
    login(page)
    page.goto(f"{page.base_url}/stats/cockpit/?wall=1")
    page.wait_for_selector("body.zs-wall [data-chart=chart-cockpit-fdi] canvas")
    checked = {}
    for name, selector in (
        ("title", "[data-testid=wall-title]"),
        ("KPI numbers", "#cockpit .card .h1"),
        ("KPI labels", "#cockpit .card .subheader"),
        ("chart titles", "#cockpit .card-title"),
        ("month so far", "[data-testid=cockpit-to-date] span"),
        ("footer", "[data-testid=cockpit-as-of]"),
    ):
        found = page.evaluate(CONTRAST, selector)
        assert found, name
        low = [(f["text"], round(f["ratio"], 2)) for f in found if f["ratio"] < 4.5]
        assert low == [], f"{name}: contrast below 4.5:1 {low}"
        checked[name] = len(found)
    assert checked["KPI numbers"] == 8 and checked["chart titles"] >= 5  # 6 + the 载体库 section's 2
    screenshot(page, "cockpit-wall-contrast")
    # the same measure fails on what the issue reported: dark text on navy
    page.evaluate(
        "document.querySelector('[data-testid=wall-title]').style.setProperty('color', '#1d273b', 'important')"
    )
    [title] = page.evaluate(CONTRAST, "[data-testid=wall-title]")
    assert title["ratio"] < 2
    assert page.js_errors == []
