"""The 政策计算器 in a browser on a foreign project like the demo's: the clauses it meets, the near misses,
the total moving as the officer changes the investment (htmx, nothing saved), saving to the project; and axe on
the policy pages."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_county, make_user
from tests.policies import helpers
from zhaoshang.policies.models import Calculation
from zhaoshang.projects.stages import ensure_default_stages

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core-4.10.3" / "axe.min.js"


@pytest.fixture
def world(transactional_db):
    county = make_county()
    ensure_default_stages(county.root)
    center = make_user("center", "officer", county.center)
    officer = make_user("diankou", "officer", county.diankou)
    helpers.published_clause(
        center,
        cap=Decimal("2000"),
        title="外资大项目财政奖励",
        condition={"and": [{">=": [{"var": "foreign_actual_usd"}, 1000]}]},
        formula="foreign_actual_usd * 0.1",
        examples=[{"inputs": {"foreign_actual_usd": 3000}, "expected": "300"}],
    )
    helpers.published_clause(
        center,
        article="第四条",
        title="信贷融资贴息",
        formula="min(investment * 0.002, 200)",
        condition={"and": [{">=": [{"var": "investment"}, 50000]}]},
        examples=[{"inputs": {"investment": 60000}, "expected": "120"}],
    )
    project = helpers.project(
        officer, name="德方精密光学智能视觉外资项目", total_investment=Decimal("48000"), contracted_fdi=Decimal("2800")
    )
    return {"project": project, "officer": officer}


def _axe(page, url: str) -> list[str]:
    response = page.goto(page.base_url + url)
    assert response is not None and response.status == 200, url
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, "
        "{runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
    )
    return [
        f"{url}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_calculator_what_if_and_save(page, world, screenshot):
    login(page, "diankou")
    project = world["project"]
    page.goto(f"{page.base_url}{reverse('policies:calculator')}?project={project.pk}")
    assert page.inner_text("[data-testid=total]") == "280.00"
    assert "差 2,000 万元" in page.inner_text("[data-testid=near-misses]")
    screenshot(page, "policy-calculator")
    page.fill("#id_investment", "60000")
    page.locator("#id_investment").dispatch_event("change")
    expect(page.locator("[data-testid=total]")).to_have_text("400.00")
    assert page.locator("[data-testid=near-miss]").count() == 0
    assert Calculation.objects.count() == 0  # what-if only
    page.click("[data-testid=save-calculation]")
    page.wait_for_url("**/policies/calculations/*/")
    saved = Calculation.objects.get()
    assert (saved.total, saved.project_id) == (Decimal("400.00"), project.pk)
    assert page.locator("[data-testid=word]").count() == 1
    assert page.js_errors == []


def test_policy_pages_pass_axe(browser, live_server, world):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "diankou")
    clause = helpers.published_clause(world["officer"], title="本镇条款")
    urls = [
        reverse("policies:calculator") + f"?project={world['project'].pk}",
        reverse("policies:policy_list"),
        reverse("policies:policy_detail", args=[clause.policy_id]),
        reverse("policies:policy_add"),
        reverse("policies:clause_list"),
        reverse("policies:clause_detail", args=[clause.pk]),
        reverse("policies:clause_edit", args=[clause.pk]),
        reverse("policies:variable_list"),
        reverse("policies:calculation_list"),
        reverse("policies:commitment_list"),
        reverse("policies:commitment_add"),
        reverse("policies:fulfilment_list"),
    ]
    found = [v for url in urls for v in _axe(page, url)]
    context.close()
    assert found == []
