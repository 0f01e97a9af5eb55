"""What each role sees on its 工作台, and what it does not."""

from datetime import date, timedelta

from django.urls import reverse

from zhaoshang.projects import services as project_services

from .helpers import panels


def test_officer_sees_his_due_and_overdue_follow_ups_most_urgent_first(people, client_for, make_lead, today):
    me = people["diankou"]
    make_lead(me, "今天要跟进", next_followup_on=today)
    make_lead(me, "两天前该跟进", next_followup_on=today - timedelta(days=2))
    make_lead(me, "下周再跟进", next_followup_on=today + timedelta(days=5))
    make_lead(me, "登记后一直没响应", on=today - timedelta(days=30))
    make_lead(people["datang"], "大唐的线索", next_followup_on=today)
    response = client_for(me).get("/")
    found = panels(response)
    follow = found["followups"]
    assert [(r.text, r.badge) for r in follow.rows] == [
        ("登记后一直没响应", "超时未办"),
        ("两天前该跟进", "逾期 2 天"),
        ("今天要跟进", "今天到期"),
    ]
    assert follow.total == 3
    assert "登记后 1 个工作日内未响应" in follow.rows[0].detail
    assert set(found) == {"followups", "obligations", "notices", "changes"}
    content = response.content.decode()
    assert "大唐的线索" not in content, content[content.find("大唐的线索") - 600 : content.find("大唐的线索") + 50]
    assert "下周再跟进" not in str(follow.rows)
    labels = [a.label for a in response.context["actions"]]
    assert labels == ["粘贴登记线索", "添加跟进", "查找企业"]


def test_follow_up_action_opens_the_lead_s_follow_up_form(people, client_for, make_lead, today):
    me = people["diankou"]
    lead = make_lead(me, "今天要跟进", next_followup_on=today)
    client = client_for(me)
    [row] = panels(client.get("/"))["followups"].rows
    assert row.action_url == f"/leads/{lead.pk}/#followup" and row.action_label == "记跟进"
    page = client.get(row.action_url.split("#")[0])
    assert 'id="followup"' in page.content.decode() and 'data-testid="followup-form"' in page.content.decode()
    # the quick action's picker leads to the same form; another unit's lead is out of reach
    assert client.get(f"/leads/followup/?lead={lead.pk}")["Location"] == f"/leads/{lead.pk}/#followup"
    theirs = make_lead(people["datang"], "大唐的线索")
    assert client.get(f"/leads/followup/?lead={theirs.pk}").status_code == 404
    assert client.get("/leads/followup/?lead=").url == reverse("core:home")


def test_department_sees_what_it_owes_and_by_when_overdue_first(people, client_for, make_project, county, today):
    project = make_project(name="璞剑空气轴承项目")
    for title, due in (("排污指标", today + timedelta(days=20)), ("用地指标", today - timedelta(days=3))):
        project_services.problem_raise(
            actor=people["diankou"], project=project, title=title, owner_unit=county.zrzy, due_on=due, on=due
        )
    response = client_for(people["zrzy"]).get("/")
    found = panels(response)
    owed = found["obligations"]
    assert [(r.detail, r.badge, r.level) for r in owed.rows] == [
        ("需协调：用地指标", "逾期 3 天", "danger"),
        ("需协调：排污指标", "20 天后到期", "info"),
    ]
    assert owed.rows[0].action_url == f"/projects/{project.pk}/?tab=problems"
    assert set(found) == {"obligations", "notices", "changes"}  # no lead follow-ups, no county summary
    assert [a.label for a in response.context["actions"]] == ["粘贴登记线索", "查找企业"]


def test_a_checklist_item_owed_on_another_unit_s_stage_is_done_in_one_click(people, client_for, make_project, today):
    project = make_project(on=today)
    run = project_services.open_run(project)
    for entry in run.entries.all():
        project_services.checklist_set(actor=people["diankou"], entry_id=entry.pk, done=True, on=today)
    project_services.project_advance(actor=people["diankou"], project=project, on=today)
    client = client_for(people["fgj"])
    [row] = panels(client.get("/"))["obligations"].rows
    assert row.detail.startswith("清单事项：发改、自然资源、生态环境联审（“研判”阶段")
    assert row.action_post and row.action_label == "标为完成"
    response = client.post(row.action_url, dict(row.action_fields))
    assert response.status_code == 302
    entry = project_services.open_run(project).entries.get(title="发改、自然资源、生态环境联审")
    assert entry.done_on == today
    assert panels(client.get("/"))["obligations"].rows == []


def test_leader_sees_the_county_summary_and_the_red_projects_not_a_unit_s_to_do(people, client_for, make_project):
    project = make_project()
    project.refresh_from_db()
    project_services.refresh_warning(project, today=date(2026, 6, 2))  # three months behind: red, 督办
    response = client_for(people["leader"]).get("/")
    found = panels(response)
    assert set(found) == {"summary", "supervision", "notices", "changes"}
    assert [f.label for f in found["summary"].figures] == ["本月签约项目", "红灯项目", "逾期需协调事项", "实际使用外资"]
    assert found["summary"].figures[1].value == "1 个"
    assert found["summary"].more_url == "/stats/cockpit/"
    assert [r.text for r in found["supervision"].rows] == [project.name]
    assert [a.label for a in response.context["actions"]] == ["查找企业", "驾驶舱"]


def test_coordinating_officer_sees_the_summary_beside_his_own_work(people, client_for, coordinating, make_lead, today):
    make_lead(people["center"], "中心的线索", next_followup_on=today)
    found = panels(client_for(people["center"]).get("/"))
    assert {"summary", "supervision", "followups", "obligations"} <= set(found)
    assert [r.text for r in found["followups"].rows] == ["中心的线索"]


def test_expert_sees_an_honest_empty_review_list_and_nothing_else_to_act_on(people, client_for):
    response = client_for(people["expert1"]).get("/")
    found = panels(response)
    assert set(found) == {"reviews", "notices"}
    assert found["reviews"].rows == [] and "暂无分配给您的研判任务" in response.content.decode()
    assert response.context["actions"] == []
    assert "reviews" not in panels(client_for(people["diankou"]).get("/"))


def test_security_admin_is_reminded_of_accounts_without_a_role(users, client_for):
    from tests.factories import make_user

    make_user("newcomer", "", users["center"].org_unit)
    found = panels(client_for(users["secadmin"]).get("/"))
    assert [r.text for r in found["accounts"].rows] == ["1 个账号待分配角色"]
    assert "accounts" not in panels(client_for(users["diankou"]).get("/"))
