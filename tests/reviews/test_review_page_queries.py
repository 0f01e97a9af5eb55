"""The review page reads in a fixed number of queries, whatever the number of experts, their sheets, the
exclusions and the history (bench/reviews.py measures it with 15 experts)."""

from django.urls import reverse

from tests.reviews.conftest import confirm_all, full_sheet, make_expert, start
from zhaoshang.reviews import services
from zhaoshang.reviews.models import ReviewAssignment

# session, user, scope (3), review, progress, scores, exclusions (2), decisions, history, the bell, and the
# session's save (its savepoint, update and release): 16, down from 22 before the page stopped resolving the
# history's diffs and reading the project's industry and full expert rows
PAGE_QUERIES = 16


def _scored(users, project, rubric, n, seed):
    review = start(users["center"], project, rubric, n=n, seed=seed)
    confirm_all(review)
    for a in review.assignments.filter(status__in=ReviewAssignment.ACTIVE).select_related("expert__user"):
        services.scores_submit(actor=a.expert.user, review_id=review.pk, entries=full_sheet(review, value="13"))
    return review


def test_the_review_page_queries_do_not_grow(users, client_for, at_review, rubric, pool, django_assert_max_num_queries):
    for i in range(3):  # three more exclusions in every review drawn after this
        make_expert(users["center"], f"海亮{i}", employer="海亮集团有限公司")
    small = _scored(users, at_review, rubric, 2, "small")
    large = _scored(users, at_review, rubric, 5, "large")
    services.review_update(actor=users["center"], review=large, data={"title": "改名"}, version=large.version)
    client = client_for(users["center"])
    counts = {}
    for review in (small, large):
        with django_assert_max_num_queries(PAGE_QUERIES) as captured:
            response = client.get(reverse("reviews:review_detail", args=[review.pk]))
        assert response.status_code == 200
        counts[review.pk] = len(captured)
    assert counts[small.pk] == counts[large.pk]
    rows = response.context["rows"]
    assert sum(1 for a in rows if a.status == "submitted") == 5 and response.context["agg"].complete
    assert [e["reason"] for e in response.context["exclusions"]] == ["现任或近年任职于投资方（含同一集团）"] * 3
    assert response.context["history"][0].action == "update" and response.context["history"][-1].action == "create"
