"""Issue #18's done-when: a stage advanced by 自然资源和规划局 produces one 浙政钉 message, one DingTalk
message and one e-mail to the next department (住房和城乡建设局), seen by the fake servers exactly once."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from tests.projects.conftest import (  # noqa: F401 - fixtures
    departments,
    make_project,
    people,
    stages,
    tick_all,
    to_registration,
)
from zhaoshang.accounts.models import User
from zhaoshang.notify.models import OutboxMessage
from zhaoshang.notify.services import outbox
from zhaoshang.notify.services.config import profile_update
from zhaoshang.projects import services

MONDAY = date(2026, 3, 2)


def _at_land(make_project, people):  # noqa: F811
    project = to_registration(make_project, people, on=MONDAY)
    project = services.project_fill_stage_fields(
        actor=people["scjg"],
        project=project,
        data={"operating_company": "诸暨璞剑轴承有限公司"},
        version=project.version,
    )
    tick_all(project, people["scjg"], MONDAY)
    project = services.project_advance(actor=people["scjg"], project=project, on=MONDAY)
    assert project.stage.code == "land"
    return project


def test_a_stage_advanced_by_natural_resources_reaches_the_next_department_once(make_project, people, channels):  # noqa: F811
    zjj = people["zjj"]
    User.objects.filter(pk=zjj.pk).update(email="zjj@example.cn")
    profile_update(actor=zjj, data={"zzd_account_id": "zjj-8807"})
    project = _at_land(make_project, people)
    OutboxMessage.objects.update(dispatched_at=timezone.now())  # earlier stages' notices are not this test's subject
    project = services.project_fill_stage_fields(
        actor=people["zrzy"], project=project, data={"land_mu": Decimal("50")}, version=project.version
    )
    tick_all(project, people["zrzy"], MONDAY)
    project = services.project_advance(actor=people["zrzy"], project=project, on=MONDAY)
    assert project.stage.code == "start"
    for _ in range(3):  # the worker passes again and again: nothing is sent twice
        outbox.process()
    http, smtp = channels["http"], channels["smtp"]
    title = f"接棒：{project.name} 进入“开工”阶段"
    zzd = [r for r in http.on("/message/workNotification") if r["params"]["receiverIds"] == "zjj-8807"]
    assert len(zzd) == 1 and title in zzd[0]["params"]["msg"] and f"/projects/{project.pk}/" in zzd[0]["params"]["msg"]
    ding = [r for r in http.on("/robot/send") if title in r["json"]["markdown"]["text"]]
    assert len(ding) == 1
    mails = [m for m in smtp.messages if m["to"] == ["zjj@example.cn"]]
    assert len(mails) == 1 and f"/projects/{project.pk}/" in mails[0]["data"]
