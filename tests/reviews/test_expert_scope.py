"""The expert's scope: his assigned reviews, their materials and his scoring form — a 404 for everything else of
the platform (pages and API); blind mode: the investor's name and identifying fields replaced by the alias on
every page and answer he reaches until all scores are in."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.reviews.conftest import confirm_all, full_sheet, start
from zhaoshang.core.middleware import assigned_only_allows
from zhaoshang.reviews import services
from zhaoshang.reviews.models import ReviewAssignment

SECRET = ("海亮", "新能源电池材料项目")


def _plain_urls(patterns=None, prefix="", namespace=""):
    """Every URL of the site that takes no argument, with its view name."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _plain_urls(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and not p.pattern.regex.groups and p.name:
            yield prefix + str(p.pattern), f"{namespace}{p.name}"


@pytest.fixture
def blind(users, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, n=5, seed="blind", blind=True)
    return review


def mine(review):
    return review.assignments.filter(status="invited").select_related("expert__user").order_by("order").first()


def test_every_other_page_of_the_platform_is_404_for_an_expert(users, client_for, blind):
    client = client_for(users["expert1"])
    checked = 0
    for route, name in _plain_urls():
        path = "/" + route.replace("^", "").replace("$", "")
        if path.startswith("/api/") or "<" in path or name.startswith("djdt"):
            continue
        response = client.get(path)
        if assigned_only_allows(path, name):
            assert response.status_code in (200, 302, 405), (name, response.status_code)  # 405: logout is POST only
        else:
            assert response.status_code == 404, (name, path, response.status_code)
            checked += 1
    assert checked > 30


def test_expert_pages_404_for_reviews_not_his(users, client_for, blind, at_review, rubric):
    outsider = blind.assignments.filter(status="backup").select_related("expert__user").first().expert.user
    client = client_for(outsider)
    assert client.get(reverse("reviews:my_review", args=[blind.pk])).status_code == 404
    assert client.get(reverse("reviews:review_detail", args=[blind.pk])).status_code == 404
    assert client.get(reverse("projects:project_detail", args=[at_review.pk])).status_code == 404
    api = client_for(outsider)
    assert api.get(f"/api/v1/reviews/{blind.pk}").status_code == 404
    assert api.get("/api/v1/reviews").json()["count"] == 0
    response = api.post(f"/api/v1/reviews/{blind.pk}/scores", {"scores": {}}, content_type="application/json")
    assert response.status_code == 404


def test_api_beyond_reviews_is_404_for_an_expert(users, api_for, blind, at_review):
    api = api_for(users["expert1"])
    for path in (
        "/api/v1/projects",
        f"/api/v1/projects/{at_review.pk}",
        "/api/v1/enterprises",
        "/api/v1/leads",
        "/api/v1/experts",
        "/api/v1/test-dossiers",
    ):
        response = api.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path


def _pages(client, review):
    """Every page and answer an expert reaches for this review."""
    yield "home", client.get(reverse("core:home"))
    yield "notifications", client.get(reverse("notify:list"))
    yield "mine", client.get(reverse("reviews:my_reviews"))
    yield "review", client.get(reverse("reviews:my_review", args=[review.pk]))
    yield "api list", client.get("/api/v1/reviews")
    yield "api detail", client.get(f"/api/v1/reviews/{review.pk}")


def assert_masked(client, review):
    for label, response in _pages(client, review):
        assert response.status_code == 200, label
        body = response.content.decode()
        if label.startswith("api"):  # JSON escapes non-ASCII: compare the decoded text
            body = json.dumps(response.json(), ensure_ascii=False)
        for secret in SECRET:
            assert secret not in body, (label, secret)
        if label in ("review", "api detail", "mine"):
            assert review.alias in body, label


def test_blind_review_hides_the_investor_everywhere_until_all_scores_are_in(users, client_for, blind):
    assignment = mine(blind)
    client = client_for(assignment.expert.user)
    assert_masked(client, blind)  # invited: the 承诺书, no materials yet
    client.post(reverse("reviews:my_review", args=[blind.pk]), {"action": "commit"})
    page = client.get(reverse("reviews:my_review", args=[blind.pk]))
    assert page.context["materials"]["name"] == blind.alias
    assert "待评项目" in page.context["materials"]["description"]
    assert_masked(client, blind)  # signed: materials open, still under the alias
    confirm_all(blind)
    response = client.post(
        reverse("reviews:my_review", args=[blind.pk]),
        {
            "action": "score",
            **{f"value_{k}": v["value"] for k, v in full_sheet(blind).items()},
            **{f"comment_{k}": v["comment"] for k, v in full_sheet(blind).items()},
        },
    )
    assert response.status_code == 302
    assert_masked(client, blind)  # his sheet in, the others' not yet
    for other in blind.assignments.filter(status="confirmed").select_related("expert__user"):
        services.scores_submit(actor=other.expert.user, review_id=blind.pk, entries=full_sheet(blind))
    page = client.get(reverse("reviews:my_review", args=[blind.pk]))
    assert "海亮新能源电池材料项目" in page.content.decode()  # all scores in: the name is shown
    assert page.context["locked"]


def test_materials_open_only_after_the_commitment(users, client_for, api_for, blind):
    assignment = mine(blind)
    page = client_for(assignment.expert.user).get(reverse("reviews:my_review", args=[blind.pk]))
    assert page.context["materials"] is None and "承诺书" in page.content.decode()
    assert api_for(assignment.expert.user).get(f"/api/v1/reviews/{blind.pk}").json()["materials"] == {}
    with pytest.raises(Exception, match="承诺书"):
        services.scores_submit(actor=assignment.expert.user, review_id=blind.pk, entries=full_sheet(blind))


def test_expert_scores_through_the_api(users, api_for, blind):
    confirm_all(blind)
    assignment = mine(blind) or blind.assignments.filter(status="confirmed").first()
    api = api_for(blind.assignments.filter(status="confirmed").first().expert.user)
    answer = api.post(
        f"/api/v1/reviews/{blind.pk}/scores", {"scores": full_sheet(blind)}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["title"] == blind.alias and body["aggregate"] is None
    assert [row["name"] for row in body["drawn"] if row["expert_id"]] != []  # his own row named, the others not
    assert sum(1 for row in body["drawn"] if row["expert_id"] is not None) == 1
    again = api.post(
        f"/api/v1/reviews/{blind.pk}/scores", {"scores": full_sheet(blind)}, content_type="application/json"
    )
    assert again.status_code == 422 and "锁定" in again.json()["message"]
    assert assignment is not None
    assert ReviewAssignment.objects.filter(review=blind, status="submitted").count() == 1
