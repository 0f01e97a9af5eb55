"""The network services: activity → lead, the assessment's indicators, agreement rules and rewards, report → leads,
sister-city industry fit, event outcomes and the sign-in import, and who sees what."""

import io
from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import Industry, ObjectChange
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.leads import services as lead_services
from zhaoshang.leads.models import Lead, LeadFollowUp
from zhaoshang.network import selectors, services
from zhaoshang.network.assessment import assessment_of, assessments, score
from zhaoshang.network.industry_fit import industry_fit
from zhaoshang.network.models import Agreement, EventParticipant, LeadSource, Metric, Reward
from zhaoshang.network.outcomes import event_outcome
from zhaoshang.projects.models import Project
from zhaoshang.stats import services as stats_services

DAY = date(2026, 3, 2)


def visit(user, **extra):
    data = {
        "kind": "visit",
        "date": DAY,
        "topic": "拜访中科智感",
        "enterprise_name": "中科智感（北京）科技有限公司",
        "people_met": "张总",
        "content": "对方计划投资2亿元建设视觉传感器基地",
        "next_step": "4月来诸暨考察",
        **extra,
    }
    return services.activity_create(actor=user, data=data)


# --- activities → leads ------------------------------------------------------------------------------------------


def test_a_visit_becomes_a_lead_in_one_action(users, office):
    activity = visit(users["office_sh"])
    lead = services.activity_to_lead(actor=users["office_sh"], activity=activity, on=DAY)
    lead.refresh_from_db()
    activity.refresh_from_db()
    assert (lead.source, lead.source_unit_id, lead.org_unit_id) == ("office", office.org_unit_id, office.org_unit_id)
    assert lead.enterprise_name == "中科智感（北京）科技有限公司" and activity.lead_id == lead.pk
    link = LeadSource.objects.get(lead=lead)
    assert (link.kind, link.office_id, link.activity_id) == ("office", office.pk, activity.pk)
    followup = LeadFollowUp.objects.get(lead=lead)
    assert (followup.kind, followup.their_side, followup.next_step) == ("visit", "张总", "4月来诸暨考察")
    assert activity.version == 2


def test_a_later_activity_updates_the_same_lead_and_another_unit_cannot(users, office):
    first = visit(users["office_sh"])
    lead = services.activity_to_lead(actor=users["office_sh"], activity=first, on=DAY)
    second = visit(users["office_sh"], topic="二次拜访", kind="reception")
    services.activity_to_lead(actor=users["office_sh"], activity=second, lead=lead)
    assert Lead.objects.count() == 1
    assert list(LeadFollowUp.objects.filter(lead=lead).values_list("kind", flat=True).order_by("id")) == [
        "visit",
        "reception",
    ]
    foreign = visit(users["datang"])
    before = (Lead.objects.count(), LeadFollowUp.objects.count(), ObjectChange.objects.count())
    with pytest.raises(NotFound):
        services.activity_to_lead(actor=users["datang"], activity=foreign, lead=lead)
    assert (Lead.objects.count(), LeadFollowUp.objects.count(), ObjectChange.objects.count()) == before


def test_an_office_sees_its_own_activities_the_center_all(users, office, center_coordinates):
    own = visit(users["office_sh"])
    other = visit(users["diankou"])
    ids = lambda user: {a.pk for a in selectors.activity_list(user=user, filters={}).page(0, 50)}  # noqa: E731
    assert ids(users["office_sh"]) == {own.pk}
    assert ids(users["center"]) == {own.pk, other.pk}
    with pytest.raises(NotFound):
        selectors.activity_get(user=users["office_sh"], pk=other.pk)


# --- the assessment -------------------------------------------------------------------------------------------------


def test_each_indicator_is_computed_from_the_records(users, county, office):
    sh = users["office_sh"]
    services.target_set(
        actor=users["center"],
        office=office,
        year=2026,
        data={
            "new_leads": 4,
            "valid_visits": 2,
            "negotiating": 2,
            "signed": 1,
            "landed": 1,
            "fdi_usd": Decimal("1000"),
        },
    )
    visit(sh)
    visit(sh, date=date(2026, 3, 5))
    visit(sh, enterprise_name="")  # no enterprise: not a 有效客商拜访
    visit(sh, kind="promotion")
    leads = [
        lead_services.lead_register(actor=sh, data={"title": f"线索{i}", "source": "office"}, on=DAY) for i in range(3)
    ]
    lead_services.lead_assess(actor=sh, lead=leads[0], grade="A", on=DAY)
    project = lead_services.lead_convert(actor=sh, lead=leads[1], on=DAY)
    Project.objects.filter(pk=project.pk).update(signed_actual=date(2026, 4, 1))
    enterprise = enterprise_create(actor=sh, data={"name": "上海外资企业有限公司"})
    stats_services.record_create(
        actor=sh,
        enterprise=enterprise,
        data={"date": date(2026, 6, 1), "kind": "actual", "form": "new", "amount": Decimal("400")},
    )
    row = assessment_of(office=office, year=2026)
    got = {i["metric"]: (i["value"], i["target"], i["score"]) for i in row["indicators"]}
    assert got == {
        Metric.LEADS: (Decimal(3), Decimal("4.00"), Decimal("15.0")),  # 20 × 3/4
        Metric.QUALITY_LEADS: (Decimal(2), Decimal("4.00"), Decimal("7.5")),  # assessed + converted
        Metric.VISITS: (Decimal(2), Decimal("2.00"), Decimal("15.0")),
        Metric.NEGOTIATING: (Decimal(1), Decimal("2.00"), Decimal("7.5")),
        Metric.SIGNED: (Decimal(1), Decimal("1.00"), Decimal("15.0")),
        Metric.LANDED: (Decimal(0), Decimal("1.00"), Decimal("0.0")),
        Metric.FDI: (Decimal("400"), Decimal("1000.00"), Decimal("4.0")),
    }
    assert row["total"] == Decimal("64.0") and row["rank"] == 1
    march = {
        i["metric"]: (i["value"], i["target"]) for i in assessment_of(office=office, year=2026, month=3)["indicators"]
    }
    assert march[Metric.LEADS] == (Decimal(3), Decimal("0.33")) and march[Metric.SIGNED] == (
        Decimal(0),
        Decimal("0.08"),
    )


def test_ranking_and_configured_weights(users, county, office):
    from tests.factories import make_unit

    bj_unit = make_unit("北京办事处", "office", county.center, "zj-office-bj")
    beijing = services.office_create(
        actor=users["center"], data={"name": "北京办", "city": "北京", "org_unit": bj_unit}
    )
    visit(users["office_sh"])
    services.indicators_set(actor=users["center"], weights={"visits": Decimal("60"), "leads": Decimal("40")})
    rows = assessments(region_id=office.region_id, year=2026)
    assert [(r["office"].pk, r["total"], r["rank"]) for r in rows] == [
        (office.pk, Decimal("60"), 1),
        (beijing.pk, Decimal("0"), 2),
    ]
    assert [i["metric"] for i in rows[0]["indicators"]] == ["leads", "visits"]
    before = ObjectChange.objects.count()
    with pytest.raises(PermissionDenied):
        services.indicators_set(actor=users["office_sh"], weights={"visits": Decimal("100")})
    with pytest.raises(PermissionDenied):
        services.target_set(actor=users["office_sh"], office=office, year=2026, data={"new_leads": 99})
    assert ObjectChange.objects.count() == before
    assert score(Decimal("10"), Decimal("3"), None) == Decimal("10") and score(Decimal("10"), Decimal(0), None) == 0


def test_assessment_api(users, office, api_for):
    visit(users["office_sh"])
    body = api_for(users["office_sh"]).get(f"/api/v1/network/offices/{office.pk}/assessment", {"year": 2026}).json()
    assert body["office_id"] == office.pk and body["rank"] == 1 and body["month"] is None
    visits = next(i for i in body["indicators"] if i["metric"] == "visits")
    assert visits == {
        "metric": "visits",
        "name": "有效客商拜访",
        "weight": "15.0",
        "value": "1",
        "target": None,
        "score": "15.0",
    }
    assert (
        api_for(users["datang"]).get(f"/api/v1/network/offices/{office.pk}/assessment", {"year": 2026}).status_code
        == 404
    )


# --- agreements and rewards -----------------------------------------------------------------------------------------


@pytest.fixture
def agreement(users, office):
    cbre = services.intermediary_create(
        actor=users["office_sh"], data={"name": "世邦魏理仕", "kind": "consultancy"}, phone="13812345678"
    )
    return services.agreement_create(
        actor=users["office_sh"],
        data={
            "intermediary": cbre,
            "name": "世邦魏理仕委托招商协议",
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2027, 12, 31),
            "reward_kind": "fixed",
            "fixed_amount": Decimal("20"),
            "condition": "signed",
            "within_months": 6,
        },
    )


def _referral(users, agreement, title="德国精密轴承", on=DAY):
    return services.referral_register(
        actor=users["office_sh"],
        agreement=agreement,
        lead_data={"title": title, "enterprise_name": f"{title}有限公司"},
        on=on,
    )


def test_intermediary_phone_is_encrypted_and_masked(agreement):
    cbre = agreement.intermediary
    assert cbre.contact_phone_masked == "138****5678" and "13812345678" not in cbre.contact_phone_cipher
    assert cbre.reveal_phone() == "13812345678"


def test_a_referral_reaches_its_reward_when_the_project_signs_in_time(users, agreement):
    lead = _referral(users, agreement)
    assert (lead.source, lead.source_detail) == ("agency", "世邦魏理仕")
    assert services.rewards_refresh(agreement=agreement) == []  # no project yet
    project = lead_services.lead_convert(actor=users["office_sh"], lead=lead, on=DAY)
    Project.objects.filter(pk=project.pk).update(signed_actual=date(2026, 5, 20), total_investment=Decimal("30000"))
    late = _referral(users, agreement, "英国涡轮", on=date(2026, 1, 5))
    late_project = lead_services.lead_convert(actor=users["office_sh"], lead=late, on=DAY)
    Project.objects.filter(pk=late_project.pk).update(signed_actual=date(2026, 7, 6))  # after 6 months
    made = services.rewards_refresh(agreement=agreement)
    assert [(r.lead_id, r.amount, r.condition_met_on) for r in made] == [(lead.pk, Decimal("20.00"), date(2026, 5, 20))]
    assert services.rewards_refresh(agreement=agreement) == []  # idempotent
    reward = made[0]
    with pytest.raises(PermissionDenied):
        services.reward_decide(actor=users["office_sh"], reward=reward, status="approved")
    with pytest.raises(ValidationFailed):
        services.reward_decide(actor=users["leader"], reward=reward, status="paid")
    services.reward_decide(actor=users["leader"], reward=reward, status="approved", on=date(2026, 6, 1))
    paid = services.reward_decide(actor=users["leader"], reward=reward, status="paid", on=date(2026, 6, 9))
    assert (paid.status, paid.approved_by, paid.paid_on) == ("paid", users["leader"], date(2026, 6, 9))


def test_share_and_tier_rules():
    progress = {
        "registered_on": DAY,
        "project__signed_actual": date(2026, 4, 1),
        "project__construction_start_actual": None,
        "project__total_investment": Decimal("30000"),
    }
    share = Agreement(reward_kind="share", share_percent=Decimal("0.5"), condition="signed")
    assert services.reward_due(share, progress, None)[1] == Decimal("150.00")
    tiers = Agreement(
        reward_kind="tiers", tiers=[["500", "10"], ["1000", "30"]], condition="fdi_arrived", within_months=12
    )
    assert services.reward_due(tiers, progress, None) is None  # no FDI yet
    assert services.reward_due(tiers, progress, (date(2026, 9, 1), Decimal("800")))[1] == Decimal("10.00")
    assert services.reward_due(tiers, progress, (date(2026, 9, 1), Decimal("1200")))[1] == Decimal("30.00")
    assert services.reward_due(tiers, progress, (date(2027, 3, 3), Decimal("1200"))) is None  # beyond 12 months
    assert services.reward_due(tiers, progress, (date(2026, 9, 1), Decimal("100")))[1] == Decimal("0.00")


def test_agreement_rules_are_checked(users, agreement):
    before = (Agreement.objects.count(), ObjectChange.objects.count())
    with pytest.raises(ValidationFailed) as error:
        services.agreement_create(
            actor=users["office_sh"],
            data={
                "intermediary": agreement.intermediary,
                "name": "x",
                "starts_on": date(2026, 5, 1),
                "ends_on": date(2026, 1, 1),
                "reward_kind": "tiers",
                "tiers": [],
            },
        )
    assert set(error.value.fields) == {"ends_on", "tiers"}
    assert (Agreement.objects.count(), ObjectChange.objects.count()) == before


def test_stage_close_computes_the_reward(users, agreement, django_capture_on_commit_callbacks):
    from zhaoshang.projects.signals import stage_closed

    lead = _referral(users, agreement)
    project = lead_services.lead_convert(actor=users["office_sh"], lead=lead, on=DAY)
    Project.objects.filter(pk=project.pk).update(signed_actual=date(2026, 4, 1))
    with django_capture_on_commit_callbacks(execute=True):
        stage_closed.send(
            sender=Project,
            project=Project.objects.get(pk=project.pk),
            stage_code="signing",
            actor=users["office_sh"],
            on=date(2026, 4, 1),
        )
    assert list(Reward.objects.values_list("lead_id", "amount")) == [(lead.pk, Decimal("20.00"))]


def test_referrer_enterprise_is_recorded(users):
    referrer = enterprise_create(actor=users["diankou"], data={"name": "海亮集团有限公司"})
    lead = services.referral_register(
        actor=users["diankou"],
        referrer=referrer,
        lead_data={"title": "海亮配套项目", "enterprise_name": "某配套企业"},
        on=DAY,
    )
    assert (lead.source, LeadSource.objects.get(lead=lead).referrer_id) == ("referral", referrer.pk)
    with pytest.raises(ValidationFailed):
        services.referral_register(actor=users["diankou"], lead_data={"title": "x"})


# --- reports, sister cities, events ---------------------------------------------------------------------------------

REPORT = (
    "上海办第12周工作报告：\n"
    "一是拜访中科智感（北京）科技有限公司，对方计划投资2亿元建设视觉传感器基地。联系人张伟，13912345678。\n"
    "二是航天科宇(北京)卫星技术有限公司拟新增注册资本3000万元，下月来访。\n"
    "三是参加进博会，收集客商名片若干。"
)


def test_a_report_proposes_one_lead_per_enterprise_and_each_is_confirmed(users, office):
    proposals = services.report_proposals(user=users["office_sh"], text=REPORT)
    assert [p["enterprise_name"] for p in proposals] == [
        "中科智感（北京）科技有限公司",
        "航天科宇(北京)卫星技术有限公司",
    ]
    first, second = (p["initial"] for p in proposals)
    assert (first["investment_rmb"], first["contact_name"], first["phone"]) == (Decimal("20000"), "张伟", "13912345678")
    assert (second["investment_rmb"], second["project_type"]) == (Decimal("3000"), "capital_increase")
    assert Lead.objects.count() == 0  # nothing registered before the officer confirms
    lead = services.report_confirm(actor=users["office_sh"], proposal=first)
    assert (lead.enterprise_name, lead.investment_rmb, lead.source) == (
        "中科智感（北京）科技有限公司",
        Decimal("20000"),
        "office",
    )
    assert lead.contact_phone_masked == "139****5678"
    assert LeadSource.objects.get(lead=lead).office_id == office.pk
    with pytest.raises(ValidationFailed):
        services.report_proposals(user=users["office_sh"], text="  ")


def test_sister_city_industry_fit_is_explained(users):
    codes = ["3841", "3670", "1713"]  # lithium batteries, auto parts, cotton weaving (no chain)
    city = services.sister_city_create(
        actor=users["diankou"],
        data={"name": "波里市", "country": "芬兰"},
        industries=Industry.objects.filter(code__in=codes),
    )
    fit = industry_fit(city)
    ev = next(c for c in fit["chains"] if c["chain"] == "新能源汽车")
    assert {m["industry"].code for m in ev["matches"]} == {"3841", "3670"}
    assert all("同一行业小类" in m["how"] for m in ev["matches"])
    assert any(g.startswith("3812") for g in ev["gaps"])  # drive motors: the chain's class the city lacks
    assert [i.code for i in fit["unmatched"]] == ["1713"]
    assert fit["chains"][0]["chain"] == "新能源汽车"


def _sheet(rows) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    workbook.close()
    return buffer.getvalue()


def test_event_sign_in_import_and_outcome(users):
    sh = users["office_sh"]
    event = services.event_create(
        actor=sh, data={"name": "智能视觉推介会", "kind": "promotion", "date": DAY, "cost": Decimal("30")}
    )
    n = services.participants_import(
        actor=sh,
        event=event,
        filename="签到.xlsx",
        content=_sheet(
            [["单位", "姓名", "职务"], ["中科智感", "张伟", "总经理"], ["", "无单位者", ""], ["航天科宇", "李娜", None]]
        ),
    )
    assert n == 2
    assert list(EventParticipant.objects.values_list("enterprise_name", "person", "title")) == [
        ("中科智感", "张伟", "总经理"),
        ("航天科宇", "李娜", ""),
    ]
    with pytest.raises(ValidationFailed):
        services.participants_import(actor=sh, event=event, filename="x.xlsx", content=_sheet([["姓名"], ["张伟"]]))
    leads = [
        services.lead_from_source(actor=sh, kind="event", record=event, lead_data={"title": t}, on=DAY)
        for t in ("一", "二", "三")
    ]
    for lead, signed in zip(leads[:2], (date(2026, 4, 1), date(2026, 5, 1)), strict=True):
        project = lead_services.lead_convert(actor=sh, lead=lead, on=DAY)
        Project.objects.filter(pk=project.pk).update(signed_actual=signed)
    enterprise = enterprise_create(actor=sh, data={"name": "视觉外资企业有限公司"})
    stats_services.record_create(
        actor=sh,
        enterprise=enterprise,
        data={
            "date": date(2026, 8, 1),
            "kind": "actual",
            "form": "new",
            "amount": Decimal("60"),
            "project_id": leads[0].__class__.objects.get(pk=leads[0].pk).project_id,
        },
    )
    outcome = event_outcome(user=sh, event=event)
    assert (outcome["leads"], outcome["signed"], outcome["arrived_usd"]) == (3, 2, Decimal("60"))
    assert (outcome["cost_per_signed"], outcome["cost_per_usd"]) == (Decimal("15.00"), Decimal("0.50"))
    assert {lead.source for lead in Lead.objects.all()} == {"fair"}
