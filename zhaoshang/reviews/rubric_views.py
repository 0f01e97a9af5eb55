"""The administrator's pages for rubrics (评分表): the county's sheets, a sheet's versions, one version as the
experts see it, and a new version made from the current one. Plain views: a sheet is settings kept by the
系统管理员 (``Cap.MANAGE_SETTINGS``), not a business record of a unit, and a version is never edited, only
followed by a new one (reviews keep the version they were scored on)."""

import json

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.forms import apply_errors
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import selectors, services
from .forms import RubricVersionForm
from .models import Decision
from .services.rubrics import INDICATORS

KIND_LABELS = {"score": "专家评分", "objective": "客观指标", "veto": "一票否决"}


def sheet_display(content: dict) -> dict:
    """A version's content in words for the page: indicator names and units, outcome labels."""
    sections = []
    for section in content.get("sections", []):
        items = []
        for item in section.get("items", []):
            label, unit = INDICATORS.get(item.get("indicator") or "", ("", ""))
            items.append({**item, "kind_label": KIND_LABELS.get(item.get("kind"), ""), "indicator_label": label})
            items[-1]["unit"] = unit
        sections.append({"title": section.get("title", ""), "items": items})
    bands = [
        {"min": b.get("min"), "outcome": Decision.Outcome(b["outcome"]).label}
        for b in sorted(content.get("bands", []), key=lambda b: -float(b.get("min", 0)))
        if b.get("outcome") in Decision.Outcome.values
    ]
    return {"sections": sections, "bands": bands, "spread": content.get("spread", 15)}


class RubricAdminView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS


class RubricListView(RubricAdminView):
    template_name = "reviews/rubric_list.html"

    def get_context_data(self, **kwargs):
        services.ensure_starting_rubrics(self.request.user.org_unit.region)
        return super().get_context_data(rubrics=selectors.rubric_list(user=self.request.user), **kwargs)


class RubricDetailView(RubricAdminView):
    """A sheet's versions, newest first, and the current one in full."""

    template_name = "reviews/rubric_detail.html"

    def get_context_data(self, **kwargs):
        rubric = selectors.rubric_get(user=self.request.user, pk=self.kwargs["pk"])
        versions = selectors.rubric_versions(rubric)
        current = versions[0] if versions else None
        return super().get_context_data(
            rubric=rubric,
            versions=versions,
            current=current,
            sheet=sheet_display(current.content) if current else None,
            **kwargs,
        )


class RubricVersionView(RubricAdminView):
    template_name = "reviews/rubric_version.html"

    def get_context_data(self, **kwargs):
        version = selectors.rubric_version_get(
            user=self.request.user, rubric_pk=self.kwargs["pk"], number=self.kwargs["number"]
        )
        return super().get_context_data(
            rubric=version.rubric, version=version, sheet=sheet_display(version.content), **kwargs
        )


class RubricVersionAddView(RubricAdminView):
    """A new version from the current one: its content as JSON to edit, validated by the service with
    messages that name the section and item (第2部分第3项：…)."""

    template_name = "reviews/rubric_version_form.html"

    def setup_rubric(self):
        self.rubric = selectors.rubric_get(user=self.request.user, pk=self.kwargs["pk"])
        self.current = self.rubric.current()

    def get(self, request, pk):
        self.setup_rubric()
        content = self.current.content if self.current else {"sections": [], "bands": [], "spread": 15}
        form = RubricVersionForm(initial={"content": json.dumps(content, ensure_ascii=False, indent=2)})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, pk):
        self.setup_rubric()
        form = RubricVersionForm(request.POST)
        if form.is_valid():
            try:
                version = services.rubric_version_add(
                    actor=request.user, rubric=self.rubric, content=form.cleaned_data["content"]
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已保存{version}；此前发起的研判仍按原版本评分")
                return redirect("reviews:rubric_detail", pk=self.rubric.pk)
        return self.render_to_response(self.get_context_data(form=form), status=422)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rubric=self.rubric, current=self.current, indicators=sorted(INDICATORS.items()), **kwargs
        )
