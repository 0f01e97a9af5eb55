"""The administrator's pages for rubrics (评分表): the county's sheets (a new one, switched on or off), a sheet's
versions, one version as the experts see it, the structured editor that publishes a new version, and the same
as JSON (import/export). Plain views: a sheet is settings kept by the 系统管理员 (``Cap.MANAGE_SETTINGS``), not a
business record of a unit, and a version is never edited, only followed by a new one (reviews keep the version
they were scored on)."""

import json

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.forms import apply_errors
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import selectors, services
from .forms import RubricCreateForm, RubricVersionForm
from .models import Decision
from .rubric_editor import Editor, apply_action, content_to_raw, empty_item, raw_to_content
from .services.rubrics import INDICATORS, validate_content
from .services.sheets import DEFAULT_BANDS

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
    """The county's sheets, each switched on or off here (POST ``rubric`` and ``active``)."""

    template_name = "reviews/rubric_list.html"

    def get_context_data(self, **kwargs):
        services.ensure_starting_rubrics(self.request.user.org_unit.region)
        return super().get_context_data(rubrics=selectors.rubric_list(user=self.request.user), **kwargs)

    def post(self, request):
        try:
            rubric = selectors.rubric_get(user=request.user, pk=int(request.POST.get("rubric", "")))
        except ValueError:
            return redirect("reviews:rubric_list")
        active = request.POST.get("active") == "1"
        try:
            services.rubric_set_active(actor=request.user, rubric=rubric, active=active)
        except ValidationFailed as exc:
            messages.error(request, f"{rubric.name}：{exc.message}")
        else:
            messages.success(request, f"已{'启用' if active else '停用'}{rubric.name}")
        return redirect("reviews:rubric_list")


class RubricAddView(RubricAdminView):
    """A new sheet, empty or copied from an existing version; the editor opens on it."""

    template_name = "reviews/rubric_add.html"

    def form(self, data=None):
        versions = selectors.rubric_version_choices(user=self.request.user)
        return RubricCreateForm(data, versions=versions, initial={"copy_from": self.request.GET.get("from", "")})

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                rubric = services.rubric_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    copy_from=form.cleaned_data["copy_from"],
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已新建评分表“{rubric.name}”")
                return redirect("reviews:rubric_edit", pk=rubric.pk)
        return self.render_to_response(self.get_context_data(form=form), status=422)


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


def _blank_sheet() -> dict:
    return {
        "sections": [{"title": "", "items": [empty_item(1, 0)]}],
        "bands": DEFAULT_BANDS,
        "spread": 15,
    }


def _located(errors: list[str], s: int, i: int) -> list[str]:
    prefix = f"第{s}部分第{i}项："
    return [e.removeprefix(prefix) for e in errors if e.startswith(prefix)]


class RubricEditView(RubricAdminView):
    """The structured editor: sections → items of the current version (or a blank sheet), published as the
    next version. Add/remove buttons post the editor back and get it re-rendered (``rubric_editor``)."""

    template_name = "reviews/rubric_edit.html"

    def setup_rubric(self):
        self.rubric = selectors.rubric_get(user=self.request.user, pk=self.kwargs["pk"])
        self.current = self.rubric.current()

    def get(self, request, pk):
        self.setup_rubric()
        raw = content_to_raw(self.current.content if self.current else _blank_sheet())
        if not self.current:
            raw["sheet"] = content_to_raw({"bands": DEFAULT_BANDS, "spread": 15})["sheet"]
        return self.render_editor(raw)

    def post(self, request, pk):
        self.setup_rubric()
        raw = Editor.from_post(request.POST).raw()
        action = request.POST.get("action", "publish")
        if action != "publish":
            return self.render_editor(apply_action(raw, action))
        content, errors = raw_to_content(raw)
        try:
            validate_content(content)
        except ValidationFailed as exc:
            errors += exc.fields.get("content", [exc.message])
        if not errors:
            try:
                version = services.rubric_version_add(actor=request.user, rubric=self.rubric, content=content)
            except ValidationFailed as exc:
                errors = exc.fields.get("content", [exc.message])
            else:
                messages.success(request, f"已发布{version}；此前发起的研判仍按原版本评分")
                return redirect("reviews:rubric_detail", pk=self.rubric.pk)
        return self.render_editor(raw, errors=errors, status=422)

    def render_editor(self, raw: dict, errors: list[str] | None = None, status: int = 200):
        errors = errors or []
        editor = Editor.from_raw(raw)
        content, _ = raw_to_content(raw)
        total = sum(
            (i["max"] for s in content["sections"] for i in s["items"] if isinstance(i.get("max"), int | float)),
            0,
        )
        sections = [
            {
                "form": section,
                "number": s,
                "formset": formset,
                "items": [
                    {"form": form, "number": i, "errors": _located(errors, s, i)}
                    for i, form in enumerate(formset.forms, 1)
                ],
            }
            for s, (section, formset) in enumerate(editor.blocks, 1)
        ]
        context = self.get_context_data(
            rubric=self.rubric,
            current=self.current,
            editor=editor,
            sections=sections,
            errors=errors,
            total=total,
        )
        return self.render_to_response(context, status=status)
