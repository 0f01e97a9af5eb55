"""Drawing: reproducible from the seed, every conflict rule, backups on decline, not enough experts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.reviews.conftest import make_expert, start
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Exclusion, Review, ReviewAssignment
from zhaoshang.reviews.services.drawing import draw_order


def drawn(review):
    return list(review.assignments.order_by("order").values_list("expert_id", flat=True))


def test_draw_order_is_a_pure_function_of_seed_and_pool():
    assert draw_order("abc", [3, 1, 2]) == draw_order("abc", [1, 2, 3])
    assert draw_order("abc", range(50)) != draw_order("abd", range(50))
    # anyone can recompute it: sha256("<seed>:<id>") ascending
    import hashlib

    expected = sorted(range(20), key=lambda i: hashlib.sha256(f"s1:{i}".encode()).hexdigest())
    assert draw_order("s1", range(20)) == expected


def test_same_seed_same_pool_draws_the_same_experts(users, at_review, rubric, pool):
    first = start(users["center"], at_review, rubric, seed="2026-研判-1")
    second = start(users["center"], at_review, rubric, seed="2026-研判-1")
    third = start(users["center"], at_review, rubric, seed="another")
    assert drawn(first) == drawn(second)
    assert drawn(first) != drawn(third)
    assert first.pool == second.pool == sorted(e.pk for e in pool)
    assert services.redraw_matches(first)
    statuses = list(first.assignments.order_by("order").values_list("status", flat=True))
    assert statuses == ["invited"] * 5 + ["backup"] * 3  # 8 eligible: 5 drawn, the other 3 backups in order
    assert first.status == Review.Status.DRAWING and first.seed == "2026-研判-1"


def test_seed_is_generated_and_recorded_when_not_given(users, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric)
    assert len(review.seed) == 16
    assert drawn(review) == draw_order(review.seed, review.pool)[:8]


def test_every_conflict_rule_excludes_with_its_reason(users, county, at_review, rubric, pool, investor):
    center = users["center"]
    today = timezone.localdate()
    now_employed = make_expert(center, "现任海亮", employer="浙江海亮股份有限公司")
    recent = make_expert(center, "曾任海亮")
    services.employment_add(
        actor=center, expert_id=recent.pk, employer="海亮集团", ended_on=today - timedelta(days=400)
    )
    long_ago = make_expert(center, "早年海亮")
    services.employment_add(actor=center, expert_id=long_ago.pk, employer="海亮集团", ended_on=date(2015, 1, 1))
    related = make_expert(center, "持股专家")
    services.relation_add(actor=center, expert_id=related.pk, enterprise_name="海亮集团有限公司", kind="equity")
    staff = make_expert(center, "店口镇干部", staff_unit=county.diankou)
    away = make_expert(center, "出差专家", unavailable_until=today + timedelta(days=10))
    off = make_expert(center, "停用专家", is_available=False)
    other_field = make_expert(center, "纺织专家", codes=("17",))

    review = start(center, at_review, rubric, n=5, seed="s")
    reasons = {e.expert_id: e.reason for e in review.exclusions.all()}
    assert reasons == {
        now_employed.pk: Exclusion.Reason.EMPLOYER,
        recent.pk: Exclusion.Reason.EMPLOYER,
        related.pk: Exclusion.Reason.RELATION,
        staff.pk: Exclusion.Reason.STAFF,
        away.pk: Exclusion.Reason.UNAVAILABLE,
        off.pk: Exclusion.Reason.UNAVAILABLE,
    }
    assert long_ago.pk in review.pool  # beyond the 3-year look-back
    assert other_field.pk not in review.pool and other_field.pk not in reasons  # not in the field at all
    assert set(drawn(review)) <= set(review.pool)
    assert not set(reasons) & set(review.pool)


def test_lookback_is_configurable(settings, users, at_review, rubric, pool):
    center = users["center"]
    expert = make_expert(center, "五年前海亮")
    past = timezone.localdate() - timedelta(days=5 * 365)
    services.employment_add(actor=center, expert_id=expert.pk, employer="海亮集团有限公司", ended_on=past)
    assert expert.pk in start(center, at_review, rubric).pool
    settings.ZHAOSHANG_REVIEW_LOOKBACK_YEARS = 6
    assert expert.pk not in start(center, at_review, rubric).pool


def test_fields_match_up_and_down_the_classification(users, at_review, rubric, pool):
    center = users["center"]
    narrow = make_expert(center, "锂电专家", codes=("3841",))
    section = make_expert(center, "制造业专家", codes=("C",))
    other = make_expert(center, "软件专家", codes=("65",))
    review = start(center, at_review, rubric, fields=["384"])
    assert narrow.pk in review.pool and section.pk in review.pool and other.pk not in review.pool


def test_not_enough_experts_is_a_clear_message_and_nothing_is_written(users, at_review, rubric, pool):
    with pytest.raises(ValidationFailed) as caught:
        start(users["center"], at_review, rubric, n=9)
    assert "符合专业领域且无需回避的专家只有 8 位，少于所需的 9 位" in caught.value.message
    assert Review.all_objects.count() == 0 and ReviewAssignment.objects.count() == 0


def test_decline_invites_the_next_backup_in_order(users, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, seed="x")
    order = list(review.assignments.order_by("order"))
    first = order[0]
    with pytest.raises(ValidationFailed):
        services.assignment_respond(actor=first.expert.user, review_id=review.pk, accept=False, reason="")
    services.assignment_respond(actor=first.expert.user, review_id=review.pk, accept=False, reason="出国")
    statuses = list(review.assignments.order_by("order").values_list("status", flat=True))
    assert statuses == ["declined", "invited", "invited", "invited", "invited", "invited", "backup", "backup"]
    assert order[5].expert.user.notifications.filter(title__contains=review.alias).count() == 1
    # declined: the review is no longer his
    assert not Review.objects.restrict(first.expert.user).filter(pk=review.pk).exists()


def test_commitment_opens_scoring_once_everyone_confirmed(users, at_review, rubric, pool):
    review = start(users["center"], at_review, rubric, n=3, seed="c")
    invited = list(review.assignments.filter(status="invited").select_related("expert__user"))
    for a in invited[:2]:
        services.commitment_sign(actor=a.expert.user, review_id=review.pk)
    review.refresh_from_db()
    assert review.status == Review.Status.DRAWING
    services.commitment_sign(actor=invited[2].expert.user, review_id=review.pk)
    review.refresh_from_db()
    assert review.status == Review.Status.SCORING
    assert all(a.commitment_signed_at for a in review.assignments.filter(status="confirmed"))
