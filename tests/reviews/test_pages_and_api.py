"""Officers' pages (board, list, review page, request form, decision, 研判意见书, statistics), the auditor's
exclusion list, and the API's request, progress and decision."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reviews.conftest import confirm_all, full_sheet, make_expert, start
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Review


def test_api_request_returns_drawn_backups_and_exclusions(users, api_for, at_review, rubric, pool):
    make_expert(users["center"], "现任海亮", employer="海亮集团有限公司")
    payload = {
        "project_id": at_review.pk,
        "rubric_id": rubric.pk,
        "experts": 5,
        "fields": ["38"],
        "blind": True,
        "seed": "api-seed",
    }
    api = api_for(users["center"])
    first = api.post("/api/v1/reviews", payload, content_type="application/json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert len(body["drawn"]) == 5 and len(body["backups"]) == 3
    assert body["exclusions"] == [
        {
            "expert": "现任海亮",
            "expert_id": body["exclusions"][0]["expert_id"],
            "reason": "现任或近年任职于投资方（含同一集团）",
            "detail": "现任职于投资方或同一集团",
        }
    ]
    second = api.post("/api/v1/reviews", payload, content_type="application/json").json()
    assert [r["expert_id"] for r in second["drawn"]] == [r["expert_id"] for r in body["drawn"]]
    too_many = api.post("/api/v1/reviews", {**payload, "experts": 12}, content_type="application/json")
    assert too_many.status_code == 422 and "少于所需的 12 位" in too_many.json()["message"]
    assert Review.objects.count() == 2


def test_api_progress_aggregate_and_decision(users, api_for, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, n=3, seed="p")
    confirm_all(review)
    for a in review.assignments.filter(status="confirmed").select_related("expert__user"):
        services.scores_submit(actor=a.expert.user, review_id=review.pk, entries=full_sheet(review, "15"))
    api = api_for(users["center"])
    detail = api.get(f"/api/v1/reviews/{review.pk}").json()
    assert detail["aggregate"]["complete"] and detail["aggregate"]["total"] == "100.0"
    assert detail["aggregate"]["method"] == "算术平均分" and detail["aggregate"]["suggested_outcome"] == "recommend"
    refused = api_for(users["diankou"]).post(
        f"/api/v1/reviews/{review.pk}/decision", {"outcome": "recommend"}, content_type="application/json"
    )
    assert refused.status_code == 403 and review.decisions.count() == 0
    decided = api.post(
        f"/api/v1/reviews/{review.pk}/decision",
        {"outcome": "conditional", "conditions": ["投资强度不低于300万元/亩"]},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["review"]["decision"]["conditions"] == ["投资强度不低于300万元/亩"]
    assert decided.json()["effect"].startswith("研判阶段")


def test_officer_pages_render(users, client_for, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, n=3, seed="pages")
    client = client_for(users["center"])
    for name in (
        "reviews:review_board",
        "reviews:review_list",
        "reviews:review_stats",
        "reviews:review_add",
        "reviews:expert_list",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    page = client.get(reverse("reviews:review_detail", args=[review.pk]) + "?verify=1")
    assert page.status_code == 200 and "复核抽取：结果一致" in page.content.decode()
    assert client_for(users["diankou"]).get(reverse("reviews:review_detail", args=[review.pk])).status_code == 200
    assert client_for(users["datang"]).get(reverse("reviews:review_detail", args=[review.pk])).status_code == 404
    document = client.get(reverse("reviews:review_document", args=[review.pk]))
    assert document.status_code == 200 and document.content[:2] == b"PK"


def test_request_form_draws_and_redirects(users, client_for, at_review, rubric, pool):
    response = client_for(users["center"]).post(
        reverse("reviews:review_add"),
        {
            "project_id": at_review.pk,
            "rubric_id": rubric.pk,
            "experts": 3,
            "fields_codes": "",
            "mode": "online",
            "blind": "on",
            "seed": "form",
        },
    )
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.fields == ["38"] and review.blind and review.assignments.filter(status="invited").count() == 3


def test_decision_through_the_page(users, client_for, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, n=3, seed="decide")
    confirm_all(review)
    for a in review.assignments.filter(status="confirmed").select_related("expert__user"):
        services.scores_submit(actor=a.expert.user, review_id=review.pk, entries=full_sheet(review, "5"))
    client = client_for(users["center"])
    client.post(
        reverse("reviews:review_action", args=[review.pk, "decide"]), {"outcome": "defer", "reason": "补充材料"}
    )
    review.refresh_from_db()
    assert review.status == Review.Status.DECIDED and review.decisions.get().reason == "补充材料"


def test_auditor_sees_every_exclusion_with_its_reason(users, client_for, at_review, rubric, pool):
    make_expert(users["center"], "现任海亮", employer="海亮集团有限公司")
    start(users["center"], at_review, rubric, n=3)
    page = client_for(users["auditor"]).get(reverse("reviews:exclusion_audit"))
    assert page.status_code == 200 and "现任海亮" in page.content.decode()
    assert client_for(users["center"]).get(reverse("reviews:exclusion_audit")).status_code == 403


def test_review_page_queries_do_not_grow_with_experts(users, client_for, at_review, rubric, county):
    from tests.factories import make_user

    for i in range(16):
        login = make_user(f"e{i}", "expert", county.center)
        make_expert(users["center"], f"评审专家{i}", user=login)
    client = client_for(users["center"])
    counts = []
    for n in (3, 15):
        review = start(users["center"], at_review, rubric, n=n, seed=f"q{n}")
        confirm_all(review)
        for a in review.assignments.filter(status="confirmed").select_related("expert__user"):
            services.scores_submit(actor=a.expert.user, review_id=review.pk, entries=full_sheet(review))
        client.get(reverse("reviews:review_detail", args=[review.pk]))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reviews:review_detail", args=[review.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
