"""The 研判 panel of the project page (``projects.panels``): the project's reviews and the 顾问团's opinions."""

from zhaoshang.core.roles import Cap
from zhaoshang.projects.panels import ProjectPanel, register_project_panel

from . import selectors


@register_project_panel(order=30)
def reviews_and_opinions(user, project) -> ProjectPanel | None:
    """For the project's viewers; never for an expert (his scope is his assignments, and the panel would tell
    him the investor a blind review hides)."""
    if not user.has_capability(Cap.BUSINESS_VIEW) or user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
        return None
    data = selectors.project_reviews(user=user, project_id=project.pk)
    given = sum(len(r.opinions.all()) for r in data["requests"])
    return ProjectPanel(
        key="reviews",
        title="项目研判与顾问意见",
        icon="ti-clipboard-check",
        template="reviews/_project_panel.html",
        context={**data, "project": project, "may_request": user.has_capability(Cap.BUSINESS_CHANGE)},
        badge=f"研判 {len(data['reviews'])} 次 · 顾问意见 {given} 条",
    )
