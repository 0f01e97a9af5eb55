"""Meeting mode (会议评审): the secretary — the review's chair, or a leader of the county — records each drawn
expert's answer (the 承诺书 is signed on paper at the meeting) and enters each expert's sheet. Plain views: the
rule is the review's chair or a leader (``services.chair_or_leader``), beyond one capability."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from zhaoshang.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from zhaoshang.core.forms import error_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import selectors, services
from .adviser_views import posted_id
from .models import Review, ReviewAssignment
from .views import _entries


def _meeting_review(request, pk: int) -> Review:
    review = selectors.review_get(user=request.user, pk=pk)
    if review.mode != Review.Mode.MEETING or not services.chair_or_leader(request.user, review):
        raise PermissionDenied("只有会议评审的主持人或领导可以录入")
    return review


class ReviewMeetingView(CapabilityRequiredMixin, View):
    """The meeting's roll: each drawn expert's answer recorded, and the way to his sheet."""

    capability = Cap.BUSINESS_CHANGE

    def get(self, request, pk):
        review = _meeting_review(request, pk)
        rows = selectors.assignments(review)
        sheets = selectors.assignment_sheets(review)
        for row in rows:
            row.scored = sum(s.value for s in sheets.get(row.pk, {}).values())
        agg = selectors.review_aggregate(review, rows)
        return render(request, "reviews/meeting.html", {"review": review, "rows": rows, "agg": agg})

    def post(self, request, pk):
        review = _meeting_review(request, pk)
        accept = request.POST.get("action") == "accept"
        try:
            assignment = services.meeting_respond(
                actor=request.user,
                review_id=review.pk,
                expert_id=posted_id(request.POST.get("expert")),
                accept=accept,
                reason=request.POST.get("reason", ""),
            )
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            name = assignment.expert.name
            done = f"已登记{name}确认参加并签署承诺书" if accept else f"已登记{name}谢绝（有备选专家时已依次递补）"
            messages.success(request, done)
        return redirect("reviews:review_meeting", pk=review.pk)


class MeetingScoreView(CapabilityRequiredMixin, View):
    """One expert's sheet as the secretary enters it from the paper form; locked once submitted."""

    capability = Cap.BUSINESS_CHANGE

    def page(self, request, review, expert_id, errors=None, entries=None):
        assignment = next((a for a in selectors.assignments(review) if a.expert_id == expert_id), None)
        if assignment is None or assignment.status not in ReviewAssignment.ACTIVE:
            raise ValidationFailed("该专家不在本次会议评审的名单中")
        scores = selectors.own_scores(assignment)
        context = {
            "review": review,
            "assignment": assignment,
            "sections": selectors.sheet_sections(review.rubric_version, scores, entries, errors),
            "materials": selectors.materials(review, hide=False),
            "locked": assignment.submitted_at is not None,
            "open": assignment.status == ReviewAssignment.Status.CONFIRMED and review.status == Review.Status.SCORING,
        }
        return render(request, "reviews/meeting_score.html", context, status=422 if errors else 200)

    def get(self, request, pk, expert):
        return self.page(request, _meeting_review(request, pk), expert)

    def post(self, request, pk, expert):
        review = _meeting_review(request, pk)
        entries = _entries(request.POST)
        try:
            services.scores_submit(actor=request.user, review_id=review.pk, entries=entries, expert_id=expert)
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
            errors = {k: v[0] for k, v in exc.fields.items()}
            return self.page(request, review, expert, errors=errors or {"_": exc.message}, entries=entries)
        messages.success(request, "已录入该专家的评分并锁定")
        return redirect("reviews:review_meeting", pk=review.pk)
