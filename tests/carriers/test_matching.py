"""要素匹配: hard filters with their reasons, the score's factor contributions, ties, top 10, the API's shape,
saved runs attached as 选址建议 with the diff on re-run, and the reverse match."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from zhaoshang.carriers import matching
from zhaoshang.carriers.models import Carrier, CarrierMatchRun
from zhaoshang.carriers.services import matching as match_services


def _row(**data):
    row = dict.fromkeys(matching.FIELDS)
    row.update({"id": 1, "name": "地块", "kind": "parcel", "org_unit__name": "店口镇", "industry_focus": ""})
    row.update(data)
    return row


def test_hard_filters_give_each_reason():
    needs = matching.Needs.from_dict({"land_mu": 80, "power_kva": 2000, "budget_wan_per_mu": 30})
    row = _row(area_mu=Decimal("52"), power_kva=1250, price_wan_per_mu=Decimal("45"))
    assert matching.rejections(row, needs) == [
        "面积不足：需 80 亩，地块 52 亩",
        "供电不足：需 2000 千伏安，可供 1250 千伏安",
        "地价超出预算：预算 30 万元/亩，起始价 45 万元/亩",
    ]
    assert matching.rejections(_row(kind="factory", floor_area_m2=Decimal("3000")), needs) == [
        "类型不符：需用地，该载体为标准厂房"
    ]
    floor = matching.Needs.from_dict({"floor_area_m2": 5000, "clear_height_m": 9})
    factory = _row(kind="factory", floor_area_m2=Decimal("3000"), clear_height_m=Decimal("8"))
    assert matching.rejections(factory, floor) == [
        "面积不足：需 5000 ㎡，标准厂房 3000 ㎡",
        "净高不足：需 9 米，载体 8 米",
    ]
    standard = matching.Needs.from_dict({"land_mu": 80, "accept_standard": False})
    assert matching.rejections(_row(area_mu=Decimal("90"), is_standard_land=True), standard) == [
        "标准地须承诺亩均指标，项目不接受"
    ]
    # a value the carrier does not state is not a rejection
    assert matching.rejections(_row(area_mu=Decimal("90")), needs) == []


def test_factor_contributions_and_oversize_penalty():
    today = timezone.localdate()
    context = {"section": "C", "town_center": None, "median_price": 30.0, "today": today}
    needs = matching.Needs.from_dict({"land_mu": 80, "industry": "3670", "town": "店口镇"})
    fit = _row(area_mu=Decimal("90"), town__name="店口镇", industry_focus="C36", price_wan_per_mu=Decimal("30"))
    assert matching.factors(fit, needs, context) == [
        {"name": "面积匹配", "points": 30.0, "max": 30},
        {"name": "区位", "points": 20.0, "max": 20},
        {"name": "产业契合", "points": 20.0, "max": 20},
        {"name": "价格", "points": 7.5, "max": 15},
        {"name": "可供时间", "points": 10.0, "max": 15},
    ]
    big = _row(area_mu=Decimal("240"), available_from=today + timedelta(days=365))  # 300 %: no area points
    points = {f["name"]: f["points"] for f in matching.factors(big, needs, context)}
    assert points["面积匹配"] == 0.0 and points["可供时间"] == 0.0 and points["产业契合"] == 5.0


def test_run_ranks_with_ties_broken_by_area_fit_then_age(users, make_carrier):
    a = make_carrier(name="甲地块", area_mu=Decimal("85"))
    b = make_carrier(name="乙地块", area_mu=Decimal("85"))
    c = make_carrier(name="丙地块", area_mu=Decimal("200"))
    small = make_carrier(name="丁地块", area_mu=Decimal("52"))
    make_carrier(name="戊地块", area_mu=Decimal("100"), status=Carrier.Status.TAKEN)
    result = matching.run_match(Carrier.objects.restrict(users["datang"]), matching.Needs.from_dict({"land_mu": 80}))
    assert [x["carrier"]["id"] for x in result["candidates"]] == [a.pk, b.pk, c.pk]
    assert result["candidates"][0]["score"] == result["candidates"][1]["score"] > result["candidates"][2]["score"]
    assert result["rejected"] == [
        {
            "carrier": {"id": small.pk, "name": "丁地块", "kind": "parcel", "org_unit": "店口镇"},
            "reasons": ["面积不足：需 80 亩，地块 52 亩"],
        }
    ]


def test_top_ten_only(users, make_carrier):
    for i in range(12):
        make_carrier(name=f"地块{i}", area_mu=Decimal(80 + i))
    result = matching.run_match(Carrier.objects.all(), matching.Needs.from_dict({"land_mu": 80}))
    assert len(result["candidates"]) == 10


def test_api_match_shape_and_saved_run(users, make_carrier, api_for):
    good = make_carrier(name="店口镇大地块", area_mu=Decimal("90"), power_kva=2500)
    make_carrier(name="店口镇小地块", area_mu=Decimal("52"))
    body = {"land_mu": 80, "floor_area_m2": None, "power_kva": 2000, "industry": "3670", "town": "店口镇"}
    response = api_for(users["datang"]).post("/api/v1/carriers/match", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [c["carrier"] for c in data["candidates"]] == [
        {"id": good.pk, "name": "店口镇大地块", "kind": "parcel", "org_unit": "店口镇"}
    ]
    assert {f["name"] for f in data["candidates"][0]["factors"]} == {"面积匹配", "区位", "产业契合", "可供时间"}
    assert data["rejected"][0]["reasons"] == ["面积不足：需 80 亩，地块 52 亩"]
    run = CarrierMatchRun.objects.get(pk=data["run_id"])
    assert run.needs["land_mu"] == "80" and run.rules_version == matching.RULES_VERSION
    empty = api_for(users["datang"]).post("/api/v1/carriers/match", {}, content_type="application/json")
    assert empty.status_code == 422


def test_project_run_attached_and_rerun_shows_diff(users, make_carrier, make_project, client_for):
    make_carrier(name="甲地块", area_mu=Decimal("85"))
    project = make_project(actor=users["datang"], land_mu=Decimal("80"))
    first = match_services.match_run(actor=users["datang"], project_id=project.pk)
    match_services.match_attach(actor=users["datang"], run_id=first.pk)
    make_carrier(name="乙地块", area_mu=Decimal("82"))
    response = client_for(users["datang"]).get("/carriers/match/", {"project": project.pk})
    assert response.status_code == 200
    assert response.context["diff"] == {"added": ["乙地块"], "removed": [], "moved": []}
    assert response.context["compared"].pk == first.pk
    assert "新进入：乙地块" in response.content.decode()


def test_reverse_match_lists_fitting_projects(users, make_carrier, make_project, client_for):
    carrier = make_carrier(area_mu=Decimal("90"))
    fits = make_project(actor=users["datang"], name="合适项目", land_mu=Decimal("80"))
    make_project(actor=users["datang"], name="太大项目", land_mu=Decimal("200"))
    response = client_for(users["datang"]).get(f"/carriers/{carrier.pk}/", {"fit": 1})
    assert [f["name"] for f in response.context["fits"]] == [fits.name]


def test_match_page_from_a_project_accepts_standard_land_by_default(users, make_carrier, make_project, client_for):
    standard = make_carrier(name="标准地块", area_mu=Decimal("85"), is_standard_land=True)
    project = make_project(actor=users["datang"], land_mu=Decimal("80"))
    run = client_for(users["datang"]).get("/carriers/match/", {"project": project.pk}).context["run"]
    assert [c["carrier"]["id"] for c in run.results["candidates"]] == [standard.pk]
    refused = client_for(users["datang"]).get("/carriers/match/", {"project": project.pk, "submitted": "1"})
    assert refused.context["run"].results["candidates"] == []  # the box left unticked: 标准地 refused


def test_the_misses_are_exactly_the_live_carriers_the_fits_leave_out(users, make_carrier):
    """The rejected list reads ``exclude(fits)`` (a negated filter, not NOT IN the passing ids): with values
    missing (NULL passes a test), too small, wrong kind and over budget it must split the live carriers exactly."""
    make_carrier(name="无面积地块", area_mu=None, power_kva=None)
    make_carrier(name="小地块", area_mu=Decimal("30"), power_kva=5000)
    make_carrier(name="贵地块", area_mu=Decimal("90"), price_wan_per_mu=Decimal("80"))
    make_carrier(name="便宜地块", area_mu=Decimal("90"), price_wan_per_mu=Decimal("20"), power_kva=800)
    make_carrier(name="厂房", kind="factory", area_mu=None, floor_area_m2=Decimal("6000"), clear_height_m=Decimal("9"))
    make_carrier(name="矮厂房", kind="factory", area_mu=None, floor_area_m2=Decimal("6000"), clear_height_m=None)
    live = Carrier.objects.filter(status__in=[Carrier.Status.AVAILABLE, Carrier.Status.NEGOTIATING])
    everyone = set(live.values_list("pk", flat=True))
    for needs in (
        {"land_mu": 80},
        {"land_mu": 80, "power_kva": 1000, "budget_wan_per_mu": 50},
        {"floor_area_m2": 5000, "clear_height_m": 8},
        {"power_kva": 1000},
        {},
    ):
        fits = matching._fits(matching.Needs.from_dict(needs))
        passing = set(live.filter(fits).values_list("pk", flat=True))
        failing = set((live.exclude(fits) if fits else live.none()).values_list("pk", flat=True))
        assert passing | failing == everyone and not passing & failing, needs
        for carrier in live.filter(pk__in=failing).values(*matching.FIELDS):
            assert matching.rejections(carrier, matching.Needs.from_dict(needs)), (needs, carrier["name"])
