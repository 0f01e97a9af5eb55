"""The pages that are not a record's list/detail/edit: funnel, assessment (and its Excel/Word), report paste,
the actions on the record pages; the office list; each refused action changes nothing."""

import io
from datetime import date
from decimal import Decimal

import docx
from django.urls import reverse
from python_calamine import CalamineWorkbook

from zhaoshang.core.models import ObjectChange
from zhaoshang.leads.models import Lead
from zhaoshang.network import services
from zhaoshang.network.models import Activity, OfficeTarget, Reward

DAY = date(2026, 3, 2)


def test_office_list_shows_the_offices_in_scope(users, office, client_for):
    page = client_for(users["center"]).get(reverse("network:officeprofile_list"))
    assert [row[0].pk for row in page.context["rows"]] == [office.pk]
    assert client_for(users["datang"]).get(reverse("network:officeprofile_list")).context["rows"] == []
    detail = client_for(users["office_sh"]).get(office.get_absolute_url())
    assert detail.status_code == 200 and "年度目标" in detail.content.decode()
    assert client_for(users["datang"]).get(office.get_absolute_url()).status_code == 404


def test_the_center_sets_targets_an_office_cannot(users, office, client_for):
    url = reverse("network:action", args=["office", office.pk, "target"])
    data = {
        "year": 2026,
        "new_leads": 12,
        "valid_visits": 40,
        "negotiating": 6,
        "signed": 3,
        "landed": 2,
        "fdi_usd": "1500",
    }
    before = ObjectChange.objects.count()
    client_for(users["office_sh"]).post(url, data)
    assert OfficeTarget.objects.count() == 0 and ObjectChange.objects.count() == before
    client_for(users["center"]).post(url, data)
    target = OfficeTarget.objects.get()
    assert (target.year, target.new_leads, target.fdi_usd) == (2026, 12, Decimal("1500"))


def test_logging_a_visit_on_the_page_then_making_it_a_lead(users, office, client_for):
    client = client_for(users["office_sh"])
    response = client.post(
        reverse("network:activity_add"),
        {
            "kind": "visit",
            "date": "2026-03-02",
            "topic": "拜访中科智感",
            "enterprise_name": "中科智感（北京）科技有限公司",
            "people_met": "张总",
            "content": "计划投资2亿元",
            "next_step": "考察",
            "org_unit": "",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    client.post(reverse("network:action", args=["activity", activity.pk, "to-lead"]))
    lead = Lead.objects.get()
    assert lead.enterprise_name == "中科智感（北京）科技有限公司" and lead.source == "office"
    assert "已关联线索" in client.get(activity.get_absolute_url()).content.decode()


def test_funnel_page_with_drill_down(users, office, client_for):
    activity = services.activity_create(
        actor=users["office_sh"],
        data={"kind": "visit", "date": DAY, "topic": "拜访", "enterprise_name": "中科智感（北京）科技有限公司"},
    )
    lead = services.activity_to_lead(actor=users["office_sh"], activity=activity, on=DAY)
    page = client_for(users["center"]).get(
        reverse("network:funnel"), {"year": 2026, "step": "leads", "d_channel": "office", "d_kind": "", "d_id": ""}
    )
    assert page.status_code == 200
    assert [row["channel"] for row in page.context["entries"]] == ["office", "office"]
    assert [x.pk for x in page.context["drilled"]] == [lead.pk]
    assert client_for(users["datang"]).get(reverse("network:funnel"), {"year": 2026}).context["entries"] == []


def test_assessment_page_and_its_exports(users, office, client_for):
    services.activity_create(
        actor=users["office_sh"], data={"kind": "visit", "date": DAY, "topic": "拜访", "enterprise_name": "中科智感"}
    )
    client = client_for(users["center"])
    page = client.get(reverse("network:assessment"), {"year": 2026})
    assert page.context["rows"][0]["office"] == office and page.context["rows"][0]["visible"]
    xlsx = client.get(reverse("network:assessment"), {"year": 2026, "export": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["排名", "办事处", "指标"] and any(r[2] == "有效客商拜访" and r[4] == 1 for r in rows[1:])
    word = client.get(reverse("network:assessment"), {"year": 2026, "month": 3, "export": "docx"})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "驻外招商办事处考核 2026年3月" in text and "上海办" in text
    # An office sees the ranking, but not another office's indicators.
    datang = client_for(users["datang"]).get(reverse("network:assessment"), {"year": 2026})
    assert [r["visible"] for r in datang.context["rows"]] == [False]
    assert "indicators-" not in datang.content.decode()


def test_report_page_proposes_and_confirms(users, office, client_for):
    client = client_for(users["office_sh"])
    page = client.post(reverse("network:report"), {"text": "本周拜访中科智感（北京）科技有限公司，计划投资2亿元。"})
    assert [p["enterprise_name"] for p in page.context["proposals"]] == ["中科智感（北京）科技有限公司"]
    done = client.post(
        reverse("network:report_confirm"),
        {
            "title": "中科智感视觉传感器项目",
            "enterprise_name": "中科智感（北京）科技有限公司",
            "investment_rmb": "20000",
        },
    )
    assert "已登记线索" in done.content.decode()
    assert Lead.objects.get().investment_rmb == Decimal("20000")
    bad = client.post(reverse("network:report_confirm"), {"title": "", "enterprise_name": "x"})
    assert "alert-danger" in bad.content.decode() and Lead.objects.count() == 1


def test_agreement_page_shows_referrals_and_rewards(users, office, client_for):
    cbre = services.intermediary_create(actor=users["office_sh"], data={"name": "世邦魏理仕", "kind": "consultancy"})
    agreement = services.agreement_create(
        actor=users["office_sh"],
        data={
            "intermediary": cbre,
            "name": "委托协议",
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2027, 12, 31),
            "reward_kind": "fixed",
            "fixed_amount": Decimal("20"),
        },
    )
    client = client_for(users["office_sh"])
    client.post(
        reverse("network:action", args=["agreement", agreement.pk, "referral"]),
        {"title": "德国轴承项目", "enterprise_name": "德国轴承有限公司"},
    )
    client.post(reverse("network:action", args=["agreement", agreement.pk, "rewards"]))
    page = client.get(agreement.get_absolute_url())
    assert page.context["summary"]["leads"] == 1 and Reward.objects.count() == 0
    assert "德国轴承项目" in page.content.decode()
    refused = client_for(users["datang"]).post(
        reverse("network:action", args=["agreement", agreement.pk, "referral"]),
        {"title": "越权", "enterprise_name": "越权有限公司"},
    )
    assert refused.status_code == 302 and Lead.objects.count() == 1


def test_unknown_action_is_404(users, client_for):
    assert client_for(users["center"]).post("/network/office/1/nothing/").status_code == 404


def test_the_cockpit_shows_conversion_by_channel(users, office, client_for):
    activity = services.activity_create(
        actor=users["office_sh"], data={"kind": "visit", "date": DAY, "topic": "拜访", "enterprise_name": "中科智感"}
    )
    services.activity_to_lead(actor=users["office_sh"], activity=activity)
    page = client_for(users["leader"]).get(reverse("stats:cockpit"))
    section = next(s for s in page.context["sections"] if s["template"] == "network/_cockpit.html")
    assert section["rows"] == [{"label": "驻外办事处", "counts": [1, 0, 0, 0, 0, 0, 0], "fdi": Decimal("0.00")}]
    assert 'data-testid="cockpit-conversion"' in page.content.decode()
