"""Reads of the reviews app. Everything an expert reaches goes through ``expert_review`` and ``materials``, which
replace the investor's name and identifying fields by the review's alias while the review is blind and not all
scores are in (``masked``)."""

from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, When

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import VIEW
from zhaoshang.core.text import normalize_company_name
from zhaoshang.projects import selectors as project_selectors

from .filters import AdviserGroupFilter, ExpertFilter, OpinionRequestFilter, ResearchOrgFilter, ReviewFilter
from .models import (
    AdviserGroup,
    AdviserMembership,
    Decision,
    Exclusion,
    Expert,
    Opinion,
    OpinionRequest,
    ResearchOrg,
    Review,
    ReviewAssignment,
    Rubric,
    RubricVersion,
    Score,
)
from .services.rubrics import INDICATORS, objective_points, objective_veto
from .services.scoring import Aggregate, aggregate
from .statistics import statistics  # noqa: F401  (the statistics page reads it here with the others)


def expert_list(*, user, filters) -> ListResult:
    queryset = Expert.objects.restrict(user).select_related("org_unit", "research_org")
    return filtered_list(ExpertFilter, queryset, filters, user=user)


def expert_get(*, user, pk: int, action: str = VIEW) -> Expert:
    expert = (
        Expert.objects.restrict(user, action)
        .select_related("org_unit", "research_org", "staff_unit", "user")
        .filter(pk=pk)
        .first()
    )
    if expert is None:
        raise NotFound()
    return expert


def review_list(*, user, filters) -> ListResult:
    """Reviews in scope with ``shown_title``: the alias while a blind review is undecided, for an expert."""
    queryset = Review.objects.restrict(user).select_related("org_unit", "rubric_version__rubric")
    if user.is_authenticated and user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
        hidden = Q(blind=True) & ~Q(status=Review.Status.DECIDED)
        queryset = queryset.annotate(shown_title=Case(When(hidden, then=F("alias")), default=F("title")))
    else:
        queryset = queryset.annotate(shown_title=F("title"))
    return filtered_list(ReviewFilter, queryset, filters, user=user)


def review_get(*, user, pk: int, action: str = VIEW) -> Review:
    review = (
        Review.objects.restrict(user, action)
        .select_related("org_unit", "project__investor", "project__stage", "rubric_version__rubric", "chair")
        .defer("pool")  # the eligible ids at the draw (thousands): read only to re-run the draw
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise NotFound()
    return review


def rubrics_for(*, user) -> list[Rubric]:
    """The sheets a new review may use: active ones with a published version."""
    return list(
        Rubric.objects.filter(region_id=user.region_id, is_active=True, versions__isnull=False)
        .distinct()
        .order_by("name")
    )


def board(*, user) -> list[dict]:
    """The 研判 board: one column per status, newest first (two queries)."""
    base = Review.objects.restrict(user)
    counts = dict(base.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    rows = defaultdict(list)
    for review in base.select_related("org_unit").order_by("-id")[:200]:
        if len(rows[review.status]) < 20:
            rows[review.status].append(review)
    return [
        {"status": value, "label": label, "count": counts.get(value, 0), "reviews": rows[value]}
        for value, label in Review.Status.choices
    ]


# --- progress and aggregate ------------------------------------------------------------------------------


def assignments(review: Review) -> list[ReviewAssignment]:
    return list(review.assignments.select_related("expert").order_by("order"))


def review_aggregate(review: Review, rows: list[ReviewAssignment] | None = None) -> Aggregate:
    """The aggregate from the submitted sheets (one query for the scores)."""
    rows = rows if rows is not None else assignments(review)
    submitted = [a for a in rows if a.status == ReviewAssignment.Status.SUBMITTED]
    expected = sum(1 for a in rows if a.status in ReviewAssignment.ACTIVE)
    sheets: dict[int, dict[str, Decimal]] = {a.expert_id: {} for a in submitted}
    for expert_id, item, value in Score.objects.filter(assignment__in=[a.pk for a in submitted]).values_list(
        "assignment__expert_id", "item", "value"
    ):
        sheets[expert_id][item] = value
    return aggregate(review, sheets, expected)


def progress_rows(review: Review) -> list[ReviewAssignment]:
    """The review page's progress table: each drawn expert's assignment with only his name loaded (the page
    and the aggregate need no more; a full expert row is wide)."""
    fields = ("review_id", "expert_id", "order", "status", "decline_reason", "commitment_signed_at", "submitted_at")
    return list(review.assignments.select_related("expert").only(*fields, "expert__name").order_by("order"))


def exclusion_rows(review: Review, limit: int) -> list[dict]:
    """The first ``limit`` exclusions as plain rows (expert's name, reason label, detail) for the review page."""
    labels = dict(Exclusion.Reason.choices)
    rows = review.exclusions.order_by("id").values("expert__name", "reason", "detail")[:limit]
    return [
        {"name": r["expert__name"], "reason": labels.get(r["reason"], r["reason"]), "detail": r["detail"]} for r in rows
    ]


def review_indicators(review: Review) -> list[dict]:
    """The objective figures recorded with the review (no query)."""
    return [
        {"label": INDICATORS[k][0], "value": v if v is not None else "未填报"}
        for k, v in (review.facts or {}).items()
        if k in INDICATORS
    ]


def review_history(review: Review, limit: int = 50) -> list[ObjectChange]:
    """The review's change log, newest first, as its page lists it (action, time, who): one query, no diffs."""
    content_type = ContentType.objects.get_for_model(Review)
    return list(
        ObjectChange.objects.filter(content_type=content_type, object_id=review.pk)
        .only("id", "time", "action", "actor_name")
        .order_by("-id")[:limit]
    )


def exclusions(review: Review, limit: int | None = None) -> list[Exclusion]:
    rows = review.exclusions.select_related("expert").order_by("id")
    return list(rows[:limit] if limit else rows)


def exclusion_counts(review: Review) -> list[tuple[str, int]]:
    """(reason label, count) of the review's exclusions (one query)."""
    counts = dict(review.exclusions.values_list("reason").annotate(n=Count("id")).values_list("reason", "n"))
    return [(label, counts[value]) for value, label in Exclusion.Reason.choices if counts.get(value)]


def decisions(review: Review) -> list[Decision]:
    return list(review.decisions.select_related("decided_by").order_by("-id"))


# --- what an expert reaches --------------------------------------------------------------------------------


def my_assignments(*, user) -> list[ReviewAssignment]:
    """The expert's own reviews (drawn and not declined), newest first."""
    return list(
        ReviewAssignment.objects.filter(expert__user=user, status__in=ReviewAssignment.ACTIVE, review__deleted_at=None)
        .select_related("review__rubric_version__rubric")
        .order_by("-review_id")
    )


def expert_review(*, user, pk: int) -> tuple[Review, ReviewAssignment]:
    """The review and the expert's own assignment; 404 when he was not drawn for it or declined."""
    assignment = (
        ReviewAssignment.objects.filter(
            review_id=pk, expert__user=user, status__in=ReviewAssignment.ACTIVE, review__deleted_at=None
        )
        .select_related("review__project__investor", "review__project__industry", "review__rubric_version", "expert")
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment.review, assignment


def own_scores(assignment: ReviewAssignment) -> dict[str, Score]:
    return {s.item: s for s in assignment.scores.all()}


def masked(review: Review, agg: Aggregate | None = None) -> bool:
    """Blind reviews hide who invests until every drawn expert's sheet is in."""
    if not review.blind:
        return False
    agg = agg or review_aggregate(review)
    return not agg.complete


def _identifying(review: Review) -> list[str]:
    project = review.project
    if project is None:
        return [review.lead.enterprise_name, review.lead.title] if review.lead_id else []
    words = [project.name]
    for company in (project.investor, project.operating_company):
        if company is not None:
            words += [company.name, company.short_name, normalize_company_name(company.name)]
    return sorted({w for w in words if w and len(w) >= 2}, key=len, reverse=True)


def conceal(text: str, words: list[str], alias: str) -> str:
    for word in words:
        text = text.replace(word, alias)
    return text


def materials(review: Review, *, hide: bool) -> dict:
    """The facts of the review's project as experts see them (named or under the alias)."""
    project = review.project
    words = _identifying(review) if hide else []
    facts = review.facts or {}
    items = review.rubric_version.items()
    indicators = [
        {"label": INDICATORS[k][0], "unit": INDICATORS[k][1], "value": v if v is not None else "未填报"}
        for k, v in facts.items()
    ]
    objective = [
        {"title": i["title"], "points": objective_points(i, facts), "max": i["max"]}
        for i in items
        if i["kind"] == "objective"
    ]
    vetoes = [
        {"title": i["title"], "hit": objective_veto(i, facts)}
        for i in items
        if i["kind"] == "veto" and i.get("indicator")
    ]
    if project is None:
        return {
            "name": review.alias if hide else review.title,
            "investor": "",
            "description": "",
            "indicators": indicators,
            "objective": objective,
            "vetoes": vetoes,
        }
    investor = project.investor
    origin = investor.get_origin_display() if investor else ""
    return {
        "name": review.alias if hide else project.name,
        "investor": (f"投资方（{origin or '未注明'}）" if hide else (investor.name if investor else "")),
        "country": "" if hide else project.investor_country,
        "industry": str(project.industry) if project.industry_id else "",
        "project_type": project.get_project_type_display(),
        "description": conceal(project.description, words, review.alias),
        "total_investment": project.total_investment,
        "land_mu": project.land_mu,
        "indicators": indicators,
        "objective": objective,
        "vetoes": vetoes,
    }


# --- rubrics (the administrator's pages) ---------------------------------------------------------------------


def rubric_list(*, user) -> list[Rubric]:
    """The county's sheets with their version counts (one query)."""
    current = RubricVersion.objects.filter(rubric=OuterRef("pk")).order_by("-number").values("pk")[:1]
    return list(
        Rubric.objects.filter(region_id=user.region_id)
        .annotate(version_count=Count("versions"), current_id=Subquery(current))
        .order_by("name")
    )


def rubric_get(*, user, pk: int) -> Rubric:
    rubric = Rubric.objects.filter(region_id=user.region_id, pk=pk).first()
    if rubric is None:
        raise NotFound()
    return rubric


def rubric_versions(rubric: Rubric) -> list[RubricVersion]:
    """Newest first, with how many reviews were scored on each (one query)."""
    return list(
        rubric.versions.select_related("created_by").annotate(review_count=Count("reviews")).order_by("-number")
    )


def rubric_version_choices(*, user) -> list[RubricVersion]:
    """Every published version of the county's sheets (to copy from), by sheet, newest first (one query)."""
    return list(
        RubricVersion.objects.select_related("rubric")
        .filter(rubric__region_id=user.region_id)
        .order_by("rubric__name", "-number")
    )


def rubric_version_get(*, user, rubric_pk: int, number: int) -> RubricVersion:
    version = (
        RubricVersion.objects.select_related("rubric", "created_by")
        .filter(rubric_id=rubric_pk, rubric__region_id=user.region_id, number=number)
        .first()
    )
    if version is None:
        raise NotFound()
    return version


# --- research organisations and the 顾问团 -------------------------------------------------------------------


def research_org_list(*, user, filters) -> ListResult:
    queryset = ResearchOrg.objects.filter(region_id=user.region_id)
    return filtered_list(ResearchOrgFilter, queryset, filters, user=user)


def research_org_get(*, user, pk: int, action: str = VIEW) -> ResearchOrg:
    org = ResearchOrg.objects.filter(region_id=user.region_id, pk=pk).first()
    if org is None:
        raise NotFound()
    return org


def research_org_experts(*, user, org: ResearchOrg) -> list[Expert]:
    """The organisation's experts the user sees in the 专家库."""
    return list(Expert.objects.restrict(user).filter(research_org=org).order_by("name"))


def adviser_group_list(*, user, filters) -> ListResult:
    queryset = AdviserGroup.objects.filter(region_id=user.region_id)
    return filtered_list(AdviserGroupFilter, queryset, filters, user=user)


def adviser_group_get(*, user, pk: int, action: str = VIEW) -> AdviserGroup:
    group = AdviserGroup.objects.filter(region_id=user.region_id, pk=pk).first()
    if group is None:
        raise NotFound()
    return group


def adviser_members(group: AdviserGroup) -> list[AdviserMembership]:
    return list(
        group.memberships.filter(expert__deleted_at=None)
        .select_related("expert__research_org")
        .order_by("expert__name")
    )


def _opinion_requests(user):
    """Requests of the county about projects the user sees (a question about a project is as private as it)."""
    projects = project_selectors.project_list(user=user, filters={}).queryset.values("pk")
    return OpinionRequest.objects.filter(group__region_id=user.region_id, project_id__in=projects)


def opinion_request_list(*, user, filters) -> ListResult:
    queryset = _opinion_requests(user).select_related("group", "project", "requested_by")
    return filtered_list(OpinionRequestFilter, queryset, filters, user=user)


def opinion_request_get(*, user, pk: int, action: str = VIEW) -> OpinionRequest:
    request = _opinion_requests(user).select_related("group", "project", "requested_by").filter(pk=pk).first()
    if request is None:
        raise NotFound()
    return request


def opinion_rows(request: OpinionRequest) -> list[dict]:
    """Each adviser of the group with his opinion (None until given), advisers who left included when they
    answered (two queries)."""
    opinions = {o.expert_id: o for o in request.opinions.select_related("expert")}
    rows = [
        {"expert": m.expert, "speciality": m.speciality, "opinion": opinions.pop(m.expert_id, None)}
        for m in adviser_members(request.group)
    ]
    rows += [{"expert": o.expert, "speciality": "（已退出顾问团）", "opinion": o} for o in opinions.values()]
    return rows


def project_reviews(*, user, project_id: int) -> dict:
    """What the project page shows of the 研判 (three queries): the project's reviews the user sees, newest first,
    with submitted sheets and the latest decision (``decision_outcome``, ``decision_total``, ``decided_on``), and
    the 顾问团's opinion requests on it with the opinions given. Nothing for a user without ``BUSINESS_VIEW``
    (an expert reaches only his own pages)."""
    if not user.has_capability(Cap.BUSINESS_VIEW):
        return {"reviews": [], "requests": []}
    latest = Decision.objects.filter(review=OuterRef("pk")).order_by("-decided_at", "-pk")
    submitted = Q(assignments__status=ReviewAssignment.Status.SUBMITTED)
    reviews = (
        Review.objects.restrict(user)
        .filter(project_id=project_id)
        .annotate(
            submitted=Count("assignments", filter=submitted),
            decision_outcome=Subquery(latest.values("outcome")[:1]),
            decision_total=Subquery(latest.values("total")[:1]),
            decided_on=Subquery(latest.values("decided_at")[:1]),
        )
        .order_by("-id")
    )
    opinions = Prefetch("opinions", queryset=Opinion.objects.select_related("expert").order_by("given_at", "pk"))
    requests = (
        _opinion_requests(user)
        .filter(project_id=project_id)
        .select_related("group", "requested_by")
        .prefetch_related(opinions)
        .order_by("-requested_at", "-pk")
    )
    outcomes = dict(Decision.Outcome.choices)
    rows = list(reviews)
    for review in rows:
        review.decision_label = outcomes.get(review.decision_outcome, "")
    return {"reviews": rows, "requests": list(requests)}


def my_opinion_requests(*, user) -> list[OpinionRequest]:
    """The requests put to the groups the expert belongs to, newest first, with his own answer if any."""
    groups = AdviserMembership.objects.filter(expert__user=user, expert__deleted_at=None).values("group_id")
    requests = list(
        OpinionRequest.objects.filter(group_id__in=groups).select_related("group", "project").order_by("-requested_at")
    )
    answered = set(Opinion.objects.filter(expert__user=user).values_list("request_id", flat=True))
    for request in requests:
        request.answered = request.pk in answered
    return requests


def my_opinion_request(*, user, pk: int) -> tuple[OpinionRequest, Expert, Opinion | None]:
    """One request put to a group of the expert's; 404 for any other."""
    membership = (
        AdviserMembership.objects.filter(expert__user=user, expert__deleted_at=None, group__requests__pk=pk)
        .select_related("expert")
        .first()
    )
    if membership is None:
        raise NotFound()
    request = OpinionRequest.objects.select_related("group", "project__investor", "project__industry").get(pk=pk)
    return request, membership.expert, request.opinions.filter(expert=membership.expert).first()


def sheet_sections(version, scores: dict, entries: dict | None = None, errors: dict | None = None) -> list[dict]:
    """A version's sections for a scoring form: each item with the saved score, the posted entry and its error."""
    return [
        {
            "title": section["title"],
            "items": [
                {
                    **item,
                    "score": scores.get(item["code"]),
                    "entry": (entries or {}).get(item["code"], {}),
                    "error": (errors or {}).get(item["code"]),
                }
                for item in section["items"]
            ],
        }
        for section in version.content["sections"]
    ]


def assignment_sheets(review: Review) -> dict[int, dict[str, Score]]:
    """Each assignment's saved scores by item code (one query): the meeting secretary's overview."""
    sheets: dict[int, dict[str, Score]] = defaultdict(dict)
    for score in Score.objects.filter(assignment__review=review):
        sheets[score.assignment_id][score.item] = score
    return sheets
