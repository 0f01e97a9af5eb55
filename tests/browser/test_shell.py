import pytest

from tests.browser.conftest import login
from tests.factories import make_county, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_users(transactional_db):
    county = make_county()
    return {
        "diankou": make_user("diankou", "officer", county.diankou, full_name="何海峰"),
        "sysadmin": make_user("sysadmin", "sysadmin", county.center, full_name="王建国"),
    }


def test_officer_logs_in_sees_home_with_unit_and_logs_out(page, demo_users, screenshot):
    page.goto(f"{page.base_url}/")
    assert "/accounts/login/" in page.url
    screenshot(page, "login")
    login(page, "diankou")
    assert page.locator("[data-testid=home-unit]").inner_text() == "店口镇"
    assert page.locator("[data-testid=home-user]").inner_text() == "何海峰"
    assert page.locator("aside").is_visible()
    assert page.locator("aside").get_by_text("系统管理").count() == 0
    screenshot(page, "home-officer")
    page.click("[data-testid=user-menu]")
    page.click("text=修改密码")
    page.wait_for_url(f"{page.base_url}/accounts/password/")
    assert page.locator("h2.page-title").inner_text() == "修改密码"
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")
    page.goto(f"{page.base_url}/")
    assert "/accounts/login/" in page.url
    assert page.js_errors == []


def test_system_admin_navigates_to_the_org_tree(page, demo_users, screenshot):
    login(page, "sysadmin")
    page.locator("aside").get_by_text("系统管理").click()
    page.locator("aside").get_by_text("组织单位").click()
    page.wait_for_url(f"{page.base_url}/system/org-units/")
    rows = page.locator("[data-testid=org-tree] tbody tr")
    assert rows.count() == 6
    assert rows.first.inner_text().strip().startswith("诸暨市")
    screenshot(page, "org-units")
    assert page.js_errors == []


def test_wrong_password_shows_a_chinese_message(page, demo_users):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", "diankou")
    page.fill("#id_password", "wrong-Password1")
    page.click("[data-testid=login-submit]")
    assert "用户名或密码不正确" in page.locator("[data-testid=form-errors]").inner_text()
