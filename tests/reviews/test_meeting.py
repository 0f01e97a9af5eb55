"""Meeting mode: the secretary (the chair, or a leader) records each expert's answer and enters each expert's
sheet; everyone else is refused and changes nothing."""

import pytest
from django.urls import reverse

from tests.reviews.conftest import full_sheet, start
from zhaoshang.core.models import ObjectChange
from zhaoshang.reviews.models import Review, ReviewAssignment, Score


@pytest.fixture
def meeting(users, at_review, rubric, pool):
    return start(users["center"], at_review, rubric, n=3, seed="meeting", mode="meeting")


def state(review):
    return (
        list(review.assignments.order_by("order").values_list("status", "submitted_at", "commitment_signed_at")),
        list(Score.objects.values_list("assignment_id", "item", "value")),
        Review.objects.get(pk=review.pk).status,
        ObjectChange.objects.count(),
    )


def posted(entries: dict) -> dict:
    data = {f"value_{code}": entry["value"] for code, entry in entries.items()}
    data.update({f"comment_{code}": entry["comment"] for code, entry in entries.items()})
    return data


def test_the_secretary_records_answers_and_enters_every_sheet(users, client_for, meeting):
    client = client_for(users["center"])
    roll = reverse("reviews:review_meeting", args=[meeting.pk])
    detail = client.get(meeting.get_absolute_url())
    assert 'data-testid="meeting-entry"' in detail.content.decode()
    invited = list(meeting.assignments.filter(status="invited").order_by("order"))
    missing = client.post(roll, {"action": "decline", "expert": invited[0].expert_id}, follow=True)
    assert "请填写谢绝原因" in missing.content.decode()
    client.post(roll, {"action": "decline", "expert": invited[0].expert_id, "reason": "出差"})
    statuses = dict(meeting.assignments.values_list("order", "status"))
    assert statuses[1] == "declined" and statuses[4] == "invited"  # the first backup is invited
    for a in meeting.assignments.filter(status="invited"):
        client.post(roll, {"action": "accept", "expert": a.expert_id})
    meeting.refresh_from_db()
    assert meeting.status == Review.Status.SCORING
    confirmed = list(meeting.assignments.filter(status="confirmed").order_by("order"))
    assert all(a.commitment_signed_at for a in confirmed) and len(confirmed) == 3
    sheet_url = reverse("reviews:review_meeting_score", args=[meeting.pk, confirmed[0].expert_id])
    form = client.get(sheet_url)
    assert form.status_code == 200 and form.context["open"] and not form.context["locked"]
    wrong = client.post(sheet_url, posted({**full_sheet(meeting), "S1": {"value": "16", "comment": "x"}}))
    assert wrong.status_code == 422 and "的得分应在 0 到 15 之间" in wrong.content.decode()
    assert Score.objects.count() == 0
    for a in confirmed:
        url = reverse("reviews:review_meeting_score", args=[meeting.pk, a.expert_id])
        assert client.post(url, posted(full_sheet(meeting, "14")))["Location"] == roll
    assert Score.objects.filter(assignment__review=meeting, item="S1").count() == 3
    locked = client.post(sheet_url, posted(full_sheet(meeting, "1")), follow=True)
    assert "评分已提交并锁定" in locked.content.decode()
    page = client.get(roll)
    assert page.context["agg"].complete and [a.scored for a in page.context["rows"] if a.submitted_at] == [56] * 3
    entered = [c.after for c in ObjectChange.objects.filter(object_id=meeting.pk, content_type__model="review")]
    assert sum(1 for after in entered if after and "scores" in after) == 3


def test_a_leader_may_act_as_secretary(users, client_for, meeting):
    first = meeting.assignments.filter(status="invited").first()
    response = client_for(users["leader"]).post(
        reverse("reviews:review_meeting", args=[meeting.pk]), {"action": "accept", "expert": first.expert_id}
    )
    assert response.status_code == 302
    assert ReviewAssignment.objects.get(pk=first.pk).status == "confirmed"


def test_others_are_refused_and_change_nothing(users, client_for, meeting, at_review, rubric):
    first = meeting.assignments.filter(status="invited").first()
    roll = reverse("reviews:review_meeting", args=[meeting.pk])
    sheet = reverse("reviews:review_meeting_score", args=[meeting.pk, first.expert_id])
    before = state(meeting)
    # 店口 introduced the project and sees the review, but is not its chair
    diankou = client_for(users["diankou"])
    assert diankou.get(roll).status_code == 403
    assert diankou.post(roll, {"action": "accept", "expert": first.expert_id}).status_code == 403
    assert diankou.post(sheet, posted(full_sheet(meeting))).status_code == 403
    # 大唐 does not see it at all; the auditor and the expert hold no such capability
    assert client_for(users["datang"]).post(roll, {"action": "accept", "expert": first.expert_id}).status_code == 404
    assert client_for(users["auditor"]).post(roll, {"action": "accept", "expert": first.expert_id}).status_code == 403
    assert client_for(first.expert.user).post(roll, {"action": "accept", "expert": first.expert_id}).status_code == 404
    assert state(meeting) == before
    online = start(users["center"], at_review, rubric, n=3, seed="online")
    assert client_for(users["center"]).get(reverse("reviews:review_meeting", args=[online.pk])).status_code == 403
