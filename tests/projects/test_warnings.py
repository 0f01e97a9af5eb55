from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from zhaoshang.notify.models import Notification
from zhaoshang.projects import services
from zhaoshang.projects.models import Project, ProjectEvent, WarningRules
from zhaoshang.projects.warnings import Verdict, add_months, evaluate, schedule_gap_points

START = date(2026, 3, 2)  # 在谈 opens; its deadline is 60 calendar days later: 2026-05-01


def light_on(project, day):
    services.refresh_warning(project, today=day)
    project.refresh_from_db()
    return project.light


def test_overdue_stage_turns_yellow_then_red_after_30_days(make_project, county):
    WarningRules.objects.filter(region=county.root).update(yellow_idle_days=365, red_idle_days=400)  # isolate the rule
    project = make_project(on=START)
    assert light_on(project, date(2026, 5, 1)) == "green"  # the deadline day itself
    assert light_on(project, date(2026, 5, 2)) == "yellow"
    assert project.warning_reasons == ["“在谈”阶段已超过办理期限 1 天（责任单位：店口镇）"]
    assert light_on(project, date(2026, 5, 31)) == "yellow"  # 30 days late
    assert light_on(project, date(2026, 6, 1)) == "red"  # 31 days late


def test_no_progress_thresholds(make_project, stages):
    stages["negotiation"].time_limit = None
    stages["negotiation"].save()
    project = make_project(on=START)
    assert light_on(project, START + timedelta(days=59)) == "green"
    assert light_on(project, START + timedelta(days=60)) == "yellow"
    assert light_on(project, START + timedelta(days=90)) == "red"
    assert project.is_dormant is False
    assert light_on(project, START + timedelta(days=180)) == "red"
    assert project.is_dormant is True
    assert project.events.filter(kind=ProjectEvent.Kind.DORMANT).count() == 1


def test_planned_start_this_month_then_three_months_late(make_project, stages):
    stages["negotiation"].time_limit = None
    stages["negotiation"].save()
    project = make_project(on=START, construction_start_planned=date(2026, 4, 20))
    project.last_progress_on = None
    Project.objects.filter(pk=project.pk).update(last_progress_on=None)
    assert light_on(project, date(2026, 3, 31)) == "green"
    assert light_on(project, date(2026, 4, 1)) == "yellow"
    assert "计划本月（2026-04-20）开工，尚未开工" in project.warning_reasons
    assert light_on(project, date(2026, 7, 19)) == "yellow"
    assert light_on(project, date(2026, 7, 20)) == "red"


def test_open_problem_past_its_deadline_is_yellow(make_project, county):
    project = make_project(on=START)
    services.problem_raise(
        actor=project.created_by,
        project=project,
        title="电力增容",
        owner_unit=county.zrzy,
        due_on=date(2026, 3, 10),
        on=START,
    )
    assert light_on(project, date(2026, 3, 10)) == "green"
    assert light_on(project, date(2026, 3, 11)) == "yellow"
    assert project.warning_reasons == ["1 个需协调事项已超过解决期限"]


@pytest.mark.parametrize(
    ("elapsed_share", "done", "expected"), [(0.5, 3, 0), (0.5, 2, 17), (0.9, 2, 57), (0.2, 3, -30)]
)
def test_schedule_gap_points(elapsed_share, done, expected):
    project = Project(signed_actual=date(2026, 1, 1), full_production_planned=date(2026, 1, 1) + timedelta(days=100))
    today = date(2026, 1, 1) + timedelta(days=round(100 * elapsed_share))
    assert schedule_gap_points(project, done, 6, today) == expected


def test_behind_schedule_thresholds():
    rules = WarningRules()
    project = Project(signed_actual=date(2026, 1, 1), full_production_planned=date(2026, 4, 11))  # 100 days
    today = date(2026, 2, 20)  # 50 % of the time gone
    assert evaluate(project, None, [], rules, today, done_after_signing=3, stages_after_signing=6).light == "green"
    verdict = evaluate(project, None, [], rules, today, done_after_signing=2, stages_after_signing=6)
    assert verdict == Verdict("yellow", ["落后序时进度 17 个百分点"], False)
    assert evaluate(project, None, [], rules, today, done_after_signing=0, stages_after_signing=6).light == "red"


def test_add_months_clamps_the_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_escalation_reminds_then_informs_the_leader_then_supervises(make_project, people):
    project = make_project(on=START, lead_leader=people["leader"], total_investment=Decimal("50000"))
    owner_notes = Notification.objects.filter(recipient=people["diankou"], level="warning")
    leader_notes = Notification.objects.filter(recipient=people["leader"])
    services.refresh_warning(project, today=date(2026, 5, 2))  # yellow
    project.refresh_from_db()
    assert project.escalation == Project.Escalation.REMINDED
    assert owner_notes.count() == 1 and leader_notes.count() == 0
    services.refresh_warning(project, today=date(2026, 5, 16))  # yellow for 14 days
    project.refresh_from_db()
    assert project.escalation == Project.Escalation.LEADER_INFORMED
    assert list(leader_notes.values_list("title", flat=True)) == [f"包保项目预警：{project.name}"]
    services.refresh_warning(project, today=date(2026, 6, 1))  # red
    project.refresh_from_db()
    assert project.escalation == Project.Escalation.SUPERVISED
    assert leader_notes.filter(level="urgent", title=f"列入督办：{project.name}").count() == 1
    assert [e.data["level"] for e in project.events.filter(kind="escalated").order_by("id")] == [1, 2, 3]


def test_daily_recomputation_is_batched_and_idempotent(make_project, django_assert_max_num_queries):
    for i in range(5):
        make_project(f"项目{i}", on=START)
    with time_machine.travel(date(2026, 5, 3)):
        assert services.warnings_recompute() == 5
        with django_assert_max_num_queries(12):
            assert services.warnings_recompute() == 0
    assert set(Project.objects.values_list("light", flat=True)) == {"yellow"}


def test_supervision_page_and_export(make_project, people, client_for):
    project = make_project(on=START)
    make_project("正常项目", on=date(2026, 5, 1))
    services.refresh_warning(project, today=date(2026, 6, 2))
    client = client_for(people["leader"])
    page = client.get("/projects/supervision/")
    assert [p.pk for p in page.context["page_obj"]] == [project.pk]
    export = client.get("/projects/supervision/", {"export": "1"})
    from zhaoshang.imports.files import read_rows

    rows = list(read_rows(b"".join(export.streaming_content), "xlsx"))
    assert rows[1][1] == project.name and rows[1][5] == "红灯"


def test_the_nightly_batch_writes_what_a_single_refresh_writes(make_project, people):
    """The batch path stores events and notifications as raw rows: they must equal the ORM path's."""
    single = make_project("单个项目", on=START, lead_leader=people["leader"])
    batched = make_project("批量项目", on=START, lead_leader=people["leader"])
    day = date(2026, 6, 1)
    services.refresh_warning(single, today=day)
    Project.objects.filter(pk=single.pk).update(name="批量项目")  # same text in the batch's messages
    assert services.warnings_recompute(today=day) >= 1

    def written(project):
        events = [
            (e.kind, e.text, e.data, e.occurred_on, e.actor_id)
            for e in project.events.filter(kind__in=["warning", "escalated"]).order_by("id")
        ]
        notes = sorted(
            (n.recipient_id, n.level, n.title, n.body, n.url.replace(str(project.pk), "<pk>"), n.read_at)
            for n in Notification.objects.filter(url__endswith=f"/{project.pk}/")
        )
        return events, notes

    single_written, batched_written = written(single), written(batched)
    assert batched_written[0] and batched_written[1]  # something was written
    assert batched_written == (
        [(k, t.replace("单个项目", "批量项目"), d, o, a) for k, t, d, o, a in single_written[0]],
        [(r, lv, t.replace("单个项目", "批量项目"), b, u, ra) for r, lv, t, b, u, ra in single_written[1]],
    )
    assert all(n.created_at is not None for n in Notification.objects.all())
