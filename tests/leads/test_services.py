from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_user
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.leads import services
from zhaoshang.leads.models import AssignmentRule, Lead
from zhaoshang.notify.models import Notification

MONDAY = date(2026, 3, 2)


def register(actor, title="德国精密轴承项目", on=MONDAY, phone="13812345678", to_pool=False, **data):
    return services.lead_register(
        actor=actor, data={"title": title, "source": "office", **data}, phone=phone, on=on, to_pool=to_pool
    )


def test_registration_sets_owner_code_phone_and_logs(users):
    lead = register(users["office_sh"], enterprise_name="某精密机械（中国）有限公司", investment_fdi=Decimal("3000"))
    assert lead.code == "XS-2026-00001" and lead.status == "assigned" and lead.owner == users["office_sh"]
    assert lead.org_unit == users["office_sh"].org_unit and lead.normalized_name == "某精密机械"
    assert lead.contact_phone_masked == "138****5678" and "13812345678" not in lead.contact_phone_cipher
    assert lead.protected_until is None  # 3000 万美元 ≈ 2.1 亿元 < 10 亿元
    assert ObjectChange.objects.filter(content_type__model="lead", object_id=lead.pk).count() == 1
    assert [e.kind for e in lead.events.all()] == ["registered"]


def test_first_talk_protection_blocks_another_unit(users):
    first = register(users["diankou"], enterprise_name="海亮集团有限公司", investment_rmb=Decimal("120000"))
    assert first.protected_until == date(2026, 8, 29)
    with pytest.raises(ValidationFailed) as excinfo:
        register(users["datang"], title="海亮袜业项目", enterprise_name="海亮集团", on=date(2026, 4, 1))
    assert "已由店口镇于 2026-03-02 首谈登记，受首谈保护至 2026-08-29" in excinfo.value.message
    assert excinfo.value.extra["owner_unit"] == "店口镇"
    assert Lead.objects.count() == 1
    # the same unit may register more; after the period, others may too
    register(users["diankou"], title="海亮二期", enterprise_name="海亮集团")
    register(users["datang"], title="海亮袜业项目", enterprise_name="海亮集团", on=date(2026, 9, 1))
    assert Lead.objects.count() == 3


def test_duplicate_warning_reveals_only_the_owner_unit(users):
    register(users["diankou"], title="铜基新材料合作项目（保密）", enterprise_name="某铜业（中国）有限公司")
    [match] = services.matching_leads(
        region_id=users["datang"].org_unit.region_id, name="某铜业有限公司", user=users["datang"]
    )
    assert match.visible is False and match.owner_unit == "店口镇"
    assert match.title == "（不在您的数据范围内）"
    [own] = services.matching_leads(region_id=users["diankou"].org_unit.region_id, name="某铜业", user=users["diankou"])
    assert own.visible and own.title == "铜基新材料合作项目（保密）"


def test_scope_a_town_cannot_see_another_towns_lead(users, client_for, api_for):
    lead = register(users["diankou"])
    assert client_for(users["datang"]).get(f"/leads/{lead.pk}/").status_code == 404
    assert api_for(users["datang"]).get(f"/api/v1/leads/{lead.pk}").status_code == 404
    assert api_for(users["datang"]).get("/api/v1/leads").json()["count"] == 0
    assert api_for(users["leader"]).get("/api/v1/leads").json()["count"] == 1


def test_pool_claim_and_assignment_rules(users, county):
    pooled = register(users["center"], title="网络征集线索", to_pool=True, source_unit=county.office_sh)
    assert pooled.in_pool and pooled.owner is None and pooled.status == "new"
    claimed = services.lead_claim(actor=users["datang"], lead=pooled)
    assert claimed.org_unit == users["datang"].org_unit and claimed.owner == users["datang"] and not claimed.in_pool
    assert Notification.objects.filter(recipient=users["center"], title__startswith="线索已被认领").count() == 1
    with pytest.raises(NotFound):  # another unit's lead now: it does not exist for 店口 (issue #19)
        services.lead_claim(actor=users["diankou"], lead=claimed)
    with pytest.raises(ValidationFailed):  # the one who claimed it is told it is claimed
        services.lead_claim(actor=users["datang"], lead=claimed)
    with pytest.raises(PermissionDenied):
        services.lead_claim(actor=users["zrzy"], lead=register(users["center"], title="另一条", to_pool=True))
    rule_lead = register(users["center"], title="上海来的线索", to_pool=True, source_unit=county.office_sh)
    AssignmentRule.objects.create(region=county.root, source_unit=county.office_sh, assign_unit=county.diankou)
    assigned = services.lead_auto_assign(actor=users["center"], lead=rule_lead)
    assert assigned.org_unit == county.diankou and assigned.status == "assigned"
    assert Notification.objects.filter(recipient=users["diankou"], title="新分派线索：上海来的线索").count() == 1


def test_clocks_on_working_days(users):
    rules = services.rules_for(users["diankou"].org_unit.region_id)
    lead = register(users["diankou"], on=date(2026, 2, 13))  # Friday before the Spring Festival
    assert services.clock_reasons(lead, rules, date(2026, 2, 14)) == []  # 2/14 is a 调休 workday: due today
    assert services.clock_reasons(lead, rules, date(2026, 2, 16)) == ["登记后 1 个工作日内未响应"]
    reasons = services.clock_reasons(lead, rules, date(2026, 2, 26))
    assert reasons == ["登记后 1 个工作日内未响应", "登记后 3 个工作日内未研判"]  # 2/14, 2/24, 2/25
    services.followup_add(
        actor=users["diankou"], lead=lead, data={"kind": "call", "summary": "电话联系", "date": date(2026, 2, 14)}
    )
    lead.refresh_from_db()
    assert services.clock_reasons(lead, rules, date(2026, 2, 26)) == ["登记后 3 个工作日内未研判"]
    assert services.clock_reasons(lead, rules, date(2026, 3, 3)) == [
        "登记后 3 个工作日内未研判",
        "已 17 天未报告进展（应每 14 天）",
    ]


def test_clock_check_reminds_the_owner_once(users):
    register(users["diankou"], on=date(2026, 3, 2))
    assert services.clock_check(today=date(2026, 3, 10)) == 1
    assert services.clock_check(today=date(2026, 3, 11)) == 0  # not again within three days
    notes = Notification.objects.filter(recipient=users["diankou"], title__startswith="线索超时")
    assert notes.count() == 1 and "未响应" in notes.get().body
    assert Notification.objects.filter(recipient=users["leader"], title__startswith="线索超时提醒").count() == 1


def test_conversion_carries_everything_into_a_project(users, county):
    from zhaoshang.projects.models import FollowUp

    lead = register(
        users["diankou"],
        title="璞剑空气轴承项目",
        enterprise_name="璞剑空气轴承（新加坡）有限公司",
        investor_country="新加坡",
        investment_rmb=Decimal("210000"),
        investment_fdi=Decimal("30000"),
        land_mu=Decimal("80"),
        preferred_town=county.diankou,
        coordination="用地指标",
        contact_name="王伟",
    )
    services.followup_add(
        actor=users["diankou"], lead=lead, data={"kind": "visit", "summary": "赴新加坡拜访", "date": MONDAY}
    )
    lead.refresh_from_db()
    project = services.lead_convert(actor=users["diankou"], lead=lead, on=date(2026, 3, 9))
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.project == project
    assert (
        project.investor.name == "璞剑空气轴承（新加坡）有限公司"
        and project.investor.contacts.get().phone_masked == "138****5678"
    )
    assert (project.total_investment, project.contracted_fdi, project.land_mu) == (
        Decimal("210000"),
        Decimal("30000"),
        Decimal("80"),
    )
    assert (
        project.town == county.diankou and project.first_contact_actual == MONDAY and project.org_unit == lead.org_unit
    )
    assert "需政府协调事项：用地指标" in project.description
    assert [f.summary for f in FollowUp.objects.filter(project=project)] == ["赴新加坡拜访"]
    assert project.events.filter(text="由线索 XS-2026-00001 转入").exists()
    with pytest.raises(ValidationFailed):
        services.lead_convert(actor=users["diankou"], lead=lead)


def test_shelve_and_merge_keep_a_reason(users):
    a = register(users["diankou"], title="甲")
    b = register(users["diankou"], title="乙")
    with pytest.raises(ValidationFailed):
        services.lead_close(actor=users["diankou"], lead=a, reason="")
    services.lead_close(actor=users["diankou"], lead=a, reason="企业投资计划取消")
    services.lead_close(
        actor=users["diankou"], lead=b, reason="重复登记", merge_into=register(users["diankou"], title="丙")
    )
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, a.closed_reason) == ("shelved", "企业投资计划取消")
    assert b.status == "merged" and b.merged_into.title == "丙"


def test_others_cannot_act_on_a_lead(users):
    lead = register(users["diankou"])
    with pytest.raises(NotFound):
        services.lead_assess(actor=users["datang"], lead=lead, grade="A")
    lead.refresh_from_db()
    assert lead.status == "assigned" and lead.version == 1


def test_a_department_user_in_another_region_sees_nothing(users, other_county):
    lead = register(users["diankou"])
    foreign = make_user("foreign", "leader", other_county.root)
    assert not Lead.objects.restrict(foreign).filter(pk=lead.pk).exists()
