"""The project list on the core list contract: one FilterSet for the page, the API, the board and 督办."""

from django.contrib.messages import get_messages

from zhaoshang.core.lists import ListResult
from zhaoshang.projects import selectors
from zhaoshang.projects.models import Project


def test_project_list_is_a_list_result_filtered_and_newest_first(make_project, people):
    a = make_project("甲项目", grade="A")
    b = make_project("乙项目", grade="B")
    make_project("丙项目", grade="A", actor=people["datang"])
    Project.objects.filter(pk=b.pk).update(is_dormant=True)
    result = selectors.project_list(user=people["leader"], filters={})
    assert isinstance(result, ListResult) and result.is_valid
    assert [p.name for p in result[:10]] == ["丙项目", "甲项目"]  # dormant projects left out by default
    mine = selectors.project_list(user=people["diankou"], filters={"grade": ["A"], "include_dormant": "true"})
    assert [p.pk for p in mine[:10]] == [a.pk]
    found = selectors.project_list(user=people["diankou"], filters={"q": a.code})
    assert [p.pk for p in found[:10]] == [a.pk]
    bad = selectors.project_list(user=people["diankou"], filters={"grade": ["Z"]})
    # an invalid value is reported (the API answers 422) and left out of the page's conditions
    assert not bad.is_valid and bad.errors == {"grade": ["选择一个有效的选项。 Z 不在可用的选项中。"]}
    assert [p.pk for p in bad[:10]] == [a.pk]


def test_list_page_size_is_the_filtersets_setting(make_project, people, client_for):
    for i in range(3):
        make_project(f"项目{i}")
    client = client_for(people["diankou"])
    assert client.get("/projects/").context["page_obj"].paginator.per_page == 25
    assert client.get("/projects/", {"page_size": "50"}).context["page_obj"].paginator.per_page == 50
    assert client.get("/projects/", {"page_size": "7"}).context["page_obj"].paginator.per_page == 25
    rows = client.get("/projects/").context["rows"]
    assert all(p.open_run.stage.code == "negotiation" for p in rows)


def test_create_and_delete_messages(people, stages, client_for):
    client = client_for(people["diankou"])
    response = client.post("/projects/add/", {"name": "璞剑空气轴承项目", "project_type": "new", "grade": "A"})
    project = Project.objects.get(name="璞剑空气轴承项目")
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    created = [str(m) for m in get_messages(response.wsgi_request)]
    assert created == [f"已建立项目「璞剑空气轴承项目」（{project.code}）"]
    response = client.post(f"/projects/{project.pk}/delete/", {"version": project.version})
    assert response.url == "/projects/"
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "已删除项目「璞剑空气轴承项目」"


def test_industry_code_reads_the_same_in_the_form_and_the_api(people, stages, client_for, api_for):
    form = client_for(people["diankou"]).post(
        "/projects/add/", {"name": "项目", "project_type": "new", "grade": "A", "industry_code": "9999"}
    )
    assert form.status_code == 200
    message = "行业代码“9999”不存在于 GB/T 4754-2017"
    assert form.context["form"].errors["industry_code"] == [message]
    api = api_for(people["diankou"]).post(
        "/api/v1/projects", {"name": "项目", "industry": "9999"}, content_type="application/json"
    )
    assert api.status_code == 422 and api.json()["fields"] == {"industry": [message]}


def test_api_list_filters_and_the_warnings_page(make_project, people, api_for):
    a = make_project("甲项目", grade="A")
    make_project("乙项目", grade="C")
    api = api_for(people["diankou"])
    body = api.get("/api/v1/projects", {"grade": ["A", "B"]}).json()
    assert [r["id"] for r in body["results"]] == [a.pk] and body["count"] == 1
    assert api.get("/api/v1/projects", {"grade": "Z"}).status_code == 422
    assert api.get("/api/v1/projects", {"stage": 999999}).json()["fields"].keys() == {"stage"}
    assert api.get("/api/v1/projects", {"created_after": "2099-01-01"}).json()["count"] == 0
    assert api.get("/api/v1/projects", {"created_after": "2999-01-01"}).status_code == 422  # beyond 2100 (parsers)
    assert api.get("/api/v1/projects/warnings").json() == {"count": 0, "results": []}
    assert api.get("/api/v1/projects/warnings", {"page": 0}).status_code == 422
