"""Issue #12: the relay has no dead ends — the stage's owner fills what its stage requires, checklist items are
ticked by their unit (or a leader with a reason), 上传 items need the document."""

from datetime import date
from decimal import Decimal

import pytest

from tests.projects.conftest import PDF, pdf_upload, tick_all
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from zhaoshang.core.models import Industry, ObjectChange
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects import services
from zhaoshang.projects.models import ChecklistAttachment, ProjectEvent

MONDAY = date(2026, 3, 2)


def _changes(project) -> int:
    return ObjectChange.objects.filter(content_type__model="project", object_id=project.pk).count()


def test_the_blocking_message_says_what_is_missing_and_who_fills_it(at_registration, people):
    tick_all(at_registration, people["scjg"], MONDAY)
    with pytest.raises(ValidationFailed) as excinfo:
        services.project_advance(actor=people["scjg"], project=at_registration, on=MONDAY)
    assert excinfo.value.fields == {
        "operating_company": ["离开“注册”阶段前须填写“项目公司”（由市场监督管理局或引进单位店口镇填写）"]
    }


def test_the_stage_owner_fills_its_field_and_finishes_the_stage(at_registration, people):
    project = at_registration
    changes = _changes(project)
    project = services.project_fill_stage_fields(
        actor=people["scjg"],
        project=project,
        data={"operating_company": "诸暨璞剑轴承有限公司"},
        version=project.version,
    )
    company = Enterprise.objects.get(name="诸暨璞剑轴承有限公司")
    assert project.operating_company == company and company.org_unit == people["scjg"].org_unit
    assert _changes(project) == changes + 1
    assert project.events.filter(kind=ProjectEvent.Kind.STAGE_DATA).get().text == (
        "市场监督管理局填写“注册”阶段资料：项目公司"
    )
    tick_all(project, people["scjg"], MONDAY)
    project = services.project_advance(actor=people["scjg"], project=project, on=MONDAY)
    assert project.stage.code == "land"


def test_an_existing_enterprise_of_that_name_is_used_not_duplicated(at_registration, people):
    from zhaoshang.enterprises.services import enterprise_create

    company = enterprise_create(actor=people["diankou"], data={"name": "诸暨璞剑轴承有限公司"})
    project = services.project_fill_stage_fields(
        actor=people["scjg"],
        project=at_registration,
        data={"operating_company": "诸暨璞剑轴承有限公司"},
        version=at_registration.version,
    )
    assert project.operating_company == company
    assert Enterprise.objects.filter(name="诸暨璞剑轴承有限公司").count() == 1


def test_a_field_the_stage_does_not_require_is_refused_and_nothing_changes(at_registration, people):
    project = at_registration
    before = (project.version, project.total_investment, _changes(project), project.events.count())
    with pytest.raises(ValidationFailed) as excinfo:
        services.project_fill_stage_fields(
            actor=people["scjg"],
            project=project,
            data={"operating_company": "诸暨璞剑轴承有限公司", "total_investment": Decimal("1")},
            version=project.version,
        )
    assert excinfo.value.fields == {"total_investment": ["“注册”阶段只需填写“项目公司”，不能在此修改该项"]}
    project.refresh_from_db()
    assert (project.version, project.total_investment, _changes(project), project.events.count()) == before
    assert project.operating_company is None and not Enterprise.objects.filter(name="诸暨璞剑轴承有限公司").exists()


def test_only_the_stage_owner_introducer_or_leader_may_fill(at_registration, people, county):
    project = at_registration
    services.problem_raise(
        actor=people["diankou"],
        project=project,
        title="用地指标",
        owner_unit=county.zrzy,
        due_on=date(2026, 12, 1),
        on=MONDAY,
    )
    with pytest.raises(PermissionDenied) as excinfo:  # 自然资源 sees the project, but 注册 is not its stage
        services.project_fill_stage_fields(
            actor=people["zrzy"], project=project, data={"operating_company": "甲公司"}, version=project.version
        )
    assert excinfo.value.message == "“注册”阶段的资料由市场监督管理局或引进单位店口镇填写"
    with pytest.raises(NotFound):
        services.project_fill_stage_fields(
            actor=people["datang"], project=project, data={"operating_company": "甲公司"}, version=project.version
        )
    project.refresh_from_db()
    assert project.operating_company is None and not Enterprise.objects.filter(name="甲公司").exists()
    with pytest.raises(VersionConflict):
        services.project_fill_stage_fields(
            actor=people["scjg"], project=project, data={"operating_company": "甲公司"}, version=project.version - 1
        )
    services.project_fill_stage_fields(
        actor=people["leader"], project=project, data={"operating_company": "甲公司"}, version=project.version
    )


def test_completion_floor_area_is_filled_by_the_building_department(at_registration, people, stages):
    project = services.project_fill_stage_fields(
        actor=people["scjg"],
        project=at_registration,
        data={"operating_company": "甲公司"},
        version=at_registration.version,
    )
    tick_all(project, people["scjg"], MONDAY)
    project = services.project_advance(
        actor=people["leader"], project=project, to_stage=stages["completion"], reason="并购项目，厂房已建成"
    )
    project = services.project_fill_stage_fields(
        actor=people["zjj"], project=project, data={"floor_area": Decimal("45000")}, version=project.version
    )
    assert project.floor_area == Decimal("45000")
    with pytest.raises(ValidationFailed) as excinfo:
        services.project_fill_stage_fields(
            actor=people["zjj"], project=project, data={"floor_area": None}, version=project.version
        )
    assert excinfo.value.fields == {"floor_area": ["请填写该项"]}


# --- checklist ------------------------------------------------------------------------------------------


def _review_entry(make_project, people, title_part):
    project = make_project()
    tick_all(project, people["diankou"], MONDAY)
    project = services.project_advance(actor=people["diankou"], project=project, on=MONDAY)  # → 研判
    return project, services.open_run(project).entries.get(title__contains=title_part)


def test_the_center_cannot_tick_the_review_departments_item(make_project, people):
    project, entry = _review_entry(make_project, people, "联审")
    events = project.events.count()
    with pytest.raises(PermissionDenied) as excinfo:
        services.checklist_set(actor=people["center"], entry_id=entry.pk, done=True, on=MONDAY)
    assert excinfo.value.message == "“发改、自然资源、生态环境联审”由发展和改革局负责，只能由该单位确认完成"
    with pytest.raises(PermissionDenied):  # the introducing unit may not either
        services.checklist_set(actor=people["diankou"], entry_id=entry.pk, done=True, on=MONDAY)
    entry.refresh_from_db()
    assert entry.done_on is None and entry.done_by is None and project.events.count() == events
    services.checklist_set(actor=people["fgj"], entry_id=entry.pk, done=True, on=MONDAY)
    entry.refresh_from_db()
    assert entry.done_by == people["fgj"]


def test_a_leader_ticks_another_units_item_only_with_a_reason(make_project, people):
    project, entry = _review_entry(make_project, people, "联审")
    with pytest.raises(ValidationFailed) as excinfo:
        services.checklist_set(actor=people["leader"], entry_id=entry.pk, done=True, on=MONDAY)
    assert excinfo.value.fields == {"note": ["请填写代为确认的理由"]}
    entry.refresh_from_db()
    assert entry.done_on is None
    services.checklist_set(actor=people["leader"], entry_id=entry.pk, done=True, note="联审会已开，纪要在途", on=MONDAY)
    entry.refresh_from_db()
    assert entry.done_on == MONDAY and entry.note == "联审会已开，纪要在途"
    last = project.events.filter(kind=ProjectEvent.Kind.CHECKLIST).first()
    assert last.text == "leader代发展和改革局完成“发改、自然资源、生态环境联审”，理由：联审会已开，纪要在途"
    assert last.data == {"overruled": True}


@pytest.fixture
def agreement(make_project, people):
    """The 签约 stage's 上传投资协议 item, owned by the introducing unit (店口镇)."""
    project = make_project(industry=Industry.objects.get(code="3741"), total_investment=Decimal("30000"))
    for actor in (people["diankou"], people["center"]):
        project.refresh_from_db()
        tick_all(project, actor, MONDAY)
        project = services.project_advance(actor=actor, project=project, on=MONDAY)
    return project, services.open_run(project).entries.get(title="上传投资协议")


def test_an_upload_item_needs_its_attachment(agreement, people):
    project, entry = agreement
    with pytest.raises(ValidationFailed) as excinfo:
        services.checklist_set(actor=people["diankou"], entry_id=entry.pk, done=True)
    assert excinfo.value.message == "“上传投资协议”须先上传附件，才能确认完成"
    attachment = services.checklist_attach(actor=people["diankou"], entry_id=entry.pk, upload=pdf_upload())
    assert attachment.name == "投资协议.pdf" and attachment.kind == "pdf" and attachment.size == len(PDF)
    assert attachment.file.read() == PDF and attachment.file.name.endswith(".pdf")
    services.checklist_set(actor=people["diankou"], entry_id=entry.pk, done=True)
    entry.refresh_from_db()
    assert entry.done_on is not None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "协议.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 100,
            "不支持的附件类型，请上传 PDF、Word（.docx）、Excel（.xlsx）或 PNG/JPG 图片",
        ),
        (
            "协议.pdf",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
            "文件扩展名为 .pdf，但内容实际是PNG 图片，请使用正确的扩展名（.png）后重新上传",
        ),
        ("协议.png", PDF, "文件扩展名为 .png，但内容实际是PDF 文件，请使用正确的扩展名（.pdf）后重新上传"),
    ],
)
def test_a_disguised_attachment_is_refused_and_nothing_is_stored(agreement, people, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project, entry = agreement
    events = project.events.count()
    with pytest.raises(ValidationFailed) as excinfo:
        services.checklist_attach(actor=people["diankou"], entry_id=entry.pk, upload=SimpleUploadedFile(name, content))
    assert excinfo.value.message == message
    assert not ChecklistAttachment.objects.exists() and project.events.count() == events


def test_only_the_items_unit_attaches_and_only_viewers_download(agreement, people, client_for):
    project, entry = agreement
    with pytest.raises(PermissionDenied):
        services.checklist_attach(actor=people["center"], entry_id=entry.pk, upload=pdf_upload())
    assert not ChecklistAttachment.objects.exists()
    attachment = services.checklist_attach(actor=people["diankou"], entry_id=entry.pk, upload=pdf_upload())
    url = f"/projects/{project.pk}/attachments/{attachment.pk}/"
    response = client_for(people["diankou"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert client_for(people["datang"]).get(url).status_code == 404
