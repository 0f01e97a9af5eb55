"""The review library's pages in the browser: the administrator's rubric pages, the 顾问团 and an opinion request,
a research organisation, the meeting secretary's entry and the adviser's own answer page — each checked with
axe-core (no serious or critical WCAG 2.1 AA violation) and kept as a screenshot."""

import pytest
from django.urls import reverse

from tests.browser.test_accessibility import _login, _violations
from tests.factories import make_county, make_user
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.projects import services as project_services
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Rubric

pytestmark = pytest.mark.browser


@pytest.fixture
def axe_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def library(transactional_db):
    county = make_county()
    center = make_user("center", "officer", county.center)
    make_user("sysadmin", "sysadmin", county.center)
    adviser_login = make_user("expert1", "expert", county.center, full_name="郑教授")
    investor = enterprise_create(actor=center, data={"name": "海亮集团有限公司"}, tags=[])
    project = project_services.project_create(
        actor=center,
        data={"name": "海亮新材料项目", "investor": investor, "land_mu": 100, "annual_tax": 3500},
    )
    services.ensure_starting_rubrics(county.root)
    rubric = Rubric.objects.get(name="亩均论英雄项目评分表")
    org = services.research_org_create(actor=center, name="浙大诸暨研究院", kind="institute")
    zheng = services.expert_create(
        actor=center, data={"name": "郑教授", "user": adviser_login, "research_org": org, "employer": "浙江大学"}
    )
    for i in range(2):
        services.expert_create(actor=center, data={"name": f"专家{i}", "employer": f"研究院{i}"})
    group = services.adviser_group_create(actor=center, name="诸暨市招商顾问团", members=[(zheng.pk, "新材料")])
    request = services.opinion_request(actor=center, group_id=group.pk, project_id=project.pk, question="风险？")
    review = services.review_create(
        actor=center,
        data={"project_id": project.pk, "rubric_id": rubric.pk, "experts": 2, "mode": "meeting", "seed": "b"},
    )
    first = review.assignments.order_by("order").first()
    services.meeting_respond(actor=center, review_id=review.pk, expert_id=first.expert_id, accept=True)
    return {
        "rubric": rubric,
        "org": org,
        "group": group,
        "request": request,
        "review": review,
        "first": first,
    }


def test_the_library_pages_pass_axe(axe_page, library, screenshot):
    page = axe_page
    found = []
    shots = {
        "sysadmin": [
            ("rubric-detail", reverse("reviews:rubric_detail", args=[library["rubric"].pk])),
            ("rubric-new-version", reverse("reviews:rubric_version_add", args=[library["rubric"].pk])),
            ("rubric-list", reverse("reviews:rubric_list")),
            ("rubric-editor", reverse("reviews:rubric_edit", args=[library["rubric"].pk])),
            ("rubric-add", reverse("reviews:rubric_add")),
        ],
        "center": [
            ("adviser-group", reverse("reviews:advisergroup_detail", args=[library["group"].pk])),
            ("opinion-request", reverse("reviews:opinionrequest_detail", args=[library["request"].pk])),
            ("opinion-request-add", reverse("reviews:opinionrequest_add")),
            ("research-org", reverse("reviews:researchorg_detail", args=[library["org"].pk])),
            ("project-panel", reverse("projects:project_detail", args=[library["request"].project_id])),
            ("meeting", reverse("reviews:review_meeting", args=[library["review"].pk])),
            (
                "meeting-score",
                reverse("reviews:review_meeting_score", args=[library["review"].pk, library["first"].expert_id]),
            ),
        ],
        "expert1": [
            ("my-opinions", reverse("reviews:my_opinions")),
            ("my-opinion", reverse("reviews:my_opinion", args=[library["request"].pk])),
        ],
    }
    for username, pages in shots.items():
        _login(page, username)
        for name, url in pages:
            found += _violations(page, url)
            screenshot(page, f"reviews-{name}")
    assert found == [], "\n".join(found)


def test_the_rubric_editor_adds_a_row_in_place(page, library, screenshot):
    """htmx swaps the editor with one more item in the section, keeping what was typed; the totals follow."""
    _login(page, "sysadmin")
    page.goto(page.base_url + reverse("reviews:rubric_edit", args=[library["rubric"].pk]))
    section = page.get_by_test_id("editor-section").nth(1)
    section.get_by_label("第2部分标题").fill("亩均效益")
    section.get_by_test_id("add-item").click()
    section = page.get_by_test_id("editor-section").nth(1)
    section.get_by_test_id("editor-item").nth(3).wait_for()
    assert section.get_by_label("第2部分标题").input_value() == "亩均效益"
    item = section.get_by_test_id("editor-item").nth(3)
    item.get_by_label("满分", exact=True).fill("5")
    item.get_by_label("类型", exact=True).select_option("objective")
    page.get_by_test_id("editor-total").filter(has_text="合计 105 分").wait_for()  # the type change re-rendered it
    item = page.get_by_test_id("editor-section").nth(1).get_by_test_id("editor-item").nth(3)
    assert item.get_by_label("满分", exact=True).input_value() == "5"
    assert item.get_by_label("客观指标", exact=True).is_visible()  # objective fields shown, bands hidden
    assert item.get_by_label("分数段说明", exact=True).count() == 1
    assert not item.get_by_label("分数段说明", exact=True).is_visible()
    screenshot(page, "reviews-rubric-editor-added")
    assert page.url.endswith(reverse("reviews:rubric_edit", args=[library["rubric"].pk]))
    assert page.js_errors == []
