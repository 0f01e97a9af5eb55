from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.projects.conftest import tick_all
from zhaoshang.projects import services
from zhaoshang.projects.models import Project


def test_board_columns_and_counts(make_project, people, client_for):
    a = make_project("甲项目")
    b = make_project("丙项目")
    make_project("乙项目", actor=people["datang"])
    response = client_for(people["diankou"]).get("/projects/board/")
    columns = {c["stage"].name: c for c in response.context["columns"]}
    assert columns["在谈"]["count"] == 2 and [p.pk for p in columns["在谈"]["cards"]] == [a.pk, b.pk]
    assert columns["签约"]["count"] == 0
    body = response.content.decode()
    assert f'data-advance-url="/projects/{a.pk}/advance/"' in body


def test_board_takes_each_columns_most_escalated_cards_in_queries_independent_of_the_cards(
    make_project, people, stages
):
    from zhaoshang.projects import selectors

    first, second = stages["negotiation"], stages["review"]
    talks = [make_project(f"在谈{i}") for i in range(4)]
    signed = [make_project(f"签约{i}") for i in range(3)]
    Project.objects.filter(pk__in=[p.pk for p in signed]).update(stage=second)
    Project.objects.filter(pk=talks[3].pk).update(escalation=2, light="red")
    Project.objects.filter(pk=talks[2].pk).update(escalation=1, light="yellow")
    Project.objects.filter(pk=signed[2].pk).update(escalation=3, light="red")
    user = people["diankou"]

    def render(per_column=2):
        with CaptureQueriesContext(connection) as queries:
            columns = selectors.board(user=user, filters={}, per_column=per_column)
            [(p.org_unit.display_name, [run.owner_unit for run in p.open_runs]) for c in columns for p in c["cards"]]
        return columns, len(queries)

    columns, queries_two_columns = render()
    cards = {c["stage"].pk: [p.pk for p in c["cards"]] for c in columns}
    counts = {c["stage"].pk: c["count"] for c in columns}
    assert counts[first.pk] == 4 and counts[second.pk] == 3
    # the two most escalated of each stage, shown red before yellow before green
    assert cards[first.pk] == [talks[3].pk, talks[2].pk]
    assert cards[second.pk] == [signed[2].pk, signed[0].pk]
    assert all(cards[stage.pk] == [] for key, stage in stages.items() if stage not in (first, second))
    # as many queries for one card a column as for fifteen
    assert render(per_column=1)[1] == render(per_column=15)[1] == queries_two_columns
    # every stage filled: one more (tiny, indexed) query per non-empty column, nothing per card
    others = [stage for stage in stages.values() if stage not in (first, second)]
    for stage in others:
        for i in range(3):
            Project.objects.filter(pk=make_project(f"{stage.name}项目{i}").pk).update(stage=stage)
    columns, queries_all_columns = render()
    assert all(len(c["cards"]) == 2 for c in columns)
    assert queries_all_columns == queries_two_columns + len(others)


def test_department_todo_lists_what_the_unit_owes(make_project, people, stages, county):
    project = make_project()
    services.problem_raise(
        actor=people["diankou"], project=project, title="用地指标", owner_unit=county.zrzy, due_on=date(2099, 1, 1)
    )
    response = client_for_user(people["zrzy"]).get("/projects/todo/")
    assert [p.title for p in response.context["problems"]] == ["用地指标"]
    assert response.context["runs"] == []
    home = client_for_user(people["zrzy"]).get("/")
    owed = {p.key: p for p in home.context["main_panels"]}["obligations"]
    assert [(r.text, r.detail) for r in owed.rows] == [(project.name, "需协调：用地指标")]


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_advance_page_and_checklist_through_the_browser_forms(make_project, people, stages):
    project = make_project()
    client = client_for_user(people["diankou"])
    refused = client.post(f"/projects/{project.pk}/advance/", {"to_stage": "", "reason": ""})
    assert refused.status_code == 200
    assert "清单事项未完成" in refused.content.decode()
    for entry in services.open_run(project).entries.all():
        client.post(f"/projects/{project.pk}/checklist/{entry.pk}/", {"done": "1"})
    done = client.post(f"/projects/{project.pk}/advance/", {"to_stage": "", "reason": ""})
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.stage.code == "review"
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert "研判" in detail and "诸暨市投资促进中心" in detail


def test_api_advance_checklist_problems_stages_and_warnings(make_project, people, stages, api_for, county):
    project = make_project()
    api = api_for(people["diankou"])
    listed = api.get(f"/api/v1/projects/{project.pk}/checklist").json()
    assert [i["title"] for i in listed] == ["完成项目初步接洽与考察", "形成项目投资意向"]
    refused = api.post(f"/api/v1/projects/{project.pk}/advance", {}, content_type="application/json")
    assert refused.status_code == 422 and "checklist" in refused.json()["fields"]
    for item in listed:
        r = api.patch(
            f"/api/v1/projects/{project.pk}/checklist",
            {"id": item["id"], "done": True},
            content_type="application/json",
        )
        assert r.status_code == 200 and r.json()["done_on"]
    advanced = api.post(f"/api/v1/projects/{project.pk}/advance", {}, content_type="application/json").json()
    assert advanced["stage"] == "研判" and advanced["open_stage"]["owner_unit"] == "诸暨市投资促进中心"
    back = api.post(
        f"/api/v1/projects/{project.pk}/advance", {"to_stage": "negotiation"}, content_type="application/json"
    )
    assert back.status_code == 422 and back.json()["fields"] == {"reason": ["请填写退回原因"]}
    bad = api.post(f"/api/v1/projects/{project.pk}/advance", {"to_stage": "nope"}, content_type="application/json")
    assert bad.json()["fields"] == {"to_stage": ["阶段“nope”不存在或未启用"]}
    problem = api.post(
        f"/api/v1/projects/{project.pk}/problems",
        {"title": "电力增容", "owner_unit_id": county.zrzy.pk, "due_on": "2099-01-01"},
        content_type="application/json",
    )
    assert problem.status_code == 201 and problem.json()["status"] == "open"
    assert [s["code"] for s in api.get("/api/v1/stages").json()][:3] == ["negotiation", "review", "signing"]
    from datetime import timedelta

    from django.utils import timezone

    project.refresh_from_db()
    services.refresh_warning(project, today=timezone.localdate() + timedelta(days=60))  # 研判 long overdue
    warnings = api.get("/api/v1/projects/warnings").json()
    assert [w["id"] for w in warnings["results"]] == [project.pk] and warnings["results"][0]["light"] == "red"
    assert api_for(people["datang"]).get(f"/api/v1/projects/{project.pk}/checklist").status_code == 404


def test_leader_lists_render(make_project, people, client_for):
    project = make_project()
    tick_all(project, people["diankou"], date(2026, 3, 2))
    client = client_for(people["leader"])
    for tab in ("race", "three", "stuck"):
        assert client.get("/projects/lists/", {"tab": tab}).status_code == 200
    race = client.get("/projects/lists/", {"tab": "race", "month": "2026-03"}).context["race"]
    assert race[0]["org_unit__name"] == "店口镇"


def test_stage_configuration_by_the_system_administrator(stages, people, client_for, departments):
    client = client_for(people["sysadmin"])
    assert client.get("/projects/stages/").status_code == 200
    stage = stages["registration"]
    response = client.post(
        f"/projects/stages/{stage.pk}/",
        {
            "order": stage.order,
            "name": "注册登记",
            "owner_unit": departments["scjg"].pk,
            "time_limit": 8,
            "limit_unit": "workdays",
            "completes_date": "registered",
            "advancer": "owner",
            "is_active": "on",
            "checklist_text": "营业执照办理\n*外资信息报告|商务局",
        },
    )
    assert response.status_code == 200  # 商务局 does not exist in the test county: a clear error
    assert "本地区没有名为“商务局”的单位" in response.content.decode()
    response = client.post(
        f"/projects/stages/{stage.pk}/",
        {
            "order": stage.order,
            "name": "注册登记",
            "owner_unit": departments["scjg"].pk,
            "time_limit": 8,
            "limit_unit": "workdays",
            "completes_date": "registered",
            "advancer": "owner",
            "is_active": "on",
            "checklist_text": "营业执照办理\n*外资信息报告|发展和改革局",
        },
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.name == "注册登记" and stage.time_limit == 8
    assert [(i.title, i.required) for i in stage.checklist.all()] == [("营业执照办理", True), ("外资信息报告", False)]
    assert client_for(people["center"]).get("/projects/stages/").status_code == 403


def test_leader_home_shows_what_is_stuck(make_project, people, client_for):
    project = make_project()
    project.refresh_from_db()
    services.refresh_warning(project, today=date(2026, 6, 2))
    panels = {p.key: p for p in client_for(people["leader"]).get("/").context["main_panels"]}
    assert [r.text for r in panels["supervision"].rows] == [project.name]
    assert panels["supervision"].total == 1
    assert "obligations" not in panels


def test_enterprise_page_lists_its_projects(make_project, people, client_for):
    from zhaoshang.enterprises.services import enterprise_create

    investor = enterprise_create(actor=people["diankou"], data={"name": "海亮集团有限公司"})
    project = make_project(investor=investor)
    make_project("别的项目", actor=people["datang"], investor=None)
    response = client_for(people["diankou"]).get(f"/enterprises/{investor.pk}/", {"tab": "related"})
    assert [p.pk for p in response.context["projects"]] == [project.pk]
