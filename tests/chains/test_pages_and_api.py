"""Pages and API of the chain map: the map with its table, the node panel's scope, classify, targets → leads."""

from django.urls import reverse

from zhaoshang.chains.models import Chain
from zhaoshang.leads.models import Lead

from .conftest import node
from .helpers import enterprise


def test_map_page_has_the_charts_and_the_table_of_the_same_numbers(chains, users, client_for):
    nev = chains["nev"]
    enterprise(users["diankou"], "诸暨市甲电机有限公司", "驱动电机制造")
    response = client_for(users["center"]).get(reverse("chains:chain_detail", args=[nev.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chain-chart="chain-graph"' in html and 'id="chain-sankey"' in html  # the edges are a DAG
    motor = next(r for r in response.context["rows"] if r["code"] == "nev.mid.motor")
    assert motor["county"]["enterprises"] == 1 and motor["status"] == "弱"
    graph = response.context["charts"]["chain-graph"]["series"][0]
    assert {d["name"]: d["category"] for d in graph["data"]}["驱动电机"] == 1  # 弱 in the legend's order


def test_node_panel_shows_a_town_only_its_own_enterprises_but_the_county_count(chains, users, client_for):
    enterprise(users["diankou"], "诸暨市甲电机有限公司", "驱动电机制造")
    enterprise(users["datang"], "诸暨市乙电机有限公司", "驱动电机制造")
    motor = node(chains["nev"], "nev.mid.motor")
    response = client_for(users["datang"]).get(reverse("chains:node_panel", args=[motor.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "诸暨市乙电机有限公司" in html and "诸暨市甲电机有限公司" not in html
    assert response.context["row"]["county"]["enterprises"] == 2
    assert response.context["row"]["town"]["enterprises"] == 1
    assert response.context["local_hidden"] == 1


def test_api_chain_detail_gives_status_reason_and_the_users_town(chains, users, api_for):
    enterprise(users["diankou"], "诸暨市甲电机有限公司", "驱动电机制造")
    nev = chains["nev"]
    listed = api_for(users["diankou"]).get("/api/v1/chains").json()
    assert [c["name"] for c in listed["results"]] == ["新能源汽车", "智能视觉"]
    body = api_for(users["diankou"]).get(f"/api/v1/chains/{nev.pk}").json()
    assert body["town"] == "店口镇"
    motor = next(n for n in body["nodes"] if n["code"] == "nev.mid.motor")
    assert motor["segment"] == "midstream" and motor["parent_id"] == node(nev, "nev.mid").pk
    assert (motor["status"], motor["county"]["enterprises"], motor["town"]["enterprises"]) == ("弱", 1, 1)
    assert "低于强链门槛" in motor["reason"]
    other = Chain.objects.create(
        region=users["diankou"].org_unit.region.__class__.objects.create(name="外县", kind="city", code="wx"),
        code="x",
        name="外县链",
    )
    assert api_for(users["diankou"]).get(f"/api/v1/chains/{other.pk}").status_code == 404


def test_api_classify_has_the_issue_shape(chains, users, api_for):
    response = api_for(users["center"]).post(
        "/api/v1/chains/classify",
        {"name": "浙江某某新能源有限公司", "business_scope": "动力电池、锂离子电池的研发与制造"},
        content_type="application/json",
    )
    assert response.status_code == 200
    first = response.json()[0]
    assert (first["chain"], first["node"], first["source"]) == ("新能源汽车", "动力电池", "keyword")
    assert 0 < first["confidence"] <= 1
    empty = api_for(users["center"]).post(
        "/api/v1/chains/classify", {"name": "某餐饮店", "business_scope": "餐饮服务"}, content_type="application/json"
    )
    assert empty.json() == []


def test_targets_api_and_three_targets_to_the_shanghai_office(chains, users, api_for, county):
    battery = node(chains["nev"], "nev.mid.battery")
    shanghai = {"kind": "target", "province": "上海市", "city": "上海市"}
    made = [
        enterprise(
            users["center"], f"上海某{i}动力电池有限公司", "动力电池制造", capital=str(1000 * (i + 1)), **shanghai
        )
        for i in range(3)
    ]
    api = api_for(users["center"])
    targets = api.get(f"/api/v1/chains/nodes/{battery.pk}/targets?limit=50").json()
    assert [t["enterprise"]["id"] for t in targets] == [m.pk for m in reversed(made)]  # same fit: larger first
    first = targets[0]
    assert {f["name"] for f in first["factors"]} == {"节点匹配", "规模与榜单", "成长与意向", "区位", "本地关联"}
    assert first["score"] == round(sum(f["points"] for f in first["factors"]), 1)
    assert "长三角（上海市）" in first["reason"] and first["in_pipeline"] is False
    for target in made:
        response = api.post(
            f"/api/v1/chains/nodes/{battery.pk}/targets/lead",
            {"enterprise_id": target.pk},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    leads = Lead.objects.order_by("pk")
    assert [(lead.enterprise_id, lead.org_unit_id, lead.chain) for lead in leads] == [
        (m.pk, county.office_sh.pk, "新能源汽车") for m in made
    ]
    again = api.get(f"/api/v1/chains/nodes/{battery.pk}/targets?limit=50").json()
    assert all(t["in_pipeline"] for t in again)  # shown, not hidden
    before = list(Lead.objects.values_list("pk", "version"))
    refused = api.post(
        f"/api/v1/chains/nodes/{battery.pk}/targets/lead",
        {"enterprise_id": made[0].pk},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "已有在办线索" in refused.json()["message"]
    assert list(Lead.objects.values_list("pk", "version")) == before


def test_target_outside_an_office_city_goes_to_the_chains_responsible_unit(chains, users, county):
    from zhaoshang.chains import services

    battery = node(chains["nev"], "nev.mid.battery")
    target = enterprise(
        users["center"], "合肥某动力电池有限公司", "动力电池制造", kind="target", province="安徽省", city="合肥市"
    )
    lead = services.target_to_lead(actor=users["center"], node=battery, enterprise_id=target.pk)
    assert lead.org_unit == county.center  # 牵头单位 of the mini chain: 投资促进中心


def test_editor_page_only_for_editors(chains, users, client_for):
    nev = chains["nev"]
    assert client_for(users["diankou"]).get(reverse("chains:chain_edit", args=[nev.pk])).status_code == 403
    assert client_for(users["center"]).get(reverse("chains:chain_edit", args=[nev.pk])).status_code == 200
    response = client_for(users["center"]).post(
        reverse("chains:chain_edit", args=[nev.pk]),
        {"op": "edge_add", "source": node(nev, "nev.down.recycling").pk, "target": node(nev, "nev.mid.battery").pk},
    )
    assert response.status_code == 302
    assert nev.edges.count() == 6  # the cycle was refused


def test_an_expert_does_not_see_the_chain_map(chains, users, client_for, api_for):
    nev = chains["nev"]
    assert client_for(users["expert1"]).get(reverse("chains:chain_detail", args=[nev.pk])).status_code in (403, 404)
    assert api_for(users["expert1"]).get(f"/api/v1/chains/{nev.pk}").status_code in (403, 404)
    assert api_for(users["expert1"]).get("/api/v1/chains").status_code == 404  # the expert-only guard
