"""The 研判 part of the 工作台: an expert's review tasks (one query)."""

from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.workbench import Panel, Row, Visit, register_panel

from . import selectors
from .models import ReviewAssignment

NEXT_STEP = {
    ReviewAssignment.Status.INVITED: ("待确认", "warning", "确认/签署承诺书"),
    ReviewAssignment.Status.CONFIRMED: ("待评分", "info", "去评分"),
    ReviewAssignment.Status.SUBMITTED: ("已提交", "success", "查看"),
}


@register_panel(order=15)
def assigned_reviews(user, visit: Visit) -> Panel | None:
    """An expert's reviews: what to confirm, what to score (under the alias while the review is blind)."""
    if not user.has_capability(Cap.SCORE_REVIEWS):
        return None
    rows = []
    for assignment in selectors.my_assignments(user=user)[:10]:
        review = assignment.review
        badge, level, label = NEXT_STEP[assignment.status]
        url = reverse("reviews:my_review", args=[review.pk])
        name = review.alias if review.blind and review.status != review.Status.DECIDED else review.title
        rows.append(Row(text=name, url=url, badge=badge, level=level, action_url=url, action_label=label))
    return Panel(
        key="reviews", title="分配给我的研判任务", icon="ti-clipboard-check", rows=rows, empty="暂无分配给您的研判任务"
    )
