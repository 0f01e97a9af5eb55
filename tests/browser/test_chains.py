"""The chain map in the browser: the graph renders, a click on a node (on the canvas) opens its panel."""

import json
from pathlib import Path

import pytest

from tests.factories import make_county, make_user
from zhaoshang.chains import services
from zhaoshang.chains.models import Chain
from zhaoshang.enterprises.services import enterprise_create

from .conftest import login
from .test_accessibility import axe_page  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "chains" / "fixtures" / "mini_chain.json"


@pytest.fixture
def chain(transactional_db):
    county = make_county("诸暨市", prefix="zhuji")
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    make_user("center", "officer", county.center, full_name="周敏")
    officer = make_user("diankou", "officer", county.diankou)
    services.load_reference_chains(region=county.root, data=json.loads(FIXTURE.read_text(encoding="utf-8")))
    made = enterprise_create(
        actor=officer, data={"name": "诸暨市甲电机有限公司", "business_scope": "驱动电机制造", "kind": "local"}
    )
    services.link_subject(subject="enterprise", subject_id=made.pk, region_id=county.root.pk)
    return Chain.objects.get(code="nev")


def test_click_a_graph_node_opens_its_panel(page, chain, screenshot):
    login(page, "center")
    page.goto(f"{page.base_url}/chains/{chain.pk}/")
    graph = page.locator("[data-testid=chain-graph]")
    graph.locator("canvas").first.wait_for()
    # Where ECharts drew 驱动电机: its data coordinates converted to pixels by the chart itself.
    x, y = page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid=chain-graph]');
            const chart = echarts.getInstanceByDom(el);
            const data = chart.getOption().series[0].data;
            const i = data.findIndex(d => d.name === '驱动电机');
            const layout = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(i);
            return chart.convertToPixel({seriesIndex: 0}, layout);
        }"""
    )
    box = graph.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    panel = page.locator("[data-testid=node-panel-body]")
    panel.wait_for()
    assert panel.locator("h3").inner_text().startswith("驱动电机")
    assert "诸暨市甲电机有限公司" in panel.inner_text()
    assert page.js_errors == []
    screenshot(page, "chains-map")


def test_chain_pages_pass_axe(axe_page, chain):  # noqa: F811 - the imported fixture
    from .test_accessibility import _login, _violations

    battery = chain.nodes.get(code="nev.mid.battery")
    _login(axe_page, "center")
    found = []
    for url in (
        f"/chains/{chain.pk}/",
        f"/chains/{chain.pk}/print/",
        f"/chains/{chain.pk}/edit/",
        f"/chains/nodes/{battery.pk}/targets/",
        "/chains/",
        "/chains/relations/",
        "/chains/fdi/",
    ):
        found += _violations(axe_page, url)
    assert found == [], "\n".join(found)
