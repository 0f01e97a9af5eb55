from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.browser.conftest import login
from tests.factories import make_county, make_unit, make_user
from zhaoshang.core.models import Industry
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.projects import services
from zhaoshang.projects.stages import ensure_default_stages

pytestmark = pytest.mark.browser
DAY = date(2026, 3, 2)


def _at_registration(*, with_company: bool):
    county = make_county()
    scjg_unit = make_unit("市场监督管理局", "department", county.root, "zj-scjg")
    make_unit("发展和改革局", "department", county.root, "zj-fgj")
    ensure_default_stages(county.root)
    officer = make_user("diankou", "officer", county.diankou, full_name="何海峰")
    center = make_user("center", "officer", county.center, full_name="周敏")
    make_user("scjg", "department", scjg_unit, full_name="吴登记")
    make_user("zrzy", "department", county.zrzy, full_name="钱土生")
    leader = make_user("leader", "leader", county.root, full_name="陈志远")
    fgj = make_user("fgj", "department", county.root.children.get(name="发展和改革局"))
    company = enterprise_create(actor=officer, data={"name": "诸暨璞剑轴承有限公司"}) if with_company else None
    project = services.project_create(
        actor=officer,
        on=DAY,
        data={
            "name": "璞剑空气轴承项目",
            "industry": Industry.objects.get(code="3452"),
            "total_investment": Decimal("210000"),
            "lead_leader": leader,
            "chief_servant": officer,
            "operating_company": company,
            "land_mu": Decimal("80"),
        },
    )
    for actor in (officer, center, officer):
        project.refresh_from_db()
        for entry in services.open_run(project).entries.all():
            owner = fgj if entry.owner_unit.name == "发展和改革局" else actor
            if entry.needs_attachment:
                upload = SimpleUploadedFile("投资协议.pdf", b"%PDF-1.4\n%%EOF\n")
                services.checklist_attach(actor=owner, entry_id=entry.pk, upload=upload, on=DAY)
            services.checklist_set(actor=owner, entry_id=entry.pk, done=True, on=DAY)
        services.project_advance(actor=actor, project=project, on=DAY)
    project.refresh_from_db()
    return project


@pytest.fixture
def project_at_registration(transactional_db):
    return _at_registration(with_company=True)


@pytest.fixture
def project_without_company(transactional_db):
    return _at_registration(with_company=False)


def test_department_completes_its_stage_and_the_next_department_sees_it(
    page, browser, project_at_registration, screenshot, live_server
):
    project = project_at_registration
    login(page, "scjg")
    owed = page.locator("[data-testid=panel-obligations] [data-testid=stage-row]", has_text="璞剑空气轴承项目")
    assert "逾期" in owed.inner_text()  # opened in March
    page.goto(f"{page.base_url}/projects/todo/")
    page.locator("[data-testid=todo-runs]").get_by_text("璞剑空气轴承项目").click()
    page.wait_for_url(f"**/projects/{project.pk}/")
    assert page.locator("[data-testid=owner-unit]").inner_text() == "市场监督管理局"
    for _ in range(2):
        page.locator("[data-testid=checklist] button", has_text="完成").first.click()
        page.wait_for_load_state()
    assert page.locator("[data-testid=checklist]").get_by_text("未完成").count() == 0
    screenshot(page, "project-checklist-done")
    page.click("[data-testid=advance]")
    page.click("[data-testid=confirm-advance]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    assert "已交棒：自然资源和规划局接办“供地”阶段" in page.content()
    assert page.locator("[data-testid=current-stage]").inner_text() == "供地"
    assert page.js_errors == []

    # the next department sees it at once: a notification and the task in its list
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    other = context.new_page()
    other.base_url = live_server.url
    login(other, "zrzy")
    assert other.locator("[data-testid=unread-count]").inner_text() == "1"
    other.click("[data-testid=notifications-bell]")
    assert "接棒：璞剑空气轴承项目 进入“供地”阶段" in other.locator("[data-testid=notifications]").inner_text()
    other.goto(f"{live_server.url}/projects/todo/")
    assert "璞剑空气轴承项目" in other.locator("[data-testid=todo-runs]").inner_text()
    screenshot(other, "project-next-department-todo")
    context.close()


def test_the_registration_department_fills_the_project_company_in_place_and_advances(
    page, project_without_company, screenshot
):
    project = project_without_company
    login(page, "scjg")
    page.goto(f"{page.base_url}/projects/{project.pk}/")
    missing = page.locator("[data-testid=missing]").inner_text()
    assert "离开“注册”阶段前须填写“项目公司”（由市场监督管理局或引进单位店口镇填写）" in missing
    assert page.get_by_role("link", name="编辑").count() == 0  # no edit page for the department
    for _ in range(2):
        page.locator("[data-testid=checklist] button", has_text="完成").first.click()
        page.wait_for_load_state()
    page.fill("[data-testid=stage-fields] input[name=operating_company_new]", "诸暨璞剑轴承有限公司")
    screenshot(page, "project-stage-fields-in-place")
    page.click("[data-testid=save-stage-fields]")
    page.wait_for_url(f"**/projects/{project.pk}/?tab=overview#stage-fields")
    assert "已保存“注册”阶段资料" in page.content()
    assert page.locator("[data-testid=missing]").count() == 0
    page.click("[data-testid=advance]")
    page.click("[data-testid=confirm-advance]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    assert "已交棒：自然资源和规划局接办“供地”阶段" in page.content()
    assert page.locator("[data-testid=current-stage]").inner_text() == "供地"
    page.goto(f"{page.base_url}/projects/{project.pk}/?tab=events")
    assert "市场监督管理局填写“注册”阶段资料：项目公司" in page.locator("[data-testid=events]").inner_text()
    assert page.js_errors == []


def test_a_leader_supervises_and_instructs_from_the_project_page(page, project_at_registration, screenshot):
    project = project_at_registration
    login(page, "leader")
    page.goto(f"{page.base_url}/projects/{project.pk}/?tab=oversight")
    page.fill("#raise-reason", "外方催问注册进度，请市场监管局本周内办结")
    page.click("[data-testid=raise-supervision]")
    page.wait_for_load_state()
    assert "已列入督办" in page.content()
    assert "外方催问注册进度" in page.locator("[data-testid=supervised-banner]").inner_text()
    page.fill("textarea[name=text]", "请市场监管局、自然资源局协同推进，月底前反馈")
    page.select_option("select[name=units]", label="市场监督管理局")
    page.click("[data-testid=issue-instruction]")
    page.wait_for_load_state()
    assert "已作出批示" in page.content()
    assert page.locator("[data-testid=instruction]").count() == 1
    screenshot(page, "project-oversight-tab")
    page.goto(f"{page.base_url}/projects/supervision/")
    assert "人工督办" in page.locator("[data-testid=supervision]").inner_text()
    assert "璞剑空气轴承项目" in page.locator("[data-testid=instructions]").inner_text()
    screenshot(page, "project-supervision-list")
    assert page.js_errors == []
