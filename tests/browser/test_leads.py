import pytest

from tests.factories import PASSWORD, make_county, make_user
from zhaoshang.projects.stages import ensure_default_stages

pytestmark = pytest.mark.browser

TEXT = (
    "上海办事处反馈：来自德国的精工轴承（中国）有限公司拟投资3000万美元，在长三角新建精密空气轴承生产基地，"
    "需用地约80亩。联系人王伟，投资总监，电话13812345678。"
)


@pytest.fixture
def officer(transactional_db):
    county = make_county()
    ensure_default_stages(county.root)
    return make_user("office_sh", "officer", county.office_sh, full_name="孙立")


def log_in(page) -> str:
    base = page.base_url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "office_sh")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{base}/")
    return base


def test_paste_correct_save_follow_up_convert(page, officer, screenshot):
    base = log_in(page)

    page.goto(f"{base}/leads/add/")
    page.fill("[data-testid=paste]", TEXT)
    page.click("[data-testid=extract]")
    page.wait_for_selector("[data-testid=marked] mark")
    assert page.input_value("#id_enterprise_name") == "精工轴承（中国）有限公司"
    assert page.input_value("#id_investor_country") == "德国"
    assert page.input_value("#id_investment_fdi") == "3000"
    assert page.input_value("#id_phone") == "13812345678"
    screenshot(page, "lead-extracted")
    # the officer corrects the form before saving
    page.fill("#id_title", "德国精工空气轴承项目")
    page.click("[data-testid=save]")
    page.wait_for_url("**/leads/*/")
    assert "已登记线索" in page.content()
    assert "138****5678" in page.content() and "13812345678" not in page.content()

    page.select_option("select[name=kind]", "visit")
    page.fill("[data-testid=followup-summary]", "赴上海拜访企业中国区总部，确认选址意向")
    page.click("[data-testid=add-followup]")
    page.wait_for_url("**/leads/*/")
    assert "赴上海拜访企业中国区总部" in page.locator("[data-testid=lead-followups]").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=convert]")
    page.wait_for_url("**/projects/*/")
    assert "已转为项目" in page.content()
    assert page.locator("[data-testid=current-stage]").inner_text() == "在谈"
    screenshot(page, "lead-converted-project")
    assert page.js_errors == []


PASTES = [
    (
        "杭州某新材料科技有限公司拟投资3亿元在店口镇建设年产5万吨高性能复合材料项目，需用地80亩，联系人王经理13812345678",
        {
            "#id_title": "杭州某新材料年产5万吨高性能复合材料项目",
            "#id_enterprise_name": "杭州某新材料科技有限公司",
            "#id_investor_country": "",
            "#id_investor_province": "浙江省",
            "#id_investor_city": "杭州市",
            "#id_land_mu": "80",
        },
        "店口镇",
        "office",
    ),
    (
        "上海办：上海澜拓精密机械有限公司拟在大唐投资1亿元建设空气轴承项目，联系人：王伟 13812345678",
        {
            "#id_title": "澜拓空气轴承项目",
            "#id_enterprise_name": "上海澜拓精密机械有限公司",
            "#id_investor_province": "上海市",
            "#id_investor_country": "",
        },
        "大唐街道",
        "office",
    ),
    (
        "自然资源和规划局转：深圳市锐达电子有限公司有意在店口落户，新建智能传感器生产线，总投资2亿元",
        {
            "#id_title": "锐达智能传感器生产线项目",
            "#id_investor_province": "广东省",
            "#id_investor_city": "深圳市",
        },
        "店口镇",
        "department",
    ),
]


def test_paste_fills_title_investor_town_source_and_province(page, officer, screenshot):
    base = log_in(page)
    page.goto(f"{base}/leads/add/")
    for number, (text, values, town, source) in enumerate(PASTES):
        page.fill("[data-testid=paste]", text)
        page.click("[data-testid=extract]")
        page.wait_for_function(
            "t => document.querySelector('#id_title') && document.querySelector('#id_title').value === t",
            arg=values["#id_title"],
        )
        for selector, value in values.items():
            assert page.input_value(selector) == value, (text, selector)
        chosen = page.eval_on_selector("#id_preferred_town", "s => s.options[s.selectedIndex].text")
        assert chosen == town
        assert page.input_value("#id_source") == source
        if number == 0:
            note = page.locator("[data-testid=extract-note]")
            assert "投资主体「杭州某新材料科技有限公司」为匿名写法，请核实" in note.inner_text()
            screenshot(page, "lead-extracted-proposals")
        else:
            assert page.locator("[data-testid=extract-note]").count() == 0
    assert page.js_errors == []
