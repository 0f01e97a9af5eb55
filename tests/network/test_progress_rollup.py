"""The funnel's roll-up (``LeadProgress``) gives exactly what the pass over the leads gives: a varied county —
leads of several channels, source records and offices, assessed, converted, closed, merged, deleted, of last
year; projects advanced through stages by the lifecycle (signing records its date), one sent back; FDI — built
through the services only, so the receivers alone keep the roll-up. The funnel and the assessment's lead counts
are computed both ways, for several users and filters, and must be equal."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_unit, make_user
from tests.projects.conftest import departments, people, stages, tick_all  # noqa: F401  (the lifecycle's fixtures)
from zhaoshang.core.models import Industry
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.leads import services as lead_services
from zhaoshang.leads.models import Lead
from zhaoshang.network import services
from zhaoshang.network.assessment import lead_counts
from zhaoshang.network.funnel import funnel, funnel_from_leads
from zhaoshang.network.models import LeadProgress
from zhaoshang.projects import services as project_services
from zhaoshang.stats import services as stats_services

ON = date(2026, 3, 2)


def _lead(actor, title, on=ON, **data):
    return lead_services.lead_register(
        actor=actor, data={"title": title, "enterprise_name": f"{title}有限公司", **data}, on=on
    )


def _advance(project, actors, on):
    """The lifecycle, stage after stage: each actor ticks the open stage's checklist and closes it."""
    for actor in actors:
        project.refresh_from_db()
        tick_all(project, actor, on)
        project = project_services.project_advance(actor=actor, project=project, on=on)
    return project


@pytest.fixture
def county_data(people, county, stages, office):  # noqa: F811  (fixtures imported above)
    sh, town, center = people["office_sh"], people["diankou"], people["center"]
    industry = Industry.objects.get(code="3741")
    bj_unit = make_unit("北京办事处", "office", county.center, "zj-office-bj")
    bj = make_user("office_bj", "officer", bj_unit)
    services.office_create(actor=center, data={"name": "北京办", "city": "北京", "org_unit": bj_unit})
    # 驻外办事处: from an activity (linked to the office), plain (the office found from the source unit)
    visit = services.activity_create(
        actor=sh, data={"kind": "visit", "date": ON, "topic": "拜访", "enterprise_name": "甲科技有限公司"}
    )
    services.activity_to_lead(actor=sh, activity=visit, on=ON)
    plain = _lead(sh, "乙", source="office", source_unit=county.office_sh, chain="智能视觉")
    lead_services.lead_assess(actor=sh, lead=plain, grade="A", on=date(2026, 3, 9))
    _lead(bj, "丙", source="office", source_unit=bj_unit, on=date(2026, 4, 1))
    _lead(sh, "去年", source="office", source_unit=county.office_sh, on=date(2025, 11, 3))
    # 镇街: converted and advanced (在谈 → 研判 → 签约 closed, 注册 open); one sent back to 研判; one closed
    for i, (title, actors) in enumerate((("丁", 3), ("戊", 3), ("己", 1), ("庚", 0))):
        lead = _lead(town, title, source="town", on=date(2026, 1, 5 + i), chain="新能源汽车" if i % 2 else "")
        lead_services.lead_assess(actor=town, lead=lead, grade="B", on=date(2026, 1, 8 + i))
        project = lead_services.lead_convert(actor=town, lead=lead, on=date(2026, 1, 20 + i))
        facts = {"industry": industry, "total_investment": Decimal(3000 * (i + 1)), "lead_leader": people["leader"]}
        project = project_services.project_update(
            actor=town, project=project, data={**facts, "chief_servant": town}, version=project.version
        )
        project = _advance(project, (town, center, town)[:actors], on=date(2026, 2, 10 + 5 * i))
        if title == "戊":
            review = next(s for s in stages.values() if s.code == "review")
            project_services.project_advance(
                actor=people["leader"], project=project, to_stage=review, reason="协议需重新研判", on=date(2026, 3, 1)
            )
        if title == "丁":
            enterprise = enterprise_create(actor=town, data={"name": "丁外资企业有限公司"})
            stats_services.record_create(
                actor=town,
                enterprise=enterprise,
                data={"date": date(2026, 5, 6), "kind": "actual", "form": "new", "amount": Decimal("120.5")},
            )
            stats_services.record_create(
                actor=town,
                enterprise=enterprise,
                data={
                    "date": date(2026, 6, 1),
                    "kind": "actual",
                    "form": "new",
                    "amount": Decimal("80"),
                    "project_id": project.pk,
                },
            )
    lost = _lead(town, "辛", source="town")
    lead_services.lead_close(actor=town, lead=lost, reason="对方放弃")
    kept = _lead(town, "壬", source="town")
    twin = _lead(town, "壬二", source="town")
    lead_services.lead_close(actor=town, lead=twin, reason="重复", merge_into=kept)
    gone = _lead(town, "癸", source="town")
    lead_services.lead_delete(actor=town, lead=gone)
    # 招商活动, 以商引商
    event = services.event_create(actor=sh, data={"name": "推介会", "kind": "promotion", "date": ON})
    for title in ("活动一", "活动二"):
        services.lead_from_source(actor=sh, kind="event", record=event, lead_data={"title": title}, on=ON)
    referrer = enterprise_create(actor=center, data={"name": "引荐企业有限公司"})
    referred = services.referral_register(actor=center, referrer=referrer, lead_data={"title": "以商引商一"}, on=ON)
    lead_services.lead_assess(actor=center, lead=referred, grade="A", on=date(2026, 3, 20))
    lead_services.lead_convert(actor=center, lead=referred, on=date(2026, 4, 2))
    return {"twin": twin, "gone": gone, "people": people}


def test_the_receivers_keep_the_roll_up_exact_without_a_rebuild(county_data):
    assert services.progress_differences() == []
    rows = set(LeadProgress.objects.values_list("lead_id", flat=True))
    assert county_data["twin"].pk not in rows and county_data["gone"].pk not in rows  # merged, deleted: no row


@pytest.mark.parametrize(
    "who, filters",
    [
        ("center", {"year": 2026}),
        ("center", {}),
        ("leader", {"year": 2026, "chain": "新能源汽车"}),
        ("center", {"year": 2026, "channel": "town"}),
        ("office_sh", {"year": 2026}),
        ("diankou", {}),
        ("center", {"year": 2025}),
    ],
)
def test_the_funnel_from_the_roll_up_equals_the_pass_over_the_leads(county_data, who, filters):
    user = county_data["people"][who]
    assert funnel(user=user, **filters) == funnel_from_leads(user=user, **filters)


def test_the_data_set_exercises_every_step(county_data):
    who = county_data["people"]
    result = funnel(user=who["center"], year=2026)["channels"]
    town = next(e for e in result if e["channel"] == "town" and e["source"] is None)
    counts = {s["step"]: s["count"] for s in town["steps"]}
    assert counts == {
        "leads": 6,
        "valid": 4,
        "negotiating": 4,
        "signed": 2,
        "registered": 1,
        "started": 1,
        "arrived": 1,
    }
    assert {(e["channel"], (e["source"] or {}).get("name")) for e in result} >= {
        ("office", "上海办"),
        ("office", "北京办"),
        ("fair", "推介会"),
        ("referral", "引荐企业有限公司"),
    }


def test_the_assessments_lead_counts_equal_the_leads(county_data, county):
    for start, end in ((date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 3, 1), date(2026, 3, 31))):
        expected = lead_selectors.lead_counts_by_unit(region_id=county.root.pk, start=start, end=end)
        assert lead_counts(region_id=county.root.pk, start=start, end=end) == expected


def test_a_project_date_edited_without_a_stage_moves_the_funnel(county_data):
    who = county_data["people"]
    project = Lead.objects.get(title="己").project
    assert project.signed_actual is None
    project_services.project_update(
        actor=who["diankou"], project=project, data={"signed_actual": date(2026, 3, 30)}, version=project.version
    )
    assert services.progress_differences() == []
    result = funnel(user=who["center"], year=2026)
    assert result == funnel_from_leads(user=who["center"], year=2026)
    town = next(e for e in result["channels"] if e["channel"] == "town" and e["source"] is None)
    assert town["steps"][3]["count"] == 3  # 签约: 丁, 戊 and now 己


def test_a_lead_deleted_for_good_leaves_its_group(county_data):
    who = county_data["people"]
    before = funnel(user=who["center"], year=2026)
    Lead.all_objects.get(title="辛").delete()
    assert services.progress_differences() == []
    after = funnel(user=who["center"], year=2026)
    assert after == funnel_from_leads(user=who["center"], year=2026) and after != before
