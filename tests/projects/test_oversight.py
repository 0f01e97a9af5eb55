"""督办 by hand (leaders, 统筹单位 officers) beside the computed lights, and 领导批示 with their follow-through."""

from datetime import date

import pytest

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.workbench import Visit, panels_for
from zhaoshang.notify.models import Notification
from zhaoshang.projects import selectors, services
from zhaoshang.projects.models import Instruction, Problem, ProjectEvent, Supervision

MONDAY = date(2026, 3, 2)


@pytest.fixture
def coordinating(county):
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    return county.center


def test_a_coordinating_officer_raises_a_problem_on_another_units_project(make_project, people, county, coordinating):
    project = make_project()
    problem = services.problem_raise(
        actor=people["center"],
        project=project,
        title="环评批复滞后",
        owner_unit=county.zrzy,
        due_on=date(2026, 3, 20),
        on=MONDAY,
    )
    assert problem.project == project and problem.raised_by == people["center"]


def test_supervision_by_hand_survives_the_nightly_recomputation(make_project, people, coordinating):
    project = make_project()
    supervision = services.supervision_raise(
        actor=people["center"], project=project, reason="外方催问供地进度", on=MONDAY
    )
    assert project.events.filter(kind=ProjectEvent.Kind.SUPERVISED).get().text == "center列入督办：外方催问供地进度"
    note = Notification.objects.get(recipient=people["diankou"], title=f"列入督办：{project.name}")
    assert note.level == "urgent" and note.body == "外方催问供地进度"
    listed = list(selectors.supervision_list(user=people["leader"]))
    assert [p.pk for p in listed] == [project.pk] and listed[0].open_supervisions == [supervision]
    services.warnings_recompute(today=MONDAY)
    project.refresh_from_db()
    assert project.light == "green" and services.open_supervision(project) == supervision
    with pytest.raises(ValidationFailed):  # already on the list
        services.supervision_raise(actor=people["leader"], project=project, reason="再列一次")
    with pytest.raises(ValidationFailed) as excinfo:
        services.supervision_lift(actor=people["center"], project=project, reason=" ")
    assert excinfo.value.fields == {"reason": ["请填写解除理由"]}
    services.supervision_lift(actor=people["leader"], project=project, reason="已签订供地协议", on=MONDAY)
    supervision.refresh_from_db()
    assert supervision.lifted_by == people["leader"] and supervision.lift_reason == "已签订供地协议"
    assert list(selectors.supervision_list(user=people["leader"])) == []


def test_others_cannot_raise_supervision_and_nothing_is_written(make_project, people, county):
    project = make_project()
    events = project.events.count()
    with pytest.raises(NotFound):  # the center is not marked 统筹单位 here: it does not even see the project
        services.supervision_raise(actor=people["center"], project=project, reason="催办")
    with pytest.raises(PermissionDenied):  # the introducing unit's own officer
        services.supervision_raise(actor=people["diankou"], project=project, reason="催办")
    with pytest.raises(ValidationFailed):
        services.supervision_raise(actor=people["leader"], project=project, reason="")
    assert not Supervision.objects.exists() and project.events.count() == events


def test_a_leaders_instruction_is_followed_through_by_each_unit(make_project, people, county):
    project = make_project()
    problem = services.problem_raise(
        actor=people["diankou"],
        project=project,
        title="用地指标不足",
        owner_unit=county.zrzy,
        due_on=date(2026, 4, 1),
        on=MONDAY,
    )
    fgj = people["fgj"].org_unit
    instruction = services.instruction_issue(
        actor=people["leader"],
        project=project,
        problem=problem,
        text="请自然资源局、发改局一周内拿出方案",
        units=[county.zrzy, fgj],
        due_on=date(2026, 3, 31),
        on=MONDAY,
    )
    event = project.events.filter(kind=ProjectEvent.Kind.INSTRUCTION).get()
    assert event.text == (
        "leader关于“用地指标不足”批示：请自然资源局、发改局一周内拿出方案（责任单位：自然资源和规划局、发展和改革局，"
        "2026-03-31 前落实）"
    )
    assert Notification.objects.filter(recipient=people["fgj"], title=f"领导批示：{project.name}").count() == 1
    assert _instruction_rows(people["fgj"]) == [f"领导批示（leader）：{instruction.text}"]
    assert list(selectors.instruction_list(user=people["leader"])) == [instruction]
    with pytest.raises(PermissionDenied):  # not a responsible unit
        services.instruction_reply(actor=people["diankou"], instruction_id=instruction.pk, text="已知悉")
    with pytest.raises(PermissionDenied):  # the leader sits above every unit but answers for none
        services.instruction_reply(actor=people["leader"], instruction_id=instruction.pk, text="已落实")
    services.instruction_reply(actor=people["zrzy"], instruction_id=instruction.pk, text="已调剂指标 80 亩")
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.OPEN
    with pytest.raises(PermissionDenied):  # one report per unit
        services.instruction_reply(actor=people["zrzy"], instruction_id=instruction.pk, text="再报一次")
    services.instruction_reply(actor=people["fgj"], instruction_id=instruction.pk, text="已完成备案")
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.DONE and instruction.replies.count() == 2
    assert _instruction_rows(people["fgj"]) == []
    assert Notification.objects.filter(recipient=people["leader"], title__startswith="批示落实反馈").count() == 2


def test_only_leaders_instruct_and_refusals_write_nothing(make_project, people, county, coordinating):
    project = make_project()
    with pytest.raises(PermissionDenied):
        services.instruction_issue(actor=people["center"], project=project, text="抓紧", units=[county.zrzy])
    with pytest.raises(ValidationFailed) as excinfo:
        services.instruction_issue(actor=people["leader"], project=project, text="", units=[], due_on=date(2020, 1, 1))
    assert set(excinfo.value.fields) == {"text", "units", "due_on"}
    other = make_project("另一个项目")
    problem = services.problem_raise(
        actor=people["diankou"],
        project=other,
        title="水电接入",
        owner_unit=county.zrzy,
        due_on=date(2026, 12, 1),
        on=MONDAY,
    )
    with pytest.raises(ValidationFailed) as excinfo:
        services.instruction_issue(
            actor=people["leader"], project=project, text="抓紧", units=[county.zrzy], problem=problem
        )
    assert excinfo.value.fields == {"problem": ["该需协调事项不属于本项目"]}
    assert not Instruction.objects.exists() and Problem.objects.count() == 1
    with pytest.raises(NotFound):
        services.instruction_reply(actor=people["zrzy"], instruction_id=999, text="x")


def _instruction_rows(user) -> list[str]:
    """The 批示 lines of the user's 工作台 (the unit's obligations panel)."""
    panels = {p.key: p for p in panels_for(user, Visit(today=MONDAY))}
    rows = panels["obligations"].rows if "obligations" in panels else []
    return [row.detail for row in rows if row.testid == "instruction-row"]
