"""The configuration and audit pages read in Chinese (issue #12), looked at in a browser."""

import pytest

from tests.browser.conftest import login
from tests.browser.test_projects import project_at_registration  # noqa: F401 - fixture
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_audit_stage_rules_and_briefing_template_pages(page, screenshot, project_at_registration):  # noqa: F811
    county_center = project_at_registration.org_unit.region.children.get(kind="center")
    make_user("auditor", "auditor", county_center)
    make_user("sysadmin", "sysadmin", county_center)
    login(page, "auditor")
    page.goto(f"{page.base_url}/system/audit/?tab=changes")
    table = page.locator("[data-testid=audit-table]")
    assert "当前阶段：签约 → 注册" in table.inner_text()
    screenshot(page, "audit-changes")
    page.context.clear_cookies()
    login(page, "sysadmin")
    page.goto(f"{page.base_url}/projects/stages/")
    assert "国民经济行业、总投资（万元）" in page.locator("[data-testid=stages]").inner_text()
    screenshot(page, "stage-config")
    page.goto(f"{page.base_url}/stats/briefing-template/")
    assert "实际使用外资年度目标" in page.locator("[data-testid=briefing-fields]").inner_text()
    screenshot(page, "briefing-template")
    assert page.js_errors == []
