"""The 研判 panel on the project page (``projects.panels`` ← ``reviews.project_panels``): the project's reviews
(status, total, decision) and the 顾问团's opinions (adviser, question, answer, date) for the project's viewers,
nothing for an expert or an outsider, in a number of queries that does not grow with them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reviews.conftest import confirm_all, full_sheet, start
from zhaoshang.reviews import selectors, services
from zhaoshang.reviews.models import ReviewAssignment
from zhaoshang.reviews.project_panels import reviews_and_opinions


def _decided(users, project, rubric, seed):
    review = start(users["center"], project, rubric, n=5, seed=seed, blind=True)
    confirm_all(review)
    for a in review.assignments.filter(status__in=ReviewAssignment.ACTIVE).select_related("expert__user"):
        services.scores_submit(actor=a.expert.user, review_id=review.pk, entries=full_sheet(review, value="14"))
    aggregate = selectors.review_aggregate(review)
    services.decision_record(
        actor=users["center"],
        review_id=review.pk,
        outcome="conditional",
        conditions=["外资一年内到位"],
        aggregate=aggregate,
    )
    review.refresh_from_db()
    return review, aggregate


def _page(client, project):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("projects:project_detail", args=[project.pk]))
    return response, len(queries)


def test_the_project_page_shows_reviews_and_opinions_to_its_viewers_only(users, client_for, at_review, rubric, pool):
    group = services.adviser_group_create(
        actor=users["center"], name="诸暨市招商顾问团", members=[(pool[0].pk, "新材料"), (pool[1].pk, "财务")]
    )
    asked = services.opinion_request(
        actor=users["diankou"], group_id=group.pk, project_id=at_review.pk, question="外资分期到位的可行性？"
    )
    services.opinion_give(actor=users["diankou"], request_id=asked.pk, expert_id=pool[1].pk, text="分两期到位可行")
    review, aggregate = _decided(users, at_review, rubric, "panel")
    client = client_for(users["diankou"])
    response, first_count = _page(client, at_review)
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="project-panel-reviews"' in body
    panel = response.context["panels"][0]
    assert [(r.pk, r.get_status_display(), r.submitted, r.decision_label) for r in panel.context["reviews"]] == [
        (review.pk, "已决策", 5, "有条件引进")
    ]
    assert panel.context["reviews"][0].decision_total == aggregate.total
    assert f"{aggregate.total}" in body and "有条件引进" in body
    opinions = [(o.expert.name, o.text) for r in panel.context["requests"] for o in r.opinions.all()]
    assert opinions == [("专家2", "分两期到位可行")]
    assert "外资分期到位的可行性？" in body and "分两期到位可行" in body and "专家2" in body
    assert asked.requested_at.strftime("%Y-%m-%d") in body
    for role in ("center", "leader"):
        assert (
            "分两期到位可行"
            in client_for(users[role]).get(reverse("projects:project_detail", args=[at_review.pk])).content.decode()
        )

    # more reviews and opinions: the same number of queries
    again = services.opinion_request(
        actor=users["center"], group_id=group.pk, project_id=at_review.pk, question="用地？"
    )
    services.opinion_give(actor=pool[0].user, request_id=again.pk, expert_id=pool[0].pk, text="宜用标准地")
    services.opinion_give(actor=users["diankou"], request_id=asked.pk, expert_id=pool[0].pk, text="同意")
    start(users["center"], at_review, rubric, n=3, seed="second")
    response, second_count = _page(client, at_review)
    assert len(response.context["panels"][0].context["reviews"]) == 2 and second_count == first_count

    # an expert (even one who advised and scored) and an officer who does not see the project get nothing
    for role in ("expert1", "datang"):
        user = users[role]
        response = client_for(user).get(reverse("projects:project_detail", args=[at_review.pk]))
        assert response.status_code in (403, 404) and "分两期到位可行" not in response.content.decode()
    assert reviews_and_opinions(users["expert1"], at_review) is None
    assert selectors.project_reviews(user=users["expert1"], project_id=at_review.pk) == {"reviews": [], "requests": []}
    assert selectors.project_reviews(user=users["datang"], project_id=at_review.pk) == {"reviews": [], "requests": []}
