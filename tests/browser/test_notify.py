"""The 系统管理员 saves a channel's settings and sends a test message from the page; the fake robot receives
it, and the saved secret is not on the page afterwards."""

import pytest

from tests.factories import PASSWORD, make_county, make_user
from tests.notify.conftest import FakeServer

pytestmark = pytest.mark.browser


@pytest.fixture
def admin(transactional_db):
    county = make_county()
    return make_user("sysadmin", "sysadmin", county.center, full_name="王建国")


@pytest.fixture
def robot():
    server = FakeServer()
    yield server
    server.close()


def test_the_settings_page_saves_a_robot_and_its_test_message_arrives(page, admin, robot, screenshot):
    base = page.base_url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "sysadmin")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/notifications/channels/")
    page.click("a[href='/notifications/channels/wecom/']")
    webhook = f"{robot.url}/cgi-bin/webhook/send?key=secret-key-123"
    page.fill("#id_webhook", webhook)
    page.check("#id_enabled")
    page.click("[data-testid=channel-form] button[type=submit]")
    page.wait_for_selector("text=已保存“企业微信群机器人”设置")
    assert "secret-key-123" not in page.content()
    assert page.input_value("#id_webhook") == ""

    page.click("[data-testid=channel-test] button[type=submit]")
    page.wait_for_selector("text=测试消息已发送")
    screenshot(page, "notify-channel-test")
    (request,) = robot.requests
    assert request["query"] == {"key": "secret-key-123"}
    assert request["json"]["markdown"]["content"].startswith("**智慧招商平台测试消息**")
    assert page.js_errors == []

    page.goto(f"{base}/notifications/jobs/")
    page.wait_for_selector("text=线索时限检查与超时提醒")
    screenshot(page, "notify-jobs")
    page.goto(f"{base}/notifications/settings/")
    screenshot(page, "notify-preferences")
