"""The structured rubric editor (sections → items as formsets), new sheets (blank or copied) and switching a
sheet on or off: located messages, publishing a new version while the old one stays, inactive sheets refused
for new reviews (form and API) while existing reviews keep theirs."""

import copy

import pytest
from django.urls import reverse

from tests.reviews.conftest import start
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.reviews import selectors, services
from zhaoshang.reviews.models import Review, Rubric, RubricVersion
from zhaoshang.reviews.rubric_editor import content_to_raw, raw_to_content


def form_data(raw: dict, action: str = "publish") -> dict:
    """The editor's POST for ``raw`` (its fields, as ``rubric_editor.Editor`` names them)."""
    data = {"action": action, "sections-TOTAL_FORMS": len(raw["sections"]), "sections-INITIAL_FORMS": 0}
    data.update({f"sheet-{k}": v for k, v in raw["sheet"].items()})
    for n, section in enumerate(raw["sections"]):
        data[f"sections-{n}-title"] = section["title"]
        data[f"s{n}-TOTAL_FORMS"], data[f"s{n}-INITIAL_FORMS"] = len(section["items"]), 0
        for i, item in enumerate(section["items"]):
            for key, value in item.items():
                if key == "lower_is_better":
                    if value:
                        data[f"s{n}-{i}-{key}"] = "on"
                else:
                    data[f"s{n}-{i}-{key}"] = value
    return data


def test_the_editor_round_trips_a_version_unchanged(users, client_for, rubric):
    current = rubric.current()
    page = client_for(users["sysadmin"]).get(reverse("reviews:rubric_edit", args=[rubric.pk]))
    assert page.status_code == 200 and page.context["total"] == 100
    raw = page.context["editor"].raw()
    assert raw == content_to_raw(current.content)
    content, errors = raw_to_content(raw)
    assert errors == [] and content == current.content


def test_publishing_names_each_mistake_where_it_is_and_saves_nothing(users, client_for, rubric):
    raw = content_to_raw(rubric.current().content)
    raw["sections"][0]["title"] = ""
    raw["sections"][0]["items"][2]["threshold"] = ""  # V3: veto on 亩均税收 without its floor
    raw["sections"][1]["items"][0]["threshold"] = "0"  # O1: no full-marks line
    raw["sections"][1]["items"][2]["max"] = "5"  # O3 loses 5 points
    raw["sections"][2]["items"][0]["bands"] = "11.25-15 高度契合\n差不多就行"
    raw["sections"][2]["items"][1]["code"] = "S1"
    raw["sheet"]["min_defer"] = "六十"
    counts = (RubricVersion.objects.count(), ObjectChange.objects.count())
    response = client_for(users["sysadmin"]).post(reverse("reviews:rubric_edit", args=[rubric.pk]), form_data(raw))
    assert response.status_code == 422
    assert response.context["errors"] == [
        "第3部分第1项：分数段说明第2行应写成“下限-上限 说明”，如“12-15 高度契合”",
        "得分档次“暂缓”：起始分须为0到100之间的数",
        "第1部分：须填写标题",
        "第1部分第3项：按指标否决须设底线",
        "第2部分第1项：须设满分线（正数）",
        "第3部分第1项：分数段须覆盖0到15分",
        "第3部分第2项：编码“S1”与第3部分第1项重复",
        "评分表：各项满分合计必须为100分，现为95分",
        "得分档次第3档：起始分须在0到100之间",
    ]
    sections = response.context["sections"]
    assert sections[2]["items"][0]["errors"] == [
        "分数段说明第2行应写成“下限-上限 说明”，如“12-15 高度契合”",
        "分数段须覆盖0到15分",
    ]
    assert sections[1]["items"][0]["errors"] == ["须设满分线（正数）"] and sections[1]["items"][1]["errors"] == []
    assert response.context["total"] == 95
    assert response.context["editor"].raw()["sections"][2]["items"][0]["bands"] == "11.25-15 高度契合\n差不多就行"
    assert (RubricVersion.objects.count(), ObjectChange.objects.count()) == counts


def test_publishing_makes_a_new_version_and_leaves_the_old_one(users, client_for, rubric, at_review, pool):
    review = start(users["center"], at_review, rubric, n=3, seed="ed")
    first = rubric.current()
    before = copy.deepcopy(first.content)
    raw = content_to_raw(first.content)
    s4 = raw["sections"][2]["items"][3]
    raw["sections"][2]["items"][2]["max"] = "10"
    raw["sections"][2]["items"][2]["bands"] = "5-10 实力较强\n0-5 实力一般"
    s4["max"], s4["bands"] = "20", "10～20分：符合标准\n0-10 难以达标"
    raw["sections"][1]["items"][0].update(kind="objective", lower_is_better=True)
    response = client_for(users["sysadmin"]).post(reverse("reviews:rubric_edit", args=[rubric.pk]), form_data(raw))
    assert response.status_code == 302 and response["Location"] == reverse("reviews:rubric_detail", args=[rubric.pk])
    second = rubric.current()
    assert (second.number, second.created_by) == (2, users["sysadmin"])
    assert second.content["sections"][2]["items"][3]["bands"] == [
        {"min": 10, "max": 20, "text": "符合标准"},
        {"min": 0, "max": 10, "text": "难以达标"},
    ]
    assert second.content["sections"][1]["items"][0]["lower_is_better"] is True
    first.refresh_from_db()
    review.refresh_from_db()
    assert first.content == before and review.rubric_version == first


def test_add_and_remove_buttons_rerender_what_was_typed(users, client_for, rubric):
    client = client_for(users["sysadmin"])
    url = reverse("reviews:rubric_edit", args=[rubric.pk])
    raw = content_to_raw(rubric.current().content)
    raw["sections"][1]["title"] = "亩均效益"
    added = client.post(url, form_data(raw, "add_item:1")).context["editor"].raw()
    assert [len(s["items"]) for s in added["sections"]] == [3, 4, 4]
    assert added["sections"][1]["title"] == "亩均效益" and added["sections"][1]["items"][3]["code"] == "2.4"
    removed = client.post(url, form_data(added, "remove_item:1:0")).context["editor"].raw()
    assert [i["code"] for i in removed["sections"][1]["items"]] == ["O2", "O3", "2.4"]
    fewer = client.post(url, form_data(removed, "remove_section:0")).context["editor"].raw()
    more = client.post(url, form_data(fewer, "add_section")).context["editor"].raw()
    assert [s["title"] for s in more["sections"]] == ["亩均效益", "专家评议", ""]
    assert rubric.versions.count() == 1


def test_a_new_sheet_blank_or_copied(users, client_for, rubric):
    client = client_for(users["sysadmin"])
    blank = client.post(reverse("reviews:rubric_add"), {"name": "技改项目评分表", "copy_from": ""})
    created = Rubric.objects.get(name="技改项目评分表")
    assert blank["Location"] == reverse("reviews:rubric_edit", args=[created.pk])
    assert not created.is_active and created.versions.count() == 0
    assert created not in selectors.rubrics_for(user=users["center"])
    page = client.get(blank["Location"])
    assert page.status_code == 200 and page.context["total"] == 0
    raw = content_to_raw(rubric.current().content)
    client.post(blank["Location"], form_data(raw))
    created.refresh_from_db()
    assert created.is_active and created.current().content == rubric.current().content
    copied = client.post(
        reverse("reviews:rubric_add"), {"name": "亩均评分表（副本）", "copy_from": rubric.current().pk}
    )
    copy_ = Rubric.objects.get(name="亩均评分表（副本）")
    assert copied.status_code == 302 and copy_.is_active
    assert (copy_.current().number, copy_.current().content) == (1, rubric.current().content)
    again = client.post(reverse("reviews:rubric_add"), {"name": "亩均评分表（副本）", "copy_from": ""})
    assert again.status_code == 422 and again.context["form"].errors["name"] == ["已有名为“亩均评分表（副本）”的评分表"]
    assert Rubric.objects.filter(name="亩均评分表（副本）").count() == 1


def test_an_inactive_sheet_cannot_start_a_review_but_old_reviews_keep_theirs(
    users, client_for, api_for, rubric, at_review, pool
):
    review = start(users["center"], at_review, rubric, n=3, seed="old")
    admin = client_for(users["sysadmin"])
    admin.post(reverse("reviews:rubric_list"), {"rubric": rubric.pk, "active": "0"})
    rubric.refresh_from_db()
    assert not rubric.is_active
    form = client_for(users["center"]).get(reverse("reviews:review_add") + f"?project={at_review.pk}")
    assert rubric.pk not in [pk for pk, _ in form.context["form"].fields["rubric_id"].choices]
    count = Review.objects.count()
    payload = {"project_id": at_review.pk, "rubric_id": rubric.pk, "experts": 3, "seed": "new"}
    refused = api_for(users["center"]).post("/api/v1/reviews", payload, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"rubric_id": ["评分表“亩均论英雄项目评分表”已停用，不能用于新的研判"]}
    assert Review.objects.count() == count
    review.refresh_from_db()
    assert review.rubric_version.rubric == rubric
    assert client_for(users["center"]).get(reverse("reviews:review_detail", args=[review.pk])).status_code == 200
    admin.post(reverse("reviews:rubric_list"), {"rubric": rubric.pk, "active": "1"})
    assert start(users["center"], at_review, rubric, n=3, seed="new").rubric_version == rubric.current()


def test_only_the_administrator_switches_and_creates_sheets(users, rubric):
    counts = (Rubric.objects.count(), ObjectChange.objects.count())
    for role in ("center", "leader", "auditor"):
        with pytest.raises(PermissionDenied):
            services.rubric_set_active(actor=users[role], rubric=rubric, active=False)
        with pytest.raises(PermissionDenied):
            services.rubric_create(actor=users[role], name="新表")
    rubric.refresh_from_db()
    assert rubric.is_active and (Rubric.objects.count(), ObjectChange.objects.count()) == counts
    empty = services.rubric_create(actor=users["sysadmin"], name="空表")
    with pytest.raises(ValidationFailed) as caught:
        services.rubric_set_active(actor=users["sysadmin"], rubric=empty, active=True)
    assert caught.value.fields == {"is_active": ["请先发布第1版"]}
