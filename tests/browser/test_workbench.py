"""The 工作台 in a browser: an officer starts the day from it (a follow-up in two clicks), a leader goes from
its summary to the cockpit."""

import pytest
from django.utils import timezone

from tests.browser.conftest import login
from tests.factories import make_county, make_user
from zhaoshang.leads import services as lead_services
from zhaoshang.notify.services import NotificationLevel, notify_users

pytestmark = pytest.mark.browser


@pytest.fixture
def officer_and_leader(transactional_db):
    county = make_county()
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    officer = make_user("diankou", "officer", county.diankou, full_name="何海峰")
    leader = make_user("leader", "leader", county.root, full_name="陈志远")
    lead = lead_services.lead_register(
        actor=officer,
        data={"title": "铜材精深加工项目", "source": "town", "next_followup_on": timezone.localdate()},
        on=timezone.localdate(),
    )
    notify_users([officer], title="接棒：某项目 进入“签约”阶段", level=NotificationLevel.HANDOFF)
    return officer, leader, lead


def test_officer_adds_a_follow_up_from_the_workbench(page, officer_and_leader, screenshot):
    _, _, lead = officer_and_leader
    login(page, "diankou")
    row = page.locator("[data-testid=panel-followups] [data-testid=followup-row]")
    assert row.count() == 1 and "今天到期" in row.inner_text()
    notice = page.locator("[data-testid=panel-notices] [data-testid=notice-row]")
    assert "交棒" in notice.inner_text()
    screenshot(page, "workbench-officer")
    notice.locator("[data-testid=row-action]").click()  # 标为已读, back on the 工作台
    page.wait_for_load_state()
    assert page.locator("[data-testid=panel-notices] [data-testid=panel-empty]").inner_text() == "没有未读通知"
    row.locator("[data-testid=row-action]").click()  # 记跟进
    page.wait_for_url(f"**/leads/{lead.pk}/#followup")
    page.fill("[data-testid=followup-summary]", "电话沟通，对方下周来考察")
    page.click("[data-testid=add-followup]")
    page.wait_for_load_state()
    assert "电话沟通，对方下周来考察" in page.locator("[data-testid=lead-followups]").inner_text()
    page.goto(f"{page.base_url}/")
    page.fill("[data-testid=quick-enterprise] input", "海亮")
    page.click("[data-testid=quick-enterprise] button")
    page.wait_for_url("**/enterprises/?q=%E6%B5%B7%E4%BA%AE")
    assert page.js_errors == []


def test_leader_goes_from_the_summary_to_the_cockpit(page, officer_and_leader, screenshot):
    login(page, "leader")
    summary = page.locator("[data-testid=panel-summary]")
    assert summary.locator("[data-testid=figure]").count() == 4
    assert f"{timezone.localdate().year}年" in summary.locator("[data-testid=summary-period]").inner_text()
    assert page.locator("[data-testid=panel-followups]").count() == 0
    screenshot(page, "workbench-leader")
    page.click("[data-testid=to-cockpit]")
    page.wait_for_url("**/stats/cockpit/")
    assert page.js_errors == []
