from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_county, make_user
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.stats import selectors
from zhaoshang.stats.models import FDIRecord, Target

D = Decimal


@pytest.fixture
def zhuji(db):
    county = make_county("诸暨市", prefix="zhuji")
    leader = make_user("leader", "leader", county.root)
    officer = make_user("diankou", "officer", county.diankou)
    for i in range(40):
        enterprise_create(
            actor=officer, data={"name": f"外资示例{i:02d}（中国）有限公司", "origin": "foreign", "country": "新加坡"}
        )
    return county, leader, officer


def test_demo_reproduces_the_published_figures(zhuji):
    from demo.stats import seed_fdi

    county, leader, _ = zhuji
    assert seed_fdi() > 0
    y2021 = selectors.fdi_stats(user=leader, year=2021, month=12)
    assert y2021["actual"]["cumulative"] == D("13509.00")
    assert y2021["actual"]["yoy_pct"] == D("20.0")
    h1 = selectors.fdi_stats(user=leader, year=2022, month=6)
    assert h1["actual"]["cumulative"] == D("2788.90")
    assert h1["large_projects"] == {"threshold": D("1000"), "count": 1}
    assert h1["contract"]["cumulative"] == D("16222.23")
    assert h1["contract"]["yoy_pct"] == D("96.7")
    assert h1["target"]["actual"] == D("15000.00")
    assert h1["completion_pct"]["actual"] == D("18.6")  # 2788.9 / 15000
    assert h1["schedule_gap_pts"]["actual"] == D("-31.4")  # 18.6 − 50


def record(unit, enterprise, day, kind, amount, form="new", project=None):
    r = FDIRecord(
        date=day,
        kind=kind,
        form=form,
        amount=D(amount),
        enterprise=enterprise,
        project=project,
        org_unit=unit,
        region_id=unit.region_id,
    )
    r.save()
    return r


@pytest.fixture
def small(users, county):
    e = enterprise_create(actor=users["diankou"], data={"name": "甲外资有限公司", "origin": "foreign"})
    f = enterprise_create(actor=users["datang"], data={"name": "乙外资有限公司", "origin": "foreign"})
    return e, f


def test_yoy_with_a_zero_base_is_none(users, county, small):
    e, _ = small
    record(county.diankou, e, date(2026, 1, 5), "actual", "100")
    stats = selectors.fdi_stats(user=users["leader"], year=2026, month=1)
    assert stats["actual"]["yoy_pct"] is None and stats["actual"]["cumulative"] == D("100.00")


def test_capital_decrease_counts_negative_in_contract_fdi(users, county, small):
    e, _ = small
    record(county.diankou, e, date(2026, 3, 1), "contract", "500", form="new")
    record(county.diankou, e, date(2026, 3, 9), "contract", "120.50", form="decrease")
    record(county.diankou, e, date(2026, 3, 9), "actual", "80", form="decrease")  # only contract FDI goes negative
    stats = selectors.fdi_stats(user=users["leader"], year=2026, month=3)
    assert stats["contract"]["month"] == D("379.50")
    assert stats["actual"]["month"] == D("80.00")


def test_large_projects_threshold_is_inclusive(users, county, small):
    e, f = small
    record(county.diankou, e, date(2026, 2, 1), "actual", "600")
    record(county.diankou, e, date(2026, 4, 1), "actual", "400")  # exactly 1,000 in months 1..4
    record(county.datang, f, date(2026, 4, 1), "actual", "999.99")
    assert selectors.fdi_stats(user=users["leader"], year=2026, month=3)["large_projects"]["count"] == 0
    assert selectors.fdi_stats(user=users["leader"], year=2026, month=4)["large_projects"]["count"] == 1


def test_month_edges_and_sub_unit_roll_up(users, county, small):
    e, f = small
    record(county.diankou, e, date(2025, 12, 31), "actual", "10")
    record(county.diankou, e, date(2026, 1, 1), "actual", "20")
    record(county.datang, f, date(2026, 12, 31), "actual", "30")
    later = date(2027, 1, 10)  # December 2026 complete, whatever the clock says
    dec = selectors.fdi_stats(user=users["leader"], year=2026, month=12, today=later)
    assert (dec["actual"]["month"], dec["actual"]["cumulative"], dec["actual"]["cumulative_prev_year"]) == (
        D("30.00"),
        D("50.00"),
        D("10.00"),
    )
    jan = selectors.fdi_stats(user=users["leader"], year=2026, month=1)
    assert (jan["actual"]["month"], jan["actual"]["cumulative"], jan["actual"]["cumulative_prev_year"]) == (
        D("20.00"),
        D("20.00"),
        D("0.00"),
    )
    town = selectors.fdi_stats(user=users["leader"], year=2026, month=12, org_unit_id=county.root.pk, today=later)
    assert town["actual"]["cumulative"] == D("50.00")  # the root includes every sub-unit
    only = selectors.fdi_stats(user=users["leader"], year=2026, month=12, org_unit_id=county.datang.pk, today=later)
    assert only["actual"]["cumulative"] == D("30.00")


def test_data_scope_a_town_sees_its_own_numbers(users, county, small, api_for):
    e, f = small
    record(county.diankou, e, date(2026, 5, 1), "actual", "100")
    record(county.datang, f, date(2026, 5, 1), "actual", "300")
    Target.objects.create(region=county.root, org_unit=county.diankou, year=2026, metric="actual", value=D("400"))
    diankou = selectors.fdi_stats(user=users["diankou"], year=2026, month=6)
    assert diankou["actual"]["cumulative"] == D("100.00") and diankou["completion_pct"]["actual"] == D("25.0")
    assert diankou["schedule_gap_pts"]["actual"] == D("-25.0")
    body = api_for(users["datang"]).get("/api/v1/stats/fdi", {"year": 2026, "month": 6}).json()
    assert body["actual"]["cumulative"] == "300.00"
    assert (
        api_for(users["leader"]).get("/api/v1/stats/fdi", {"year": 2026, "month": 6}).json()["actual"]["cumulative"]
        == "400.00"
    )
    drill = api_for(users["diankou"]).get("/api/v1/fdi-records", {"kind": "actual", "year": 2026}).json()
    assert drill["count"] == 1
    bad = api_for(users["leader"]).get("/api/v1/stats/fdi", {"year": 2026, "month": 13})
    assert bad.status_code == 422 and bad.json()["fields"] == {"month": ["月份应在 1 到 12 之间"]}


def test_monthly_rankings_and_overview_api(users, county, small, api_for):
    e, f = small
    record(county.diankou, e, date(2026, 2, 1), "actual", "100")
    record(county.datang, f, date(2026, 3, 1), "actual", "300")
    api = api_for(users["leader"])
    monthly = api.get("/api/v1/stats/fdi/monthly", {"year": 2026}).json()
    assert monthly["series"]["actual_this_year"]["month"][1] == "100.00"
    assert monthly["series"]["actual_this_year"]["cumulative"][2] == "400.00"
    ranks = api.get("/api/v1/stats/rankings", {"year": 2026, "month": 3, "metric": "actual"}).json()
    assert [r["org_unit"] for r in ranks][:2] == ["大唐街道", "店口镇"]
    assert api.get("/api/v1/stats/overview").status_code == 200


def test_pages_render(users, county, small, client_for):
    e, _ = small
    record(county.diankou, e, date(2026, 2, 1), "actual", "100")
    client = client_for(users["leader"])
    for url in (
        "/stats/",
        "/stats/?period=2026-02",
        "/stats/records/?kind=actual&year=2026",
        "/stats/rankings/",
        "/stats/cockpit/",
        "/stats/cockpit/?wall=1",
        "/stats/reports/",
        "/stats/targets/",
    ):
        assert client.get(url).status_code == 200, url
    assert client_for(users["expert1"]).get("/stats/").status_code == 404  # an expert reaches only his reviews


def test_briefing_docx_contains_the_numbers(zhuji, django_capture_on_commit_callbacks, client_for):
    import io

    from docx import Document

    from demo.stats import seed_fdi
    from zhaoshang.stats import services
    from zhaoshang.stats.models import ReportJob

    county, leader, _ = zhuji
    seed_fdi()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(actor=leader, kind="briefing", year=2022, month=6)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.message
    text = "\n".join(p.text for p in Document(io.BytesIO(job.file.read())).paragraphs)
    assert "2022年1-6月，全市实际使用外资 2,788.90 万美元" in text
    assert "合同外资 16,222.23 万美元，同比增长 96.7%" in text
    assert "实到外资 1000 万美元以上项目 1 个" in text
    assert "落后序时进度 31.4 个百分点" in text
    response = client_for(leader).get(f"/stats/reports/{job.pk}/download/")
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        ledger = services.report_request(actor=leader, kind="fdi_ledger", year=2022, month=6)
    ledger.refresh_from_db()
    from zhaoshang.imports.files import read_rows

    rows = list(read_rows(ledger.file.read(), "xlsx"))
    assert sum(Decimal(str(r[7])) for r in rows[1:] if r[4] == "实际使用外资" and str(r[0]).startswith("2022")) == D(
        "2788.90"
    )


def test_fdi_import_creates_missing_enterprises_and_names_bad_units(users, county, django_capture_on_commit_callbacks):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.imports import services as import_services
    from zhaoshang.imports.files import write_xlsx

    enterprise_create(actor=users["diankou"], data={"name": "已有外资（中国）有限公司", "origin": "foreign"})
    headers = [
        "日期",
        "企业名称",
        "统一社会信用代码",
        "项目名称",
        "类型",
        "方式",
        "金额(万美元)",
        "来源国家/地区",
        "所属单位",
    ]
    rows = [
        ["2026-03-01", "已有外资（中国）有限公司", "", "", "实际使用外资", "增资", 300, "新加坡", "店口镇"],
        ["2026-03-02", "新来外资（中国）有限公司", "", "", "合同外资", "新设", 800, "德国", ""],
        ["2026-03-03", "又一家有限公司", "", "", "合同外资", "新设", 100, "日本", "火星镇"],
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, [("数据", headers, rows)])

    def run(mode):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_services.import_start(
                actor=users["diankou"],
                kind="fdi_records",
                mode=mode,
                upload=SimpleUploadedFile("外资.xlsx", buffer.getvalue()),
            )
        job.refresh_from_db()
        return job

    dry = run("dry_run")
    assert dry.errors == [{"row": 4, "column": "所属单位", "message": "所属单位“火星镇”不是本地区的单位"}]
    assert not Enterprise.objects.filter(name="新来外资（中国）有限公司").exists()
    job = run("valid_only")
    assert job.created_count == 2 and FDIRecord.objects.count() == 2
    assert Enterprise.objects.get(name="新来外资（中国）有限公司").origin == "foreign"
    assert run("valid_only").created_count == 0 and FDIRecord.objects.count() == 2


def test_briefing_template_upload_is_checked(users, client_for, tmp_path, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.stats import reports

    monkeypatch.setattr(reports, "CUSTOM_TEMPLATE", tmp_path / "briefing.docx")
    client = client_for(users["sysadmin"])
    assert client.get("/stats/briefing-template/").status_code == 200
    bad = client.post("/stats/briefing-template/", {"file": SimpleUploadedFile("x.docx", b"not a zip")}, follow=True)
    assert "不是 Word（.docx）文件" in bad.content.decode()
    assert not reports.CUSTOM_TEMPLATE.exists()
    good = client.post(
        "/stats/briefing-template/", {"file": SimpleUploadedFile("t.docx", reports.default_template())}, follow=True
    )
    assert "已更换简报模板" in good.content.decode() and reports.CUSTOM_TEMPLATE.exists()
    assert client_for(users["center"]).get("/stats/briefing-template/").status_code == 403


def test_activity_index_counts_signings_and_visits(users, county):
    from zhaoshang.leads import services as lead_services
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.stages import ensure_default_stages

    ensure_default_stages(county.root)
    lead = lead_services.lead_register(actor=users["diankou"], data={"title": "甲", "source": "town"})
    lead_services.followup_add(
        actor=users["diankou"], lead=lead, data={"kind": "visit", "summary": "拜访", "date": date(2026, 3, 5)}
    )
    lead_services.followup_add(
        actor=users["diankou"], lead=lead, data={"kind": "meeting", "summary": "会议", "date": date(2026, 3, 6)}
    )
    project = lead_services.lead_convert(actor=users["diankou"], lead=lead, on=date(2026, 3, 7))
    Project.objects.filter(pk=project.pk).update(signed_actual=date(2026, 3, 20))
    [row] = selectors.activity_index(user=users["leader"], year=2026, month=3)
    # signed 5 + one visit 2 + one meeting 1: the converted lead's follow-ups count once (on the project)
    assert (row["org_unit"], row["signed"], row["visits"], row["meetings"], row["index"]) == ("店口镇", 1, 1, 1, 8)


def test_targets_are_imported_and_updated(users, county, django_capture_on_commit_callbacks):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.imports import services as import_services
    from zhaoshang.imports.files import write_xlsx

    def run(rows):
        buffer = io.BytesIO()
        write_xlsx(buffer, [("数据", ["年度", "单位", "指标", "目标值"], rows)])
        with django_capture_on_commit_callbacks(execute=True):
            job = import_services.import_start(
                actor=users["center"],
                kind="targets",
                mode="commit",
                upload=SimpleUploadedFile("目标.xlsx", buffer.getvalue()),
            )
        job.refresh_from_db()
        return job

    job = run([[2026, "店口镇", "实际使用外资（万美元）", 2500], [2026, "大唐街道", "合同外资（万美元）", 900]])
    assert job.created_count == 2, job.errors
    again = run([[2026, "店口镇", "实际使用外资（万美元）", 2600]])
    assert again.updated_count == 1 and Target.objects.get(org_unit=county.diankou).value == D("2600")
    bad = run([[2026, "火星镇", "实际使用外资（万美元）", 1]])
    assert bad.errors[0]["message"] == "单位“火星镇”不是本地区的单位" and not bad.committed


def test_overview_counts_every_figure_of_the_cockpit(users, county):
    from zhaoshang.leads import services as lead_services
    from zhaoshang.leads.models import Lead
    from zhaoshang.projects import services as project_services
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.stages import ensure_default_stages

    today = date(2026, 6, 15)
    officer = users["diankou"]
    stages = ensure_default_stages(county.root)
    made = [
        project_services.project_create(actor=officer, data={"name": f"项目{i}"}, on=date(2026, 1, 5)) for i in range(5)
    ]
    other_unit = project_services.project_create(actor=users["datang"], data={"name": "大唐项目"}, on=date(2026, 1, 5))
    project_services.problem_raise(
        actor=officer,
        project=made[0],
        title="用地",
        owner_unit=county.zrzy,
        due_on=date(2026, 6, 1),
        on=date(2026, 5, 1),
    )
    project_services.problem_raise(
        actor=officer,
        project=made[1],
        title="环评",
        owner_unit=county.zrzy,
        due_on=date(2026, 7, 1),
        on=date(2026, 5, 1),
    )
    # lights set after the problems (raising one re-computes the project's warning)
    Project.objects.filter(pk=made[0].pk).update(
        stage=stages[2], light="red", signed_actual=date(2026, 3, 1), total_investment=D("20000")
    )
    Project.objects.filter(pk=made[1].pk).update(
        stage=stages[2], light="yellow", signed_actual=date(2026, 2, 1), total_investment=D("500.5")
    )
    Project.objects.filter(pk=made[2].pk).update(signed_actual=date(2025, 12, 31), total_investment=D("9"))
    Project.objects.filter(pk=made[3].pk).update(is_dormant=True, signed_actual=date(2026, 1, 2))
    for title, status, on in (
        ("新线索", None, date(2026, 2, 1)),
        ("去年的", None, date(2025, 5, 1)),
        ("已转化", Lead.Status.CONVERTED, date(2026, 3, 1)),
    ):
        lead = lead_services.lead_register(actor=officer, data={"title": title, "source": "town"}, on=on)
        if status:
            Lead.objects.filter(pk=lead.pk).update(status=status)

    figures = selectors.overview(user=users["diankou"], today=today)
    assert figures["leads"] == {"total": 3, "open": 2, "this_year": 2, "converted_this_year": 1}
    p = figures["projects"]
    assert p["total"] == 4  # the dormant one and the other town's are not counted
    assert p["by_stage"] == [{"stage": stages[0].name, "count": 2}, {"stage": stages[2].name, "count": 2}]
    assert p["by_light"] == {"green": 2, "yellow": 1, "red": 1}
    assert (p["signed_this_year"], p["signed_investment"], p["big_signed_this_year"]) == (2, D("20500.50"), 1)
    assert (figures["problems_open"], figures["problems_overdue"]) == (2, 1)
    assert selectors.overview(user=users["leader"], today=today)["projects"]["total"] == 5
    assert other_unit.pk not in {x.pk for x in made}


def test_red_projects_worst_first_live_and_in_scope(users, county):
    from zhaoshang.projects import services as project_services
    from zhaoshang.projects.models import Project

    officer = users["diankou"]
    made = [
        project_services.project_create(actor=officer, data={"name": f"红灯{i}"}, on=date(2026, 1, 5)) for i in range(5)
    ]
    elsewhere = project_services.project_create(actor=users["datang"], data={"name": "大唐红灯"}, on=date(2026, 1, 5))
    for project, escalation, since in (
        (made[0], 1, date(2026, 3, 1)),
        (made[1], 3, date(2026, 4, 1)),
        (made[2], 3, date(2026, 2, 1)),
        (elsewhere, 3, date(2026, 1, 1)),
    ):
        Project.objects.filter(pk=project.pk).update(light="red", escalation=escalation, warning_since=since)
    Project.objects.filter(pk=made[3].pk).update(light="red", escalation=3, is_dormant=True)
    Project.objects.filter(pk=made[4].pk).update(light="yellow", escalation=3)
    assert [p.pk for p in selectors.red_projects(user=officer)] == [made[2].pk, made[1].pk, made[0].pk]
    assert [p.pk for p in selectors.red_projects(user=users["leader"], limit=2)] == [elsewhere.pk, made[2].pk]


def test_the_page_lists_the_largest_projects_and_counts_them_all(users, county, client_for, monkeypatch):
    e = enterprise_create(actor=users["diankou"], data={"name": "丙外资有限公司", "origin": "foreign"})
    f = enterprise_create(actor=users["diankou"], data={"name": "丁外资有限公司", "origin": "foreign"})
    g = enterprise_create(actor=users["diankou"], data={"name": "戊外资有限公司", "origin": "foreign"})
    for enterprise, amount in ((e, "1500"), (f, "3000"), (g, "1000")):
        record(county.diankou, enterprise, date(2026, 2, 1), "actual", amount)
    monkeypatch.setattr(selectors, "LARGE_SHOWN", 2)
    parts = selectors.breakdown(user=users["leader"], year=2026, month=2)
    assert [(r["name"], r["total"]) for r in parts["large"]] == [
        ("丁外资有限公司", D("3000.00")),
        ("丙外资有限公司", D("1500.00")),
    ]
    assert parts["large_count"] == 3
    body = client_for(users["leader"]).get("/stats/?period=2026-02").content.decode()
    assert "共 3 个，列出实到外资最多的 2 个" in body and "戊外资有限公司" not in body


def test_briefing_template_page_explains_the_fields_in_chinese(users, client_for):
    body = client_for(users["sysadmin"]).get("/stats/briefing-template/").content.decode()
    assert "实际使用外资年度目标" in body and "<code>fdi.target.actual</code>" in body
    assert "What the template may use" not in body and "month_range, fdi" not in body


def test_briefing_fields_exist():
    """Every listed placeholder resolves in the template's context, and every one the built-in template uses is
    listed."""
    import re
    import zipfile
    from io import BytesIO

    from zhaoshang.stats import reports

    listed = {name for _, fields in reports.BRIEFING_FIELDS for name, _ in fields}
    context = reports._sample_context()
    for name in listed:
        value = context
        for part in name.split("."):
            assert part in value, name
            value = value[part]
    document = zipfile.ZipFile(BytesIO(reports.default_template())).read("word/document.xml").decode()
    used = set(re.findall(r"\{\{ ([a-z_][\w.]*)", document)) | set(re.findall(r"for \w+ in (\w+)", document))
    used = {name for name in used if not name.startswith(("r.", "p.", "loop."))}
    assert used and used <= listed
