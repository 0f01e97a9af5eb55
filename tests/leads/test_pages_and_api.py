import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.imports.files import write_xlsx
from zhaoshang.leads import services
from zhaoshang.leads.models import Lead


def test_saved_views_and_export(users, client_for):
    mine = services.lead_register(actor=users["diankou"], data={"title": "我的", "source": "town"})
    services.lead_register(actor=users["center"], data={"title": "池中的", "source": "online"}, to_pool=True)
    client = client_for(users["diankou"])
    assert [lead.pk for lead in client.get("/leads/", {"view": "mine"}).context["page_obj"]] == [mine.pk]
    pool = client.get("/leads/", {"view": "pool"}).context["page_obj"]
    assert [lead.title for lead in pool] == ["池中的"]
    overdue = client.get("/leads/", {"view": "overdue"}).context["page_obj"]
    assert [lead.pk for lead in overdue] == []
    from zhaoshang.imports.files import read_rows

    exported = client.get("/leads/", {"export": "1", "view": "mine"})
    rows = list(read_rows(b"".join(exported.streaming_content), "xlsx"))
    assert [r[1] for r in rows[1:]] == ["我的"]


def test_api_followups_assign_claim_convert(users, api_for, county):
    api = api_for(users["diankou"])
    created = api.post(
        "/api/v1/leads",
        {
            "title": "空气轴承项目",
            "source": "office",
            "enterprise_name": "璞剑轴承有限公司",
            "contact_phone": "13912345678",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["contact_phone"] == "139****5678"
    pk = created.json()["id"]
    followup = api.post(
        f"/api/v1/leads/{pk}/follow-ups",
        {"kind": "visit", "date": "2026-03-02", "summary": "拜访"},
        content_type="application/json",
    )
    assert followup.status_code == 201
    assert [f["summary"] for f in api.get(f"/api/v1/leads/{pk}/follow-ups").json()] == ["拜访"]
    converted = api.post(f"/api/v1/leads/{pk}/convert")
    assert converted.status_code == 201 and converted.json()["stage"] == "在谈"
    assert api.get(f"/api/v1/leads/{pk}").json()["status"] == "converted"
    pooled = (
        api_for(users["center"])
        .post("/api/v1/leads", {"title": "池", "source": "online", "to_pool": True}, content_type="application/json")
        .json()
    )
    claimed = api_for(users["datang"]).post(f"/api/v1/leads/{pooled['id']}/claim").json()
    assert claimed["org_unit_id"] == users["datang"].org_unit_id
    other = (
        api_for(users["center"])
        .post("/api/v1/leads", {"title": "分派", "source": "online"}, content_type="application/json")
        .json()
    )
    assigned = api_for(users["center"]).post(
        f"/api/v1/leads/{other['id']}/assign",
        {"org_unit_id": county.diankou.pk, "owner_id": users["diankou"].pk},
        content_type="application/json",
    )
    assert assigned.status_code == 200 and assigned.json()["owner_id"] == users["diankou"].pk
    protected = api.post(
        "/api/v1/leads",
        {"title": "大项目", "source": "town", "enterprise_name": "巨无霸集团", "investment_rmb": "200000"},
        content_type="application/json",
    )
    assert protected.json()["protected_until"]
    clash = api_for(users["datang"]).post(
        "/api/v1/leads",
        {"title": "大项目2", "source": "town", "enterprise_name": "巨无霸集团有限公司"},
        content_type="application/json",
    )
    assert clash.status_code == 422 and clash.json()["owner_unit"] == "店口镇"


def import_leads(actor, buffer, capture_on_commit):
    from zhaoshang.imports import services as import_services

    with capture_on_commit(execute=True):
        job = import_services.import_start(
            actor=actor,
            kind="leads",
            mode="valid_only",
            upload=SimpleUploadedFile("线索.xlsx", buffer.getvalue()),
        )
    job.refresh_from_db()
    return job


def test_lead_import_with_protection_and_idempotence(users, django_capture_on_commit_callbacks):
    services.lead_register(
        actor=users["diankou"],
        data={"title": "海亮老线索", "source": "town", "enterprise_name": "海亮集团有限公司", "investment_rmb": 150000},
    )
    headers = ["线索名称", "投资主体", "来源渠道", "来源单位", "预计投资（万元）", "登记日期"]
    rows = [
        ["轴承项目", "某轴承有限公司", "驻外办事处", "上海办事处", 5000, "2026-03-01"],
        ["海亮新项目", "海亮集团", "镇街", "", "", ""],
        ["无名项目", "", "网络", "不存在的单位", "", ""],
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, [("数据", headers, rows)])

    job = import_leads(users["datang"], buffer, django_capture_on_commit_callbacks)
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "首谈保护" in messages[3] and messages[4] == "来源单位“不存在的单位”不是本地区的单位"
    assert job.created_count == 1 and Lead.objects.filter(title="轴承项目", registered_on=date(2026, 3, 1)).exists()
    again = import_leads(users["datang"], buffer, django_capture_on_commit_callbacks)
    assert again.created_count == 0 and again.unchanged_count == 1
    assert Lead.objects.filter(title="轴承项目").count() == 1


def test_system_administrator_edits_lead_rules_and_assignment_rules(users, county, client_for):
    from zhaoshang.leads.models import AssignmentRule, LeadRules

    client = client_for(users["sysadmin"])
    assert client.get("/leads/rules/").status_code == 200
    response = client.post(
        "/leads/rules/",
        {
            "action": "rules",
            "respond_workdays": 2,
            "assess_workdays": 3,
            "major_assess_workdays": 5,
            "report_every_days": 10,
            "protect_amount": "50000",
            "protect_days": 90,
            "usd_rate": "7.2",
        },
    )
    assert response.status_code == 302
    rules = LeadRules.objects.get(region=county.root)
    assert (rules.respond_workdays, rules.protect_amount, rules.protect_days) == (2, 50000, 90)
    client.post(
        "/leads/rules/",
        {
            "action": "add",
            "order": 1,
            "source_unit": county.office_sh.pk,
            "assign_unit": county.diankou.pk,
            "is_active": "on",
        },
    )
    assert AssignmentRule.objects.get().assign_unit == county.diankou
    assert client_for(users["center"]).get("/leads/rules/").status_code == 403


def test_board_counts_each_status(users, client_for):
    for title in ("甲", "乙", "丙"):
        services.lead_register(actor=users["diankou"], data={"title": title, "source": "town"})
    columns = {c["status"]: c for c in client_for(users["diankou"]).get("/leads/board/").context["columns"]}
    assert columns["assigned"]["count"] == 3 and len(columns["assigned"]["cards"]) == 3


def test_saved_views_in_the_api_and_on_the_page(users, client_for, api_for):
    mine = services.lead_register(actor=users["diankou"], data={"title": "我的", "source": "town"})
    late = services.lead_register(
        actor=users["diankou"], data={"title": "超时的", "source": "town"}, on=date(2026, 3, 2)
    )
    Lead.objects.filter(pk=late.pk).update(owner=None)
    services.lead_register(actor=users["center"], data={"title": "池中的", "source": "online"}, to_pool=True)
    api = api_for(users["diankou"])

    def titles(**params):
        body = api.get("/api/v1/leads", params).json()
        assert body["count"] == len(body["results"])
        return [lead["title"] for lead in body["results"]]

    assert titles() == ["我的", "超时的"]
    assert titles(view="mine") == ["我的"]
    assert titles(view="pool") == ["池中的"]
    assert titles(view="overdue") == ["超时的"]
    assert titles(view="overdue", q="我的") == []
    refused = api.get("/api/v1/leads", {"view": "later"})
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"view": ["视图应为 all、mine、overdue 或 pool"]}
    page = client_for(users["diankou"]).get("/leads/", {"view": "later"})
    assert page.context["view"] == "all"
    assert [lead.pk for lead in page.context["page_obj"]] == [mine.pk, late.pk]
    overdue = client_for(users["diankou"]).get("/leads/", {"view": "overdue"}).context["page_obj"]
    assert [lead.pk for lead in overdue] == [late.pk] and overdue[0].overdue_reasons


def test_industry_code_reads_the_same_in_the_form_and_the_api(users, client_for, api_for):
    message = "行业代码“9999”不存在于 GB/T 4754-2017"
    form = {"title": "项目", "source": "office", "project_type": "new", "grade": "B", "industry_code": "9999"}
    page = client_for(users["diankou"]).post("/leads/add/", form)
    assert page.context["form"].errors["industry_code"] == [message]
    refused = api_for(users["diankou"]).post(
        "/api/v1/leads", {"title": "项目", "source": "office", "industry": "9999"}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["fields"] == {"industry": [message]}
    assert Lead.objects.count() == 0
    created = api_for(users["diankou"]).post(
        "/api/v1/leads", {"title": "项目", "source": "office", "industry": " 34 "}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["industry"] == "34"


def test_lead_import_reads_industry_codes_like_the_form(users, django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    rows = [["轴承项目", "驻外办事处", "3452"], ["未知行业", "网络", "9999"], ["写错的", "网络", "34-5"]]
    write_xlsx(buffer, [("数据", ["线索名称", "来源渠道", "行业代码"], rows)])
    job = import_leads(users["datang"], buffer, django_capture_on_commit_callbacks)
    assert {e["row"]: e["message"] for e in job.errors} == {
        3: "行业代码“9999”不存在于 GB/T 4754-2017",
        4: "“34-5”不是 GB/T 4754 行业代码",
    }
    assert Lead.objects.get().industry.code == "3452"
