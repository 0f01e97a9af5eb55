"""The API of rubrics and opinion requests: reads for officers and the administrator, a new version by the
administrator only (422 naming the item, nothing written when refused), opinion requests in scope."""

import copy

from tests.reviews.conftest import make_expert
from zhaoshang.core.models import ObjectChange
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Opinion, OpinionRequest, RubricVersion


def test_rubrics_read_and_a_version_added(users, api_for, rubric):
    officer = api_for(users["center"])
    listing = officer.get("/api/v1/rubrics").json()
    assert listing["count"] == 2 and {r["name"] for r in listing["results"]} == {
        "亩均论英雄项目评分表",
        "外资项目评分表",
    }
    detail = officer.get(f"/api/v1/rubrics/{rubric.pk}").json()
    assert detail["current"]["number"] == 1 and detail["versions"][0]["reviews"] == 0
    assert detail["current"]["content"]["sections"][0]["title"] == "一票否决"
    assert officer.get(f"/api/v1/rubrics/{rubric.pk}/versions/2").status_code == 404
    content = copy.deepcopy(detail["current"]["content"])
    content["sections"][2]["items"][1]["max"] = 10
    admin = api_for(users["sysadmin"])
    counts = (RubricVersion.objects.count(), ObjectChange.objects.count())
    wrong = admin.post(f"/api/v1/rubrics/{rubric.pk}/versions", {"content": content}, content_type="application/json")
    assert wrong.status_code == 422
    assert wrong.json()["fields"]["content"] == [  # the anchored bands above the new 10 points, and the total
        "第3部分第2项：第1个分数段须在0到10分之间且下限小于上限",
        "第3部分第2项：第2个分数段须在0到10分之间且下限小于上限",
        "评分表：各项满分合计必须为100分，现为95分",
    ]
    refused = officer.post(
        f"/api/v1/rubrics/{rubric.pk}/versions",
        {"content": detail["current"]["content"]},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert (RubricVersion.objects.count(), ObjectChange.objects.count()) == counts
    saved = admin.post(
        f"/api/v1/rubrics/{rubric.pk}/versions",
        {"content": detail["current"]["content"]},
        content_type="application/json",
    )
    assert saved.status_code == 201 and saved.json()["number"] == 2
    assert admin.get(f"/api/v1/rubrics/{rubric.pk}/versions/2").json()["id"] == saved.json()["id"]
    assert api_for(users["auditor"]).get("/api/v1/rubrics").status_code == 403


def test_opinion_requests(users, api_for, at_review):
    center = users["center"]
    guo = make_expert(center, "郭明辉")
    group = services.adviser_group_create(actor=center, name="顾问团", members=[(guo.pk, "财务")])
    api = api_for(users["diankou"])
    asked = api.post(
        "/api/v1/opinion-requests",
        {"group_id": group.pk, "project_id": at_review.pk, "question": "到位风险？"},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert body["waiting"] == ["郭明辉"] and body["opinions"] == []
    answered = api.post(
        f"/api/v1/opinion-requests/{body['id']}/opinions",
        {"expert_id": guo.pk, "text": "风险可控"},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["opinions"][0]["text"] == "风险可控"
    assert api.get("/api/v1/opinion-requests").json()["count"] == 1
    other = api_for(users["datang"])
    assert other.get("/api/v1/opinion-requests").json()["count"] == 0
    assert other.get(f"/api/v1/opinion-requests/{body['id']}").status_code == 404
    denied = other.post(
        f"/api/v1/opinion-requests/{body['id']}/opinions",
        {"expert_id": guo.pk, "text": "x"},
        content_type="application/json",
    )
    assert denied.status_code == 404
    empty = api.post(
        "/api/v1/opinion-requests",
        {"group_id": group.pk, "project_id": at_review.pk, "question": ""},
        content_type="application/json",
    )
    assert empty.status_code == 422
    assert OpinionRequest.objects.count() == 1 and list(Opinion.objects.values_list("text", flat=True)) == ["风险可控"]
