"""Scoring: locking and reopening, aggregation (trimmed mean, disagreement, vetoes, bands), the decision and the
lifecycle it drives (handoff, conditions as checklist items, 不予引进 ends the project)."""

from decimal import Decimal

import pytest

from tests.reviews.conftest import confirm_all, full_sheet, start
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.projects.models import ChecklistEntry, ProjectStage
from zhaoshang.reviews import selectors, services
from zhaoshang.reviews.models import Decision, Review, ReviewAssignment, Score
from zhaoshang.reviews.services.scoring import band_for, trimmed_mean

D = Decimal


def test_trimmed_mean_from_five_plain_mean_below():
    assert trimmed_mean([D(90), D(80), D(70), D(60), D(10)]) == (D("70.0"), "去掉一个最高分和一个最低分后的平均分")
    assert trimmed_mean([D(90), D(80), D(10), D(60)])[0] == D("60.0")


def test_bands_map_the_total():
    bands = [
        {"min": 85, "outcome": "recommend"},
        {"min": 70, "outcome": "conditional"},
        {"min": 60, "outcome": "defer"},
        {"min": 0, "outcome": "reject"},
    ]
    assert [band_for(D(t), bands) for t in (85, "84.9", 70, 60, "59.9")] == [
        "recommend",
        "conditional",
        "conditional",
        "defer",
        "reject",
    ]


@pytest.fixture
def scoring(users, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, n=5, seed="score")
    confirm_all(review)
    review.refresh_from_db()
    assert review.status == Review.Status.SCORING
    return review


def sheets(review):
    return list(review.assignments.filter(status__in=ReviewAssignment.ACTIVE).select_related("expert__user"))


def test_submitted_sheet_is_locked_and_only_the_chair_reopens_it(users, scoring):
    expert = sheets(scoring)[0].expert.user
    with pytest.raises(ValidationFailed) as caught:
        services.scores_submit(actor=expert, review_id=scoring.pk, entries={"S1": {"value": "20", "comment": "x"}})
    assert set(caught.value.fields) >= {"S1", "S2"}  # S1 over its 15 points, the rest missing
    assert Score.objects.count() == 0
    services.scores_submit(actor=expert, review_id=scoring.pk, entries=full_sheet(scoring))
    assert Score.objects.count() == 6  # four scored items and two expert-judged vetoes
    with pytest.raises(ValidationFailed, match="锁定"):
        services.scores_submit(actor=expert, review_id=scoring.pk, entries=full_sheet(scoring, value="1"))
    assert set(Score.objects.values_list("value", flat=True)) == {D("12.0"), D("0.0")}
    with pytest.raises(PermissionDenied):
        services.scores_reopen(
            actor=users["leader"], review_id=scoring.pk, expert_id=sheets(scoring)[0].expert_id, reason="x"
        )
    services.scores_reopen(
        actor=users["center"], review_id=scoring.pk, expert_id=sheets(scoring)[0].expert_id, reason="评语笔误"
    )
    services.scores_submit(actor=expert, review_id=scoring.pk, entries=full_sheet(scoring, value="10"))
    assert D("10.0") in set(Score.objects.values_list("value", flat=True))
    trace = [c.after for c in _changes(scoring)]
    assert {"reopened": sheets(scoring)[0].expert.name, "reason": "评语笔误"} in trace


def _changes(review):
    from zhaoshang.core.models import ObjectChange

    return ObjectChange.objects.filter(object_id=review.pk, content_type__model="review").order_by("id")


def _score_all(review, values, veto="0"):
    for assignment, value in zip(sheets(review), values, strict=True):
        services.scores_submit(
            actor=assignment.expert.user, review_id=review.pk, entries=full_sheet(review, value, veto)
        )


def test_aggregate_trimmed_total_spread_and_band(scoring):
    # objective points: 投资强度 350 ≥ 300 → 15; 亩均税收 35 ≥ 30 → 15; 亩均产值 600 ≥ 500 → 10 = 40
    _score_all(scoring, ["15", "14", "13", "12", "2"])
    agg = selectors.review_aggregate(scoring)
    assert agg.complete and agg.objective == {"O1": D("15.0"), "O2": D("15.0"), "O3": D("10.0")}
    assert agg.totals == [D(100), D(96), D(92), D(88), D(48)]
    assert agg.total == D("92.0")  # (96 + 92 + 88) / 3: the highest and the lowest dropped
    assert agg.spread == D(52) and agg.disagreement
    assert agg.outcome == Decision.Outcome.RECOMMEND and agg.vetoes == []


def test_expert_judged_veto_needs_a_majority(scoring):
    assessments = sheets(scoring)
    for i, a in enumerate(assessments):
        services.scores_submit(
            actor=a.expert.user, review_id=scoring.pk, entries=full_sheet(scoring, "15", "1" if i < 3 else "0")
        )
    agg = selectors.review_aggregate(scoring)
    assert agg.vetoes == ["属高耗能、高排放且不在允许清单内", "触及安全生产、生态环境红线"]
    assert agg.outcome == Decision.Outcome.REJECT and agg.total == D("100.0")


def test_indicator_veto_below_the_floor(users, at_review, rubric, pool):
    from zhaoshang.projects import services as project_services

    at_review = project_services.project_update(
        actor=users["diankou"], project=at_review, data={"annual_tax": D("1000")}, version=at_review.version
    )
    review = start(users["center"], at_review, rubric, n=3, seed="v")
    confirm_all(review)
    _score_all(review, ["15", "15", "15"])
    agg = selectors.review_aggregate(review)
    assert agg.vetoes == ["预计亩均税收低于标准地底线（15万元/亩）"]
    with pytest.raises(ValidationFailed, match="一票否决"):
        services.decision_record(actor=users["center"], review_id=review.pk, outcome="recommend", aggregate=agg)


def test_decision_needs_every_sheet_and_the_chair_or_a_leader(users, scoring):
    agg = selectors.review_aggregate(scoring)
    with pytest.raises(ValidationFailed, match="尚未全部提交"):
        services.decision_record(actor=users["center"], review_id=scoring.pk, outcome="recommend", aggregate=agg)
    _score_all(scoring, ["15"] * 5)
    agg = selectors.review_aggregate(scoring)
    with pytest.raises(PermissionDenied):  # the introducing unit sees the review but is neither chair nor leader
        services.decision_record(actor=users["diankou"], review_id=scoring.pk, outcome="recommend", aggregate=agg)
    assert Decision.objects.count() == 0


def test_admitting_decision_completes_the_stage_and_conditions_become_checklist_items(users, people, scoring):
    _score_all(scoring, ["13"] * 5)
    project = scoring.project
    # the other units' items of 研判 are done; the 专家研判意见 item is left to the decision
    run = ProjectStage.objects.get(project=project, status="open")
    run.entries.filter(title="专家研判意见").update(required=True)
    for entry in run.entries.exclude(title="专家研判意见"):
        entry.done_on = entry.run.opened_on
        entry.save()
    decision, effect = services.decision_record(
        actor=users["center"],
        review_id=scoring.pk,
        outcome="conditional",
        conditions=["投资强度不低于300万元/亩", "外资一年内到位"],
        aggregate=selectors.review_aggregate(scoring),
    )
    assert effect == "研判阶段已办结，项目进入“签约”阶段"
    project.refresh_from_db()
    assert project.stage.code == "signing"
    assert run.entries.get(title="专家研判意见").done_on is not None
    signing = ProjectStage.objects.get(project=project, status="open")
    added = ChecklistEntry.objects.filter(run=signing, title__in=decision.conditions)
    assert sorted(added.values_list("title", flat=True)) == sorted(decision.conditions)
    assert all(e.required for e in added)
    scoring.refresh_from_db()
    assert scoring.status == Review.Status.DECIDED and scoring.conditions_placed_at is not None


def test_decision_is_append_only_and_reject_ends_the_lifecycle(users, scoring):
    _score_all(scoring, ["2"] * 5)
    agg = selectors.review_aggregate(scoring)
    assert agg.outcome == Decision.Outcome.REJECT
    with pytest.raises(ValidationFailed, match="理由"):
        services.decision_record(actor=users["center"], review_id=scoring.pk, outcome="reject", aggregate=agg)
    _, effect = services.decision_record(
        actor=users["center"], review_id=scoring.pk, outcome="reject", reason="亩均效益不达标", aggregate=agg
    )
    assert effect == "项目已终止引进"
    run = ProjectStage.objects.filter(project=scoring.project).order_by("-id").first()
    assert (
        run.status == ProjectStage.Status.TERMINATED
        and not ProjectStage.objects.filter(project=scoring.project, status="open").exists()
    )
    assert scoring.project.events.filter(kind="terminated", text__contains="亩均效益不达标").count() == 1
    services.decision_record(actor=users["leader"], review_id=scoring.pk, outcome="defer", reason="复议", aggregate=agg)
    assert list(scoring.decisions.order_by("id").values_list("outcome", flat=True)) == ["reject", "defer"]


def test_opinion_document_has_scores_spread_exclusions_and_decision(users, scoring):
    import io

    from docx import Document

    from zhaoshang.reviews.documents import opinion_docx

    _score_all(scoring, ["15", "14", "13", "12", "11"])
    services.decision_record(
        actor=users["center"],
        review_id=scoring.pk,
        outcome="conditional",
        conditions=["外资一年内到位"],
        aggregate=selectors.review_aggregate(scoring),
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(opinion_docx(scoring))).paragraphs)
    assert "综合得分 92.0 分（去掉一个最高分和一个最低分后的平均分）" in text
    assert "相差 16.0 分，分歧较大" in text and "排除 0 位" in text
    assert "引进单位：店口镇" in text and "有条件引进" in text and "1. 外资一年内到位" in text


def test_meeting_mode_the_chair_records_answers_and_enters_sheets(users, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, n=3, seed="m", mode="meeting")
    invited = list(review.assignments.filter(status="invited").order_by("order"))
    with pytest.raises(PermissionDenied):
        services.meeting_respond(
            actor=invited[0].expert.user, review_id=review.pk, expert_id=invited[0].expert_id, accept=True
        )
    for a in invited:
        services.meeting_respond(actor=users["center"], review_id=review.pk, expert_id=a.expert_id, accept=True)
    review.refresh_from_db()
    assert review.status == Review.Status.SCORING
    with pytest.raises(PermissionDenied, match="秘书录入"):
        services.scores_submit(actor=invited[0].expert.user, review_id=review.pk, entries=full_sheet(review))
    for a in invited:
        services.scores_submit(
            actor=users["center"], review_id=review.pk, entries=full_sheet(review), expert_id=a.expert_id
        )
    assert selectors.review_aggregate(review).complete
