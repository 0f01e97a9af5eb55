"""An expert scores a project in the browser: from his task list through the 承诺书 to the locked sheet, with the
investor hidden behind the alias (blind review)."""

import pytest

from tests.browser.conftest import login
from tests.factories import make_county, make_user
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.projects import services as project_services
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Rubric

pytestmark = pytest.mark.browser


@pytest.fixture
def review(transactional_db):
    county = make_county()
    officer = make_user("diankou", "officer", county.diankou)
    expert_login = make_user("expert1", "expert", county.center, full_name="郑教授")
    investor = enterprise_create(actor=officer, data={"name": "海亮集团有限公司"}, tags=[])
    project = project_services.project_create(
        actor=officer,
        data={
            "name": "海亮新材料项目",
            "investor": investor,
            "land_mu": 100,
            "fixed_asset_investment": 35000,
            "annual_tax": 3500,
            "annual_output": 60000,
            "description": "海亮集团拟建设新材料生产线。",
        },
    )
    services.ensure_starting_rubrics(county.root)
    services.expert_create(actor=officer, data={"name": "郑教授", "user": expert_login})
    rubric = Rubric.objects.get(name="亩均论英雄项目评分表")
    return services.review_create(
        actor=officer, data={"project_id": project.pk, "rubric_id": rubric.pk, "experts": 1, "blind": True}
    )


def test_expert_signs_the_commitment_and_scores_blind(page, review, screenshot):
    login(page, "expert1")
    page.click(f"a[href='/reviews/mine/{review.pk}/']")
    assert "承诺书" in page.content() and "海亮" not in page.content()
    screenshot(page, "reviews-commitment")
    page.click("button[value=commit]")
    materials = page.locator("[data-testid=materials]")
    assert review.alias in materials.inner_text() and "海亮" not in page.content()
    assert "350.00" in materials.inner_text()  # 投资强度, computed from the project
    for code, value in (("S1", "13"), ("S2", "12"), ("S3", "14"), ("S4", "11")):
        page.fill(f"#value_{code}", value)
        page.fill(f"#comment_{code}", "符合主导产业方向")
    screenshot(page, "reviews-scoring")
    page.click("button[value=score]")
    assert "评分已提交并锁定" in page.content()
    assert page.locator("#value_S1").is_disabled()
    assert "海亮新材料项目" in page.content()  # the only expert's sheet is in: the name is shown
    screenshot(page, "reviews-scored")
    assert page.js_errors == []


def test_chair_sees_progress_and_records_the_decision(page, review, screenshot):
    from zhaoshang.reviews.models import Decision

    assignment = review.assignments.get(status="invited")
    services.commitment_sign(actor=assignment.expert.user, review_id=review.pk)
    entries = {c: {"value": "13", "comment": "好"} for c in ("S1", "S2", "S3", "S4")}
    entries |= {"V1": {"value": "0"}, "V2": {"value": "0"}}
    services.scores_submit(actor=assignment.expert.user, review_id=review.pk, entries=entries)
    login(page, "diankou")
    page.goto(f"{page.base_url}/reviews/{review.pk}/")
    assert "综合得分" in page.locator("[data-testid=aggregate]").inner_text()
    page.select_option("#id_outcome", "conditional")
    page.fill("#id_conditions", "投资强度不低于300万元/亩")
    screenshot(page, "reviews-review-page")
    page.click("[data-testid=decision-form] button[type=submit]")
    assert "已记录决策" in page.content()
    assert Decision.objects.get(review=review).conditions == ["投资强度不低于300万元/亩"]
