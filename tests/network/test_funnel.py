"""The funnel against a hand-computed fixture: every step, a lead that skips 有效, one lost after 有效, one that
never moves, one of last year, one of a town; medians, investment, FDI; scope; the API's shape."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.leads import services as lead_services
from zhaoshang.leads.models import Lead
from zhaoshang.network import services as network_services
from zhaoshang.network.funnel import conversion_rates, funnel
from zhaoshang.projects.models import Project
from zhaoshang.stats import services as stats_services


def _lead(user, title, on, source="office", unit=None):
    data = {"title": title, "enterprise_name": f"{title}有限公司", "source": source}
    if unit is not None:
        data["source_unit"] = unit
    return lead_services.lead_register(actor=user, data=data, on=on)


def _project(user, lead, **dates):
    project = lead_services.lead_convert(actor=user, lead=lead, on=dates["first_contact_actual"])
    Project.objects.filter(pk=project.pk).update(**dates)  # the fixture's history, set directly
    return project


@pytest.fixture
def fixture(users, county, office):
    sh = users["office_sh"]
    unit = county.office_sh
    l1 = _lead(sh, "一号", date(2026, 1, 10), unit=unit)
    Lead.objects.filter(pk=l1.pk).update(assessed_on=date(2026, 1, 15))
    p1 = _project(
        sh,
        l1,
        first_contact_actual=date(2026, 1, 20),
        signed_actual=date(2026, 2, 19),
        registered_actual=date(2026, 3, 1),
        construction_start_actual=date(2026, 4, 1),
        total_investment=Decimal("10000"),
    )
    l2 = _lead(sh, "二号", date(2026, 1, 10), unit=unit)  # converted without an assessment: skips 有效
    _project(
        sh, l2, first_contact_actual=date(2026, 1, 30), signed_actual=date(2026, 3, 1), total_investment=Decimal("5000")
    )
    l3 = _lead(sh, "三号", date(2026, 2, 1), unit=unit)  # assessed, then lost
    Lead.objects.filter(pk=l3.pk).update(assessed_on=date(2026, 2, 11))
    lead_services.lead_close(actor=sh, lead=Lead.objects.get(pk=l3.pk), reason="对方放弃")
    _lead(sh, "四号", date(2026, 2, 1), unit=unit)  # never moves
    _lead(sh, "去年", date(2025, 12, 1), unit=unit)  # another year
    l5 = _lead(users["diankou"], "镇街", date(2026, 3, 1), source="town")
    Lead.objects.filter(pk=l5.pk).update(assessed_on=date(2026, 3, 4))
    enterprise = enterprise_create(actor=sh, data={"name": "一号外资企业有限公司"})
    stats_services.record_create(
        actor=sh,
        enterprise=enterprise,
        data={"date": date(2026, 5, 1), "kind": "actual", "form": "new", "amount": Decimal("500"), "project_id": p1.pk},
    )
    network_services.progress_rebuild()  # the history above is partly set directly (.update()): recount
    return {"l1": l1, "l2": l2, "l3": l3}


def steps(entry):
    return [(s["step"], s["count"], s["median_days"]) for s in entry["steps"]]


def test_funnel_counts_medians_investment_and_fdi_by_channel_and_source(users, fixture, office):
    result = funnel(user=users["center"], year=2026)["channels"]
    office_channel, office_source, town = result
    assert (office_channel["channel"], office_channel["source"]) == ("office", None)
    assert steps(office_channel) == [
        ("leads", 4, None),
        ("valid", 3, Decimal("7.5")),  # 一号 5 days, 三号 10 days; 二号 passed it without a date
        ("negotiating", 2, Decimal("12.5")),  # 一号 5 days after its assessment, 二号 20 after registration
        ("signed", 2, Decimal("30")),
        ("registered", 1, Decimal("10")),
        ("started", 1, Decimal("31")),
        ("arrived", 1, Decimal("30")),
    ]
    assert office_channel["investment"] == Decimal("15000")
    assert office_channel["fdi_arrived_usd"] == Decimal("500")
    assert office_source["source"] == {"kind": "office", "id": office.pk, "name": "上海办"}
    assert steps(office_source) == steps(office_channel)
    assert (town["channel"], town["source"]) == ("town", None)
    assert steps(town) == [("leads", 1, None), ("valid", 1, Decimal("3"))] + [
        (key, 0, None) for key in ("negotiating", "signed", "registered", "started", "arrived")
    ]
    assert conversion_rates(office_channel) == [
        None,
        Decimal("75.0"),
        Decimal("66.7"),
        Decimal("100.0"),
        Decimal("50.0"),
        Decimal("100.0"),
        Decimal("100.0"),
    ]


def test_funnel_filters_and_the_office_sees_only_its_own(users, fixture):
    assert [e["channel"] for e in funnel(user=users["center"], year=2026, channel="town")["channels"]] == ["town"]
    own = funnel(user=users["office_sh"], year=2026)["channels"]
    assert [e["channel"] for e in own] == ["office", "office"]
    assert funnel(user=users["datang"], year=2026)["channels"] == []
    last_year = funnel(user=users["center"], year=2025)["channels"]
    assert steps(last_year[0])[0] == ("leads", 1, None)


def test_drill_down_ids_are_the_leads_of_each_step(users, fixture):
    entry = funnel(user=users["center"], year=2026, keep_ids=True)["channels"][0]
    assert sorted(entry["ids"]["valid"]) == sorted([fixture["l1"].pk, fixture["l2"].pk, fixture["l3"].pk])
    assert entry["ids"]["arrived"] == [fixture["l1"].pk]


def test_funnel_api_shape(users, fixture, api_for, office):
    body = api_for(users["center"]).get("/api/v1/network/funnel", {"year": 2026, "channel": "office"}).json()
    assert body["channels"][0] == {
        "channel": "office",
        "source": None,
        "steps": [
            {"step": "leads", "count": 4, "median_days": None},
            {"step": "valid", "count": 3, "median_days": "7.5"},
            {"step": "negotiating", "count": 2, "median_days": "12.5"},
            {"step": "signed", "count": 2, "median_days": "30"},
            {"step": "registered", "count": 1, "median_days": "10"},
            {"step": "started", "count": 1, "median_days": "31"},
            {"step": "arrived", "count": 1, "median_days": "30"},
        ],
        "investment": "15000.00",
        "fdi_arrived_usd": "500.00",
    }
    assert body["channels"][1]["source"] == {"kind": "office", "id": office.pk, "name": "上海办"}
    bad = api_for(users["center"]).get("/api/v1/network/funnel", {"year": "x"})
    assert bad.status_code == 422
