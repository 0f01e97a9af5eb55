"""The relay's pages and API: the stage's data in place on the project page, 督办 and 批示 actions."""

from datetime import date

from django.utils import timezone

from zhaoshang.imports.files import read_rows
from zhaoshang.projects.models import Instruction, Supervision

MONDAY = date(2026, 3, 2)


def test_the_department_fills_its_stage_field_on_the_project_page(at_registration, people, client_for):
    project = at_registration
    client = client_for(people["scjg"])
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 404  # it still cannot edit the project
    page = client.get(f"/projects/{project.pk}/")
    form = page.context["stage_form"]
    assert list(form.fields) == ["operating_company", "version", "operating_company_new"]
    assert "（由市场监督管理局或引进单位店口镇填写）" in page.content.decode()
    response = client.post(
        f"/projects/{project.pk}/stage-fields/",
        {"version": project.version, "operating_company_new": "诸暨璞剑轴承有限公司"},
        follow=True,
    )
    assert "已保存“注册”阶段资料" in response.content.decode()
    project.refresh_from_db()
    assert project.operating_company.name == "诸暨璞剑轴承有限公司"
    stale = client.post(
        f"/projects/{project.pk}/stage-fields/",
        {"version": project.version - 1, "operating_company_new": "别的公司"},
        follow=True,
    )
    assert "请刷新后在最新版本上修改" in stale.content.decode()
    project.refresh_from_db()
    assert project.operating_company.name == "诸暨璞剑轴承有限公司"
    # a department the project was never handed to does not see it at all
    assert client_for(people["zrzy"]).get(f"/projects/{project.pk}/").status_code == 404


def test_the_api_fills_the_stage_fields_and_refuses_others(at_registration, people, api_for):
    project = at_registration
    api = api_for(people["scjg"])
    url = f"/api/v1/projects/{project.pk}/stage-fields"
    refused = api.patch(url, {"total_investment": "1", "version": project.version}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"total_investment": ["“注册”阶段只需填写“项目公司”，不能在此修改该项"]}
    done = api.patch(
        url,
        {"operating_company_name": "诸暨璞剑轴承有限公司", "version": project.version},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["operating_company_id"] and done.json()["version"] == 5
    conflict = api.patch(url, {"operating_company_name": "乙公司", "version": 4}, content_type="application/json")
    assert conflict.status_code == 409
    checklist = api.get(f"/api/v1/projects/{project.pk}/checklist").json()
    assert [i["needs_attachment"] for i in checklist] == [False, False]


def test_supervision_and_instruction_through_the_page(make_project, people, client_for, county):
    project = make_project()
    leader = client_for(people["leader"])
    page = leader.get(f"/projects/{project.pk}/", {"tab": "oversight"})
    assert page.context["can_supervise"] and page.context["instruction_form"] is not None
    leader.post(f"/projects/{project.pk}/supervision/", {"action": "raise", "reason": "进度滞后"})
    assert Supervision.objects.get().reason == "进度滞后"
    board = leader.get("/projects/supervision/").content.decode()
    assert "人工督办" in board and "督办事由：进度滞后" in board
    exported = leader.get("/projects/supervision/", {"export": "1"})
    header, row = list(read_rows(b"".join(exported.streaming_content), "xlsx"))
    assert row[header.index("人工督办事由")] == f"进度滞后（leader {timezone.localdate():%Y-%m-%d}）"
    leader.post(
        f"/projects/{project.pk}/instructions/add/",
        {"text": "请自然资源局跟进", "units": [county.zrzy.pk], "due_on": "2099-01-01"},
    )
    instruction = Instruction.objects.get()
    zrzy = client_for(people["zrzy"])
    assert "请自然资源局跟进" in zrzy.get("/projects/todo/").content.decode()
    zrzy.post(f"/projects/{project.pk}/instructions/{instruction.pk}/reply/", {"text": "已对接"})
    instruction.refresh_from_db()
    assert instruction.status == "done"
    officer = client_for(people["diankou"])
    refused = officer.post(
        f"/projects/{project.pk}/supervision/", {"action": "lift", "reason": "自行解除"}, follow=True
    )
    assert "只有领导或统筹单位可以解除督办" in refused.content.decode()
    assert Supervision.objects.get().lifted_on is None
    assert officer.post(f"/projects/{project.pk}/instructions/add/", {"text": "x"}).status_code == 403
