"""Rubric editing by the administrator: validation naming the section and item, new versions from the current
one, old versions immutable (a review keeps its own), the pages and who may reach them."""

import copy
import json

import pytest
from django.urls import reverse

from tests.reviews.conftest import start
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.reviews import services
from zhaoshang.reviews.models import RubricVersion
from zhaoshang.reviews.services.rubrics import validate_content
from zhaoshang.reviews.services.sheets import FOREIGN, MU_JUN


def messages_for(content) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        validate_content(content)
    return caught.value.fields["content"]


def test_the_starting_sheets_are_valid():
    assert validate_content(copy.deepcopy(MU_JUN)) == MU_JUN
    assert validate_content(copy.deepcopy(FOREIGN)) == FOREIGN


def test_messages_name_the_section_and_the_item():
    sheet = copy.deepcopy(MU_JUN)
    sheet["sections"][1]["items"][2]["max"] = 5  # 第2部分第3项 (O3) loses 5 points
    sheet["sections"][2]["items"][0]["bands"][0]["text"] = ""
    sheet["sections"][2]["items"][1]["code"] = "S1"
    sheet["sections"][0]["items"][2]["indicator"] = "nothing"
    assert messages_for(sheet) == [
        "第1部分第3项：客观指标“nothing”不存在",
        "第3部分第1项：第1个分数段须填写说明",
        "第3部分第2项：编码“S1”与第3部分第1项重复",
        "评分表：各项满分合计必须为100分，现为95分",
    ]


def test_item_rules():
    sheet = copy.deepcopy(MU_JUN)
    objective = sheet["sections"][1]["items"][0]
    objective["full_at"] = 0
    score = sheet["sections"][2]["items"][3]
    score["bands"] = [{"min": 0, "max": 7, "text": "差"}, {"min": 8, "max": 15, "text": "好"}]
    sheet["sections"][0]["items"][0]["max"] = 5
    sheet["sections"][0]["items"][1]["kind"] = "bonus"
    sheet["sections"][0]["items"][2]["floor"] = None
    assert messages_for(sheet) == [
        "第1部分第1项：一票否决项不计分，满分须为0",
        "第1部分第2项：类型须为 score（专家评分）、objective（客观指标）或 veto（一票否决）",
        "第1部分第3项：按指标否决须设底线",
        "第2部分第1项：须设满分线（正数）",
        "第3部分第4项：分数段之间不能有间隔或重叠",
    ]


def test_sheet_rules():
    sheet = copy.deepcopy(MU_JUN)
    sheet["sections"].append({"title": "", "items": []})
    sheet["bands"] = [{"min": 60, "outcome": "recommend"}, {"min": 30, "outcome": "maybe"}]
    sheet["spread"] = 0
    assert messages_for(sheet) == [
        "第4部分：须填写标题",
        "第4部分：至少要有一个评分项",
        "得分档次第2档：结论须为 recommend、conditional、defer、reject 之一",
        "分歧提示线须为正数",
    ]
    sheet["bands"] = [{"min": 60, "outcome": "recommend"}]
    assert "得分档次：须有一档从0分起" in messages_for(sheet)
    assert messages_for([]) == ["评分表至少要有一个部分"]


def test_new_version_leaves_the_old_one_and_its_reviews_alone(users, rubric, at_review, pool):
    review = start(users["center"], at_review, rubric, n=3, seed="v1")
    first = rubric.current()
    before = copy.deepcopy(first.content)
    content = copy.deepcopy(first.content)
    content["sections"][2]["items"][0]["title"] = "产业契合度（含链主带动）"
    second = services.rubric_version_add(actor=users["sysadmin"], rubric=rubric, content=content)
    assert (second.number, second.created_by) == (2, users["sysadmin"])
    assert rubric.current() == second
    first.refresh_from_db()
    review.refresh_from_db()
    assert first.content == before and review.rubric_version == first
    change = ObjectChange.objects.filter(content_type__model="rubricversion", object_id=second.pk).get()
    assert change.action == "create" and change.actor == users["sysadmin"]
    assert start(users["center"], at_review, rubric, n=3, seed="v2").rubric_version == second


def test_only_the_administrator_adds_versions_and_a_refusal_changes_nothing(users, rubric, other_county):
    content = copy.deepcopy(rubric.current().content)
    counts = (RubricVersion.objects.count(), ObjectChange.objects.count())
    for role in ("center", "leader", "auditor", "expert1"):
        with pytest.raises(PermissionDenied):
            services.rubric_version_add(actor=users[role], rubric=rubric, content=content)
    from tests.factories import make_user

    elsewhere = make_user("sl_sysadmin", "sysadmin", other_county.center)
    with pytest.raises(NotFound):
        services.rubric_version_add(actor=elsewhere, rubric=rubric, content=content)
    with pytest.raises(ValidationFailed):
        services.rubric_version_add(actor=users["sysadmin"], rubric=rubric, content={"sections": []})
    assert (RubricVersion.objects.count(), ObjectChange.objects.count()) == counts


def test_pages(users, client_for, rubric):
    client = client_for(users["sysadmin"])
    listing = client.get(reverse("reviews:rubric_list"))
    assert listing.status_code == 200 and "亩均论英雄项目评分表" in listing.content.decode()
    detail = client.get(reverse("reviews:rubric_detail", args=[rubric.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200 and "第1版" in body and "预计亩均税收" in body and "建议引进" in body
    assert client.get(reverse("reviews:rubric_version", args=[rubric.pk, 1])).status_code == 200
    assert client.get(reverse("reviews:rubric_version", args=[rubric.pk, 9])).status_code == 404
    form = client.get(reverse("reviews:rubric_version_add", args=[rubric.pk]))
    assert json.loads(form.context["form"].initial["content"]) == rubric.current().content
    for role in ("center", "leader", "auditor"):
        assert client_for(users[role]).get(reverse("reviews:rubric_detail", args=[rubric.pk])).status_code == 403


def test_the_form_saves_a_version_or_shows_what_is_wrong(users, client_for, rubric):
    client = client_for(users["sysadmin"])
    url = reverse("reviews:rubric_version_add", args=[rubric.pk])
    broken = client.post(url, {"content": '{\n  "sections": ['})
    assert broken.status_code == 422 and "不是有效的 JSON：第2行" in broken.content.decode()
    content = copy.deepcopy(rubric.current().content)
    content["sections"][2]["items"][2]["max"] = 10
    wrong = client.post(url, {"content": json.dumps(content, ensure_ascii=False)})
    assert wrong.status_code == 422
    assert "评分表：各项满分合计必须为100分，现为95分" in wrong.context["form"].errors["content"]
    assert rubric.versions.count() == 1
    content["sections"][2]["items"][3]["max"] = 20
    content["sections"][2]["items"][3]["bands"] = [
        {"min": 0, "max": 10, "text": "难以达标"},
        {"min": 10, "max": 20, "text": "符合标准"},
    ]
    content["sections"][2]["items"][2]["bands"] = [{"min": 0, "max": 10, "text": "一般"}]
    saved = client.post(url, {"content": json.dumps(content, ensure_ascii=False)})
    assert saved.status_code == 302 and saved["Location"] == reverse("reviews:rubric_detail", args=[rubric.pk])
    assert rubric.current().number == 2 and rubric.current().content["sections"][2]["items"][3]["max"] == 20
    officer = client_for(users["center"]).post(url, {"content": json.dumps(content, ensure_ascii=False)})
    assert officer.status_code == 403 and rubric.versions.count() == 2
