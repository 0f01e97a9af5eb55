import io

import pytest

from tests.factories import PASSWORD, make_county, make_user
from zhaoshang.enterprises import services
from zhaoshang.imports.files import read_rows, write_xlsx

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db):
    county = make_county()
    user = make_user("diankou", "officer", county.diankou, full_name="何海峰")
    services.enterprise_create(actor=user, data={"name": "海亮集团有限公司", "business_scope": "铜管制造"})
    services.enterprise_create(actor=user, data={"name": "浙江海亮股份有限公司"})
    services.enterprise_create(actor=user, data={"name": "浙江万安科技股份有限公司"})
    return user


def _xlsx(rows):
    buffer = io.BytesIO()
    write_xlsx(buffer, [("数据", ["企业名称", "所在城市", "成立日期"], rows)])
    return buffer.getvalue()


def test_search_open_edit_import_export(page, officer, screenshot, tmp_path):
    base = page.base_url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "diankou")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{base}/")

    # search with pinyin initials, results highlighted
    page.goto(f"{base}/enterprises/")
    page.fill("[data-testid=search]", "hljt")
    page.press("[data-testid=search]", "Enter")
    page.wait_for_url("**q=hljt**")
    rows = page.locator("[data-testid=enterprise-table] tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("mark").inner_text() == "海亮集团"
    screenshot(page, "enterprise-search")

    # open, edit, and get warned about a probable duplicate before saving
    rows.first.locator("a").first.click()
    page.wait_for_url("**/enterprises/*/")
    page.click("text=编辑")
    page.fill("#id_name", "海亮集团股份有限公司")
    page.fill("#id_credit_code", "91330681MA2K04Q3X1")
    page.wait_for_selector("[data-testid=duplicate-warning]")
    assert "浙江海亮股份有限公司" in page.locator("[data-testid=duplicate-warning]").inner_text()
    assert "校验位（第 18 位）应为 0" in page.locator("[data-testid=uscc-error]").inner_text()
    screenshot(page, "enterprise-edit-warning")
    page.fill("#id_credit_code", "")
    page.click("[data-testid=save]")
    page.wait_for_url("**/enterprises/*/")
    assert "已保存企业" in page.content()

    # import a file with an error: dry run shows the row and column; fix it and import
    page.goto(f"{base}/imports/new/?kind=enterprises")
    bad = tmp_path / "企业.xlsx"
    first = ["诸暨甲科技有限公司", "绍兴市", "2015-01-01"]
    bad.write_bytes(_xlsx([first, ["诸暨乙科技有限公司", "绍兴市", "不详"]]))
    page.set_input_files("#id_file", str(bad))
    page.check("input[name=mode][value=commit]")
    page.click("[data-testid=upload]")
    page.wait_for_selector("[data-testid=import-status][data-status=done]")
    assert page.locator("[data-testid=error-count]").inner_text() == "1"
    errors = page.locator("[data-testid=import-errors]").inner_text()
    assert "第 3 行" in errors and "成立日期" in errors
    assert "未导入任何数据" in page.locator("[data-testid=import-message]").inner_text()
    screenshot(page, "import-errors")
    fixed = tmp_path / "企业-修正.xlsx"
    fixed.write_bytes(_xlsx([first, ["诸暨乙科技有限公司", "绍兴市", "2016-01-01"]]))
    page.goto(f"{base}/imports/new/?kind=enterprises")
    page.set_input_files("#id_file", str(fixed))
    page.check("input[name=mode][value=commit]")
    page.click("[data-testid=upload]")
    page.wait_for_selector("[data-testid=import-status][data-status=done]")
    assert "导入完成" in page.locator("[data-testid=import-message]").inner_text()

    # export the current filter
    page.goto(f"{base}/enterprises/?q=%E8%AF%B8%E6%9A%A8")
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    path = download_info.value.path()
    exported = list(read_rows(path.read_bytes(), "xlsx"))
    assert sorted(r[0] for r in exported[1:]) == ["诸暨乙科技有限公司", "诸暨甲科技有限公司"]
    assert page.js_errors == []
