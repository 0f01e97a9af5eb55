from datetime import date

import pytest

from tests.projects.conftest import tick_all, to_registration
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import CalendarDay, ObjectChange
from zhaoshang.core.workdays import add_workdays, clear_cache, workdays_between
from zhaoshang.notify.models import Notification
from zhaoshang.projects import services
from zhaoshang.projects.models import Project, ProjectEvent

MONDAY = date(2026, 3, 2)


def test_default_stages_follow_the_domain_with_departments_found_by_name(stages, departments, county):
    assert [s.name for s in stages.values()] == ["在谈", "研判", "签约", "注册", "供地", "开工", "竣工", "投产", "达产"]
    assert stages["registration"].owner_unit == departments["scjg"]
    assert stages["land"].owner_unit == county.zrzy
    assert stages["review"].owner_unit == county.center
    assert stages["signing"].owner_unit is None  # the introducing unit
    checklist = {i.title: i.owner_unit for i in stages["start"].checklist.all()}
    assert checklist == {"项目备案": departments["fgj"], "建设工程规划许可": county.zrzy, "施工许可": None}


def test_create_opens_the_first_stage_with_deadline_and_event(make_project, people):
    project = make_project()
    run = services.open_run(project)
    assert project.code == "ZJ-2026-0001" and project.stage.code == "negotiation"
    assert run.owner_unit == people["diankou"].org_unit and run.opened_on == MONDAY
    assert run.due_on == date(2026, 5, 1)  # 60 calendar days
    assert project.first_contact_actual == MONDAY
    assert [e.kind for e in project.events.all()] == ["created"]
    assert (
        ObjectChange.objects.filter(object_id=project.pk, content_type__model="project", action="create").count() == 1
    )
    assert make_project("第二个项目").code == "ZJ-2026-0002"


def test_advance_refuses_until_required_data_and_checklist_are_done(make_project, people, stages):
    project = make_project()
    tick_all(project, people["diankou"], MONDAY)
    project = services.project_advance(actor=people["diankou"], project=project, on=MONDAY)  # 在谈 → 研判
    assert project.stage.code == "review"
    with pytest.raises(ValidationFailed) as excinfo:
        services.project_advance(actor=people["center"], project=project, on=MONDAY)
    assert excinfo.value.fields == {
        "industry": ["离开“研判”阶段前须填写“国民经济行业”（由诸暨市投资促进中心或引进单位店口镇填写）"],
        "total_investment": ["离开“研判”阶段前须填写“总投资（万元）”（由诸暨市投资促进中心或引进单位店口镇填写）"],
        "checklist": [
            "清单事项未完成：投资强度、亩均税收等指标初审（诸暨市投资促进中心）、"
            "发改、自然资源、生态环境联审（发展和改革局）、专家研判意见（诸暨市投资促进中心）"
        ],
    }
    project.refresh_from_db()
    assert project.stage.code == "review" and project.version == 2


def _to_registration(make_project, people, stages):
    return to_registration(make_project, people, MONDAY)


def test_relay_handoff_notifies_and_shares_with_the_next_department(make_project, people, stages):
    before = Notification.objects.filter(recipient=people["scjg"]).count()
    project = _to_registration(make_project, people, stages)
    run = services.open_run(project)
    assert project.stage.code == "registration" and run.owner_unit.name == "市场监督管理局"
    assert run.due_on == add_workdays(MONDAY, 10)
    assert project.signed_actual == MONDAY
    notes = Notification.objects.filter(recipient=people["scjg"]).order_by("id")[before:]
    assert [n.title for n in notes] == [f"接棒：{project.name} 进入“注册”阶段"]
    assert "已由店口镇办结" in notes[0].body and notes[0].level == "handoff"
    # the department now sees the project (shared), but cannot edit it
    assert Project.objects.restrict(people["scjg"]).filter(pk=project.pk).exists()
    assert not Project.objects.restrict(people["scjg"], "change").filter(pk=project.pk).exists()
    handoff = project.events.filter(kind=ProjectEvent.Kind.HANDOFF).first()
    assert handoff.text.startswith("交棒：市场监督管理局接办“注册”")


def test_only_the_owner_department_may_advance_its_stage(make_project, people, stages):
    project = _to_registration(make_project, people, stages)
    with pytest.raises(PermissionDenied):
        services.project_advance(actor=people["diankou"], project=project, on=MONDAY)
    with pytest.raises(NotFound):
        services.project_advance(actor=people["zjj"], project=project, on=MONDAY)  # not shared with 住建局 yet
    from zhaoshang.enterprises.services import enterprise_create

    company = enterprise_create(actor=people["diankou"], data={"name": "诸暨璞剑轴承有限公司"})
    project.refresh_from_db()
    project = services.project_update(
        actor=people["diankou"], project=project, data={"operating_company": company}, version=project.version
    )
    tick_all(project, people["scjg"], MONDAY)
    project = services.project_advance(actor=people["scjg"], project=project, on=date(2026, 3, 9))
    assert project.stage.code == "land" and project.registered_actual == date(2026, 3, 9)
    assert services.open_run(project).owner_unit.name == "自然资源和规划局"


def test_going_back_needs_a_reason_and_skipping_needs_permission(make_project, people, stages):
    project = _to_registration(make_project, people, stages)
    with pytest.raises(ValidationFailed) as excinfo:
        services.project_advance(actor=people["scjg"], project=project, to_stage=stages["signing"], on=MONDAY)
    assert excinfo.value.fields == {"reason": ["请填写退回原因"]}
    project = services.project_advance(
        actor=people["scjg"], project=project, to_stage=stages["signing"], reason="投资协议缺少外方签章", on=MONDAY
    )
    assert project.stage.code == "signing"
    assert project.events.filter(kind="reverted").get().text == "从“注册”退回“签约”：投资协议缺少外方签章"
    assert list(project.stage_runs.filter(stage=stages["registration"]).values_list("status", flat=True)) == [
        "reverted"
    ]
    # skipping: the department may not; the officer may, with a reason
    tick_all(project, people["diankou"], MONDAY)
    with pytest.raises(ValidationFailed):
        services.project_advance(actor=people["diankou"], project=project, to_stage=stages["land"], on=MONDAY)
    project = services.project_advance(
        actor=people["diankou"], project=project, to_stage=stages["land"], reason="增资项目，项目公司已注册", on=MONDAY
    )
    statuses = dict(
        project.stage_runs.filter(stage__code__in=["registration"])
        .values_list("stage__code", "status")
        .order_by("id")
        .reverse()[:1]
    )
    assert statuses == {"registration": "skipped"} and project.stage.code == "land"


def test_department_without_skip_permission_cannot_skip(make_project, people, stages):
    project = _to_registration(make_project, people, stages)
    with pytest.raises(PermissionDenied):
        services.project_advance(actor=people["scjg"], project=project, to_stage=stages["start"], reason="无需供地")


def test_checklist_items_belong_to_their_unit(make_project, people, stages):
    project = _to_registration(make_project, people, stages)
    entry = services.open_run(project).entries.first()
    with pytest.raises(NotFound):
        services.checklist_set(actor=people["datang"], entry_id=entry.pk, done=True)
    services.checklist_set(actor=people["scjg"], entry_id=entry.pk, done=True, on=MONDAY)
    entry.refresh_from_db()
    assert entry.done_on == MONDAY and entry.done_by == people["scjg"]


def test_problems_are_assigned_resolved_and_counted(make_project, people, stages, county):
    project = make_project()
    problem = services.problem_raise(
        actor=people["diankou"],
        project=project,
        title="用地指标不足",
        owner_unit=county.zrzy,
        due_on=date(2026, 3, 16),
        on=MONDAY,
    )
    assert Notification.objects.filter(recipient=people["zrzy"], title__startswith="需协调事项").count() == 1
    assert Project.objects.restrict(people["zrzy"]).filter(pk=project.pk).exists()
    with pytest.raises(NotFound):  # a unit that neither owns the problem nor sees the project
        services.problem_resolve(actor=people["office_sh"], problem_id=problem.pk, resolution="x")
    services.problem_resolve(actor=people["zrzy"], problem_id=problem.pk, resolution="已调剂 50 亩指标", on=MONDAY)
    problem.refresh_from_db()
    assert problem.status == "resolved" and problem.resolved_by == people["zrzy"]
    assert Notification.objects.filter(recipient=people["diankou"], title="已解决：用地指标不足").count() == 1


def test_working_days_across_spring_festival_with_tiaoxiu(db):
    clear_cache()
    # 2026: 2/14 (Sat) and 2/28 (Sat) are 调休 workdays; 2/15–2/23 is the Spring Festival holiday.
    assert add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_workdays(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert add_workdays(date(2026, 2, 13), 6) == date(2026, 2, 28)
    assert workdays_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_an_administrator_enters_a_year_the_bundled_calendar_lacks(db):
    clear_cache()
    assert add_workdays(date(2099, 1, 1), 1) == date(2099, 1, 2)  # Friday, weekends only
    CalendarDay.objects.create(date=date(2099, 1, 2), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=date(2099, 1, 4), is_workday=True, name="元旦调休")
    assert add_workdays(date(2099, 1, 1), 1) == date(2099, 1, 4)  # Sunday worked instead
    clear_cache()


def test_the_deadline_of_a_workday_stage_skips_the_holiday(make_project, people, stages):
    stages["negotiation"].limit_unit = "workdays"
    stages["negotiation"].time_limit = 5
    stages["negotiation"].save()
    project = make_project(on=date(2026, 2, 13))
    assert services.open_run(project).due_on == date(2026, 2, 27)
