"""A 统筹单位 (OrgUnit.is_coordinating, the demo's 投资促进中心) coordinates the county: its officers view every
lead, project, enterprise and statistic of the region and record statistics for every unit, while a
town's own records stay the town's to change. Every read path is checked, and every refused write
changes nothing."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_user
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.scope import CHANGE, coordinates, unit_scope
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.imports import services as import_services
from zhaoshang.imports.files import write_xlsx
from zhaoshang.leads import services as lead_services
from zhaoshang.leads.models import Lead
from zhaoshang.stats import selectors as stats_selectors
from zhaoshang.stats.models import FDIRecord
from zhaoshang.stats.services import record_create


@pytest.fixture
def center(users, county):
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    users["center"].org_unit.refresh_from_db()
    return users["center"]


@pytest.fixture
def town_records(users):
    enterprise = enterprise_create(actor=users["diankou"], data={"name": "店口精工（中国）有限公司"}, tags=[])
    lead = lead_services.lead_register(
        actor=users["diankou"],
        data={"title": "店口精工扩产", "source": "town", "enterprise_name": "店口精工（中国）有限公司"},
    )
    return enterprise, lead


def test_only_officers_of_a_coordinating_unit_coordinate(users, county, center, other_county):
    assert coordinates(center)
    assert not coordinates(users["diankou"])  # a town is not a 统筹单位
    assert not coordinates(users["expert1"])  # same unit, but an expert has no coordinating capability
    assert not coordinates(make_user("plain", "officer", other_county.center))  # the flag is per unit


def test_coordinating_officer_views_the_region_but_changes_only_own_unit(
    users, center, town_records, other_county, client_for, api_for
):
    enterprise, lead = town_records
    foreign = enterprise_create(
        actor=make_user("sl_officer", "officer", other_county.diankou), data={"name": "外县企业有限公司"}, tags=[]
    )
    assert set(Enterprise.objects.restrict(center).values_list("pk", flat=True)) == {enterprise.pk}
    assert list(Lead.objects.restrict(center).values_list("pk", flat=True)) == [lead.pk]
    assert not Enterprise.objects.restrict(center, CHANGE).exists()
    assert not Lead.objects.restrict(center, CHANGE).exists()
    page, api = client_for(center), api_for(center)
    assert page.get(f"/enterprises/{enterprise.pk}/").status_code == 200
    assert page.get(f"/leads/{lead.pk}/").status_code == 200
    assert page.get(f"/enterprises/{foreign.pk}/").status_code == 404
    assert api.get("/api/v1/leads").json()["count"] == 1
    # the town's content stays the town's to edit
    assert page.get(f"/leads/{lead.pk}/edit/").status_code == 404
    refused = api.patch(
        f"/api/v1/leads/{lead.pk}", {"title": "改名", "version": lead.version}, content_type="application/json"
    )
    assert refused.status_code == 404
    lead.refresh_from_db()
    assert lead.title == "店口精工扩产" and lead.version == 1


def test_the_same_center_without_the_setting_sees_only_its_own_unit(users, town_records, client_for):
    enterprise, lead = town_records
    assert not Lead.objects.restrict(users["center"]).exists()
    assert client_for(users["center"]).get(f"/leads/{lead.pk}/").status_code == 404


def test_coordinating_officer_assigns_and_reassigns_a_towns_lead(users, county, center, town_records):
    _, lead = town_records
    lead = lead_services.lead_assign(actor=center, lead=lead, unit=county.datang)
    assert (lead.org_unit_id, lead.status) == (county.datang.pk, Lead.Status.ASSIGNED)
    lead = lead_services.lead_assign(actor=center, lead=lead, unit=county.diankou, owner=users["diankou"])
    assert (lead.org_unit_id, lead.owner_id) == (county.diankou.pk, users["diankou"].pk)
    assert ObjectChange.objects.filter(object_id=lead.pk, action="update", actor=center).count() == 2


def test_a_town_officer_cannot_assign_another_towns_lead(users, county, center, town_records):
    from zhaoshang.core.errors import NotFound

    _, lead = town_records
    with pytest.raises(NotFound):
        lead_services.lead_assign(actor=users["datang"], lead=lead, unit=county.datang)
    lead.refresh_from_db()
    assert lead.org_unit_id == county.diankou.pk and lead.version == 1


def test_coordinating_officer_records_statistics_for_every_unit(users, county, center, town_records):
    enterprise, _ = town_records
    record = record_create(
        actor=center,
        enterprise=enterprise,
        data={"date": "2026-03-01", "kind": "actual", "form": "increase", "amount": D("300")},
    )
    assert record.org_unit_id == county.diankou.pk  # counted for the enterprise's town
    assert FDIRecord.objects.restrict(center, CHANGE).filter(pk=record.pk).exists()
    assert not FDIRecord.objects.restrict(users["datang"], CHANGE).filter(pk=record.pk).exists()
    # unit_scope (the roll-ups) admits exactly what restrict() admits
    assert unit_scope(FDIRecord, center) is not None
    rolled = FDIRecord.objects.filter(unit_scope(FDIRecord, center))
    assert set(rolled.values_list("pk", flat=True)) == set(
        FDIRecord.objects.restrict(center).values_list("pk", flat=True)
    )
    stats = stats_selectors.fdi_stats(user=center, year=2026, month=3)
    assert stats["actual"]["month"] == D("300.00")


def _ledger(rows) -> SimpleUploadedFile:
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
    buffer = io.BytesIO()
    write_xlsx(buffer, [("数据", headers, rows)])
    return SimpleUploadedFile("外资台账.xlsx", buffer.getvalue())


def test_coordinating_officer_imports_the_countys_fdi_ledger(
    users, county, center, town_records, django_capture_on_commit_callbacks
):
    rows = [
        ["2026-03-01", "店口精工（中国）有限公司", "", "", "实际使用外资", "增资", 300, "新加坡", "店口镇"],
        ["2026-03-02", "大唐新袜业（中国）有限公司", "", "", "合同外资", "新设", 800, "德国", "大唐街道"],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = import_services.import_start(actor=center, kind="fdi_records", mode="commit", upload=_ledger(rows))
    job.refresh_from_db()
    assert job.errors == [] and job.created_count == 2
    by_unit = dict(FDIRecord.objects.values_list("org_unit__name", "amount"))
    assert by_unit == {"店口镇": D("300.00"), "大唐街道": D("800.00")}


def test_a_town_importing_another_towns_rows_is_told_which_column(
    users, county, center, town_records, django_capture_on_commit_callbacks
):
    rows = [["2026-03-02", "大唐新袜业（中国）有限公司", "", "", "合同外资", "新设", 800, "德国", "大唐街道"]]
    with django_capture_on_commit_callbacks(execute=True):
        job = import_services.import_start(
            actor=users["diankou"], kind="fdi_records", mode="commit", upload=_ledger(rows)
        )
    job.refresh_from_db()
    assert job.errors == [
        {"row": 2, "column": "所属单位", "message": "所属单位“大唐街道”不在您的数据范围内，不能为其录入"}
    ]
    assert FDIRecord.objects.count() == 0


def test_lead_page_offers_the_coordinator_assignment_only(users, county, center, town_records, client_for):
    _, lead = town_records
    client = client_for(center)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "分派</button>" in page and "记录研判" not in page and "搁置原因" not in page
    response = client.post(f"/leads/{lead.pk}/assign/", {"unit": county.datang.pk, "owner": ""})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.org_unit_id == county.datang.pk
    town_page = client_for(users["diankou"]).get(f"/leads/{lead.pk}/")
    assert town_page.status_code == 404  # handed over: no longer the town's
