"""Projects: amounts are never negative; planned milestones may lie in the past (projects are registered late)
but not before the first contact, and not beyond 2100 — alike on the page and in the API."""

from datetime import date

from zhaoshang.core.models import ObjectChange
from zhaoshang.projects.forms import ProjectForm
from zhaoshang.projects.models import Project

FIRST = date(2024, 5, 6)


def state():
    rows = Project.all_objects.order_by("pk").values_list("pk", "version", "total_investment", "signed_planned")
    return list(rows), ObjectChange.objects.count()


def edit_post(project, user, **changes) -> dict:
    """What the edit page posts when the user changes ``changes`` and leaves the rest as shown."""
    form = ProjectForm(instance=project, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if isinstance(value, date) else str(value)
    return {**data, "version": project.version, **changes}


def test_edit_page_refuses_a_milestone_before_the_first_contact_and_negative_amounts(make_project, people, client_for):
    project = make_project(first_contact_actual=FIRST)
    user = people["diankou"]
    client = client_for(user)
    before = state()
    page = client.post(
        f"/projects/{project.pk}/edit/",
        edit_post(project, user, signed_planned="2024-05-05", total_investment="-1", land_mu="-3"),
    )
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "total_investment": ["不能为负数"],
        "land_mu": ["不能为负数"],
        "signed_planned": ["不能早于首次接洽日期（2024-05-06）"],
    }
    page = client.post(f"/projects/{project.pk}/edit/", edit_post(project, user, completion_planned="2101-01-01"))
    assert page.context["form"].errors == {"completion_planned": ["日期 2101-01-01 超出合理范围（1800～2100 年）"]}
    assert state() == before

    saved = client.post(
        f"/projects/{project.pk}/edit/", edit_post(project, user, signed_planned="2024-05-06", total_investment="0")
    )
    assert saved.status_code == 302
    project.refresh_from_db()
    assert (project.signed_planned, project.total_investment) == (FIRST, 0)  # in the past, and allowed


def test_api_refuses_the_same_under_the_field_name(make_project, people, api_for):
    project = make_project(first_contact_actual=FIRST)
    api = api_for(people["diankou"])
    before = state()
    for body, fields in (
        ({"total_investment": "-1"}, {"total_investment": ["不能为负数"]}),
        ({"jobs": -1}, {"jobs": ["不能为负数"]}),
        ({"signed_planned": "2024-01-01"}, {"signed_planned": ["不能早于首次接洽日期（2024-05-06）"]}),
        ({"signed_planned": "2101-01-01"}, {"signed_planned": ["日期 2101-01-01 超出合理范围（1800～2100 年）"]}),
    ):
        response = api.patch(
            f"/api/v1/projects/{project.pk}", {"version": project.version, **body}, content_type="application/json"
        )
        assert response.status_code == 422 and response.json()["fields"] == fields, body
    assert state() == before
    created = api.post(
        "/api/v1/projects",
        {"name": "补录项目", "construction_start_planned": "2020-01-01", "total_investment": "0"},
        content_type="application/json",
    )
    # A project registered today has its first contact today: a milestone planned before it is refused.
    assert created.status_code == 422
    assert created.json()["fields"]["construction_start_planned"][0].startswith("不能早于首次接洽日期（")
    late = api.post(
        "/api/v1/projects",
        {"name": "补录项目", "first_contact_actual": "2019-12-01", "construction_start_planned": "2020-01-01"},
        content_type="application/json",
    )
    assert late.status_code == 201
    assert late.json()["dates"]["first_contact"]["actual"] == "2019-12-01"
    assert late.json()["dates"]["construction_start"]["planned"] == "2020-01-01"
