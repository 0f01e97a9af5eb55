"""The paste-and-extract form: the extracted proposals land in the lead form's own fields (title, investor with an
anonymity note, the county's town, the source channel and unit, province/city rather than country), and the new
province/city fields are saved, shown, validated in the API and carried into the enterprise on conversion."""

from zhaoshang.leads import extraction, services
from zhaoshang.leads.models import Lead
from zhaoshang.projects.stages import ensure_default_stages

ISSUE_TEXT = (
    "杭州某新材料科技有限公司拟投资3亿元在店口镇建设年产5万吨高性能复合材料项目，需用地80亩，联系人王经理13812345678"
)


def form_of(client, text: str):
    response = client.post("/leads/extract/", {"text": text})
    assert response.status_code == 200
    return response.context["form"], response


def test_the_issue_text_fills_title_investor_town_and_province(users, county, client_for):
    form, response = form_of(client_for(users["center"]), ISSUE_TEXT)
    initial = form.initial
    assert initial["title"] == "杭州某新材料年产5万吨高性能复合材料项目"
    assert initial["enterprise_name"] == "杭州某新材料科技有限公司"
    assert initial["preferred_town"] == county.diankou.pk
    assert (initial["investor_province"], initial["investor_city"]) == ("浙江省", "杭州市")
    assert "investor_country" not in initial
    assert initial["land_mu"] == "80" and initial["investment_rmb"] == 30000
    html = response.content.decode()
    assert "投资主体「杭州某新材料科技有限公司」为匿名写法，请核实" in html
    assert '<mark title="投资主体（匿名）">杭州某新材料科技有限公司</mark>' in html
    assert '<mark title="意向镇街">店口镇</mark>' in html
    # the select shows the town chosen, the province select its value
    assert f'<option value="{county.diankou.pk}" selected>店口镇</option>' in html
    assert '<option value="浙江省" selected>浙江省</option>' in html


def test_a_header_gives_the_source_channel_and_unit(users, county, client_for):
    client = client_for(users["diankou"])  # a town officer: the default source would be 镇街
    form, _ = form_of(client, "上海办：上海澜拓精密机械有限公司拟在大唐投资1亿元建设空气轴承项目。")
    assert form.initial["source"] == "office"
    assert form.initial["source_unit"] == county.office_sh.pk
    assert form.initial["preferred_town"] == county.datang.pk
    assert form.initial["title"] == "澜拓空气轴承项目"
    assert form.initial["enterprise_name"] == "上海澜拓精密机械有限公司"
    form, _ = form_of(client, "自然资源和规划局转：德国某精密机械有限公司拟在店口投资3000万美元新建轴承工厂。")
    assert (form.initial["source"], form.initial["source_unit"]) == ("department", county.zrzy.pk)
    assert form.initial["investor_country"] == "德国"
    assert "investor_province" not in form.initial


def test_a_channel_without_a_unit_keeps_the_sender_and_the_default_otherwise(users, client_for):
    client = client_for(users["diankou"])
    form, _ = form_of(client, "From: 世邦魏理仕（CBRE）\n我方客户Nordic Battery Systems AB（瑞典）拟新建储能电池工厂")
    assert form.initial["source"] == "agency"
    assert form.initial["source_detail"] == "世邦魏理仕(CBRE)"
    assert "source_unit" not in form.initial
    form, _ = form_of(client, "上海澜拓精密机械有限公司拟在店口新建空气轴承生产基地")
    assert form.initial["source"] == "town"  # nothing says the channel: the unit's own default stays


def test_units_of_another_county_are_not_proposed(users, other_county, client_for):
    from tests.factories import make_user

    stranger = make_user("stranger", "officer", other_county.diankou)
    initial, _marked, _notes = extraction.extract_for_form("上海办：拟在大唐投资1亿元", user=stranger)
    assert initial["preferred_town"] == other_county.datang.pk
    assert initial["source_unit"] == other_county.office_sh.pk
    initial, _marked, _notes = extraction.extract_for_form("上海办：拟在大唐投资1亿元", user=users["center"])
    assert initial["preferred_town"] != other_county.datang.pk


def test_a_named_investor_has_no_anonymity_note(users, client_for):
    _form, response = form_of(client_for(users["center"]), "上海澜拓精密机械有限公司拟在店口新建空气轴承生产基地")
    assert "匿名写法" not in response.content.decode()


def test_the_province_and_city_are_saved_shown_and_carried_into_the_enterprise(users, county, client_for):
    lead = services.lead_register(
        actor=users["center"],
        data={
            "title": "杭州某新材料年产5万吨高性能复合材料项目",
            "source": "office",
            "enterprise_name": "杭州华澜新材料科技有限公司",
            "investor_province": "浙江省",
            "investor_city": "杭州市",
        },
    )
    page = client_for(users["center"]).get(f"/leads/{lead.pk}/").content.decode()
    assert "杭州华澜新材料科技有限公司（浙江省杭州市）" in page
    ensure_default_stages(county.root)
    project = services.lead_convert(actor=users["center"], lead=lead)
    assert (project.investor.province, project.investor.city, project.investor.country) == ("浙江省", "杭州市", "")


def test_the_api_takes_and_checks_the_province(users, api_for):
    api = api_for(users["center"])
    ok = api.post(
        "/api/v1/leads",
        {"title": "A", "source": "office", "investor_province": "江苏省", "investor_city": "苏州市"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert (ok.json()["investor_province"], ok.json()["investor_city"]) == ("江苏省", "苏州市")
    before = Lead.objects.count()
    bad = api.post(
        "/api/v1/leads",
        {"title": "B", "source": "office", "investor_province": "杭州"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["fields"]["investor_province"] == ["请填写省级行政区全称，如 浙江省、上海市"]
    assert Lead.objects.count() == before


def test_the_api_extract_gives_the_proposals(users, county, api_for):
    response = api_for(users["center"]).post(
        "/api/v1/leads/extract", {"text": ISSUE_TEXT}, content_type="application/json"
    )
    fields = response.json()["fields"]
    assert fields["title"]["value"] == "杭州某新材料年产5万吨高性能复合材料项目"
    assert fields["anonymous_investor"]["anonymous"] is True
    assert fields["preferred_town"]["value"] == "店口镇"
    assert fields["location"]["province"] == "浙江省" and "country" not in fields["location"]
