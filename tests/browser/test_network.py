"""招商网络 in the browser: the 上海 office logs a visit and turns it into a lead; the center sees the funnel and
the offices' assessment (screenshots of the main pages for review)."""

import pytest

from tests.browser.conftest import login
from tests.browser.test_accessibility import axe_page  # noqa: F401, F811  (the fixture)
from tests.factories import make_county, make_user
from zhaoshang.leads.models import Lead
from zhaoshang.network import services
from zhaoshang.projects.stages import ensure_default_stages

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    county = make_county()
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    ensure_default_stages(county.root)
    center = make_user("center", "officer", county.center, full_name="周敏")
    office = make_user("office_sh", "officer", county.office_sh, full_name="孙立")
    profile = services.office_create(
        actor=center, data={"name": "上海办", "city": "上海", "coverage": "上海、江苏", "org_unit": county.office_sh}
    )
    return {"center": center, "office": office, "profile": profile}


def test_an_office_logs_a_visit_that_becomes_a_lead(page, people, screenshot):
    login(page, "office_sh")
    base = page.base_url
    page.goto(f"{base}/network/activities/add/")
    page.select_option("#id_kind", "visit")
    page.fill("#id_date", "2026-11-20")
    page.fill("#id_topic", "拜访中科智感，洽谈视觉传感器基地")
    page.fill("#id_enterprise_name", "中科智感（北京）科技有限公司")
    page.fill("#id_people_met", "张伟 总经理")
    page.fill("#id_content", "对方计划投资2亿元建设视觉传感器生产基地")
    page.fill("#id_next_step", "两周内来诸暨考察")
    page.click('button:has-text("保存")')
    page.wait_for_selector("[data-testid=activity-new-lead]")
    screenshot(page, "network-activity")
    page.click("[data-testid=activity-new-lead]")
    page.wait_for_selector("text=已关联线索")
    lead = Lead.objects.get()
    assert (lead.enterprise_name, lead.source, lead.org_unit_id) == (
        "中科智感（北京）科技有限公司",
        "office",
        people["office"].org_unit_id,
    )
    page.click(f"a[href='/leads/{lead.pk}/']")
    page.wait_for_selector("[data-testid=lead-followups]")
    assert "对方计划投资2亿元" in page.inner_text("[data-testid=lead-followups]")
    assert page.js_errors == []


def test_the_center_sees_funnel_and_assessment(page, people, screenshot):
    activity = services.activity_create(
        actor=people["office"],
        data={
            "kind": "visit",
            "date": "2026-11-20",
            "topic": "拜访",
            "enterprise_name": "中科智感（北京）科技有限公司",
        },
    )
    services.activity_to_lead(actor=people["office"], activity=activity)
    login(page, "center")
    base = page.base_url
    page.goto(f"{base}/network/funnel/?year=2026")
    assert "驻外办事处" in page.inner_text("[data-testid=funnel]")
    screenshot(page, "network-funnel")
    page.goto(f"{base}/network/assessment/?year=2026")
    assert "上海办" in page.inner_text("[data-testid=ranking]")
    screenshot(page, "network-assessment")
    page.goto(f"{base}{people['profile'].get_absolute_url()}")
    screenshot(page, "network-office")
    assert page.js_errors == []


def test_network_pages_pass_axe(axe_page, people):  # noqa: F811  (the imported fixture)
    """Every network page (lists, details with their forms, add pages, funnel, assessment, report) for the center."""
    from datetime import date
    from decimal import Decimal

    from tests.browser.test_accessibility import _login, _violations

    center, office = people["center"], people["office"]
    activity = services.activity_create(
        actor=office, data={"kind": "visit", "date": date(2026, 11, 20), "topic": "拜访", "enterprise_name": "中科智感"}
    )
    cbre = services.intermediary_create(actor=center, data={"name": "世邦魏理仕", "kind": "consultancy"})
    agreement = services.agreement_create(
        actor=center,
        data={
            "intermediary": cbre,
            "name": "委托协议",
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2027, 1, 1),
            "reward_kind": "fixed",
            "fixed_amount": Decimal("20"),
        },
    )
    city = services.sister_city_create(actor=center, data={"name": "波里市", "country": "芬兰"})
    event = services.event_create(actor=center, data={"name": "推介会", "kind": "promotion", "date": date(2026, 5, 1)})
    urls = ["/network/funnel/?year=2026", "/network/assessment/?year=2026", "/network/report/"]
    for record in (people["profile"], activity, cbre, agreement, city, event):
        name = record._meta.model_name
        urls += [
            record.get_absolute_url(),
            f"{record.get_absolute_url()}edit/",
            f"/network/{_prefix(name)}/",
            f"/network/{_prefix(name)}/add/",
        ]
    _login(axe_page, "center")
    found = []
    for url in urls:
        found += _violations(axe_page, url)
    assert found == [], "\n".join(found)


def _prefix(model_name: str) -> str:
    return {
        "officeprofile": "offices",
        "activity": "activities",
        "intermediary": "intermediaries",
        "agreement": "agreements",
        "sistercity": "sister-cities",
        "event": "events",
    }[model_name]


def test_funnel_with_rows_passes_axe(axe_page, people):  # noqa: F811  (the imported fixture)
    """The funnel's count links sit next to rate text in a cell: they must not rely on colour alone."""
    from tests.browser.test_accessibility import _login, _violations

    activity = services.activity_create(
        actor=people["office"],
        data={
            "kind": "visit",
            "date": "2026-11-20",
            "topic": "拜访",
            "enterprise_name": "中科智感（北京）科技有限公司",
        },
    )
    services.activity_to_lead(actor=people["office"], activity=activity)
    _login(axe_page, "center")
    assert _violations(axe_page, "/network/funnel/?year=2026") == []
