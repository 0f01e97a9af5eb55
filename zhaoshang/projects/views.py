from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.forms import apply_errors, error_message, form_errors_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.views import generic

from . import exports, selectors, services
from .forms import AdvanceForm, FollowUpForm, InstructionForm, ProblemForm, ProjectForm, ReasonForm, StageFieldsForm
from .models import KEY_DATES, Project, Stage
from .panels import panels_for


class ProjectMixin:
    model = Project
    url_namespace = "projects"
    object_selector = staticmethod(selectors.project_get)


class ProjectListView(ProjectMixin, generic.ObjectListView):
    template_name = "projects/project_list.html"
    selector = staticmethod(selectors.project_list)

    def decorate(self, rows, result):
        runs = {r.project_id: r for r in services.open_runs_for([p.pk for p in rows])}
        for project in rows:
            project.open_run = runs.get(project.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class BoardView(CapabilityRequiredMixin, TemplateView):
    """Custom: columns by stage, each with its own count and first cards (not one paged list)."""

    capability = Cap.BUSINESS_VIEW
    template_name = "projects/board.html"

    def get_context_data(self, **kwargs):
        result = selectors.project_list(user=self.request.user, filters=self.request.GET)
        return super().get_context_data(
            filter=result.filterset,
            columns=selectors.board(user=self.request.user, filters=self.request.GET),
            today=timezone.localdate(),
            **kwargs,
        )


class ProjectDetailView(ProjectMixin, generic.ObjectDetailView):
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        project = self.object
        run = services.open_run(project)
        can_introduce = Project.objects.restrict(user, CHANGE).filter(pk=project.pk).exists()
        problems = list(
            project.problems.select_related("owner_unit", "raised_by", "resolved_by").prefetch_related(
                "comments__author"
            )
        )
        for problem in problems:
            problem.can_resolve = (
                problem.status == "open"
                and user.has_capability(Cap.BUSINESS_CHANGE)
                and (can_introduce or (user.org_unit_id and problem.owner_unit_id in user.org_unit.subtree_ids()))
            )
        dates = [
            (label, getattr(project, f"{stem}_planned"), getattr(project, f"{stem}_actual"))
            for stem, label in KEY_DATES
        ]
        return super().get_context_data(
            run=run,
            entries=self._entries(run),
            problems=problems,
            dates=dates,
            tab=self.request.GET.get("tab", "overview"),
            timeline=selectors.project_timeline(project),
            events=project.events.select_related("actor")[:200],
            followups=project.followups.select_related("author"),
            can_change=can_introduce and user.has_capability(Cap.BUSINESS_CHANGE),
            can_advance=bool(run) and services.may_advance(user, project, run),
            missing=services.missing_to_leave(project, run) if run else {},
            stage_form=self._stage_form(run),
            problem_form=ProblemForm(user=user),
            followup_form=FollowUpForm(),
            today=timezone.localdate(),
            panels=panels_for(user, project),
            **self._oversight(),
            **kwargs,
        )

    def _entries(self, run) -> list:
        """The open stage's checklist, each marked with what the user may do with it."""
        if run is None:
            return []
        user = self.request.user
        overrule = services.may_overrule(user, self.object)
        entries = list(run.entries.select_related("owner_unit", "done_by").prefetch_related("attachments"))
        for entry in entries:
            entry.can_tick = services.is_entry_owner(user, entry)
            entry.can_overrule = overrule and not entry.can_tick
        return entries

    def _stage_form(self, run):
        """The open stage's required fields, in place, for whoever may fill them (None otherwise)."""
        if run is None or not services.may_fill_stage_fields(self.request.user, self.object, run):
            return None
        names = services.stage_field_names(run.stage)
        if not names:
            return None
        return StageFieldsForm(
            instance=self.object, user=self.request.user, names=names, initial={"version": self.object.version}
        )

    def _oversight(self) -> dict:
        user, project = self.request.user, self.object
        instructions = selectors.project_instructions(project)
        for instruction in instructions:
            instruction.pending = services.pending_units(user, instruction)
        may_instruct = services.may_instruct(user, project)
        return {
            "supervision": services.open_supervision(project),
            "can_supervise": services.may_supervise(user, project),
            "reason_form": ReasonForm(),
            "instructions": instructions,
            "open_instructions": sum(1 for i in instructions if i.status == "open"),
            "instruction_form": InstructionForm(project=project) if may_instruct else None,
        }


class ProjectEditView(ProjectMixin, generic.ObjectEditView):
    template_name = "projects/project_form.html"
    form_class = ProjectForm
    created_message = "已建立项目「{object.name}」（{object.code}）"
    saved_message = "已保存项目「{object.name}」"

    def create(self, form):
        return services.project_create(actor=self.request.user, data=self.form_data(form))

    def update(self, form):
        version = form.cleaned_data["version"]
        return services.project_update(
            actor=self.request.user, project=self.object, data=self.form_data(form), version=version
        )


class ProjectDeleteView(ProjectMixin, generic.ObjectDeleteView):
    deleted_message = "已删除项目「{object.name}」"

    def delete(self, obj, version):
        services.project_delete(actor=self.request.user, project=obj, version=version)


class AdvanceView(CapabilityRequiredMixin, FormView):
    """Close the open stage and hand over (or go back / skip with a reason); custom: a workflow step, not an
    edit of the project's fields."""

    capability = Cap.BUSINESS_VIEW
    template_name = "projects/advance.html"
    form_class = AdvanceForm

    def dispatch(self, request, *args, **kwargs):
        # the capability first: a role without it gets 403 whether or not the project exists
        if request.user.is_authenticated and request.user.has_capability(self.capability):
            self.project = selectors.project_get(user=request.user, pk=kwargs["pk"])
            self.run = services.open_run(self.project)
            if self.run is None:
                messages.info(request, "该项目已完成全部阶段")
                return redirect(self.project.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "run": self.run}

    def get_initial(self):
        return {"to_stage": self.request.GET.get("to")} if self.request.GET.get("to") else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=self.project,
            run=self.run,
            missing=services.missing_to_leave(self.project, self.run),
            may_advance=services.may_advance(self.request.user, self.project, self.run),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            project = services.project_advance(
                actor=self.request.user,
                project=self.project,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc, rename={"checklist": "to_stage"})
            return self.form_invalid(form)
        run = services.open_run(project)
        if run:
            messages.success(self.request, f"已交棒：{run.owner_unit.name}接办“{run.stage.name}”阶段")
        else:
            messages.success(self.request, "项目已完成全部阶段")
        return redirect(project.get_absolute_url())


class ChecklistToggleView(CapabilityRequiredMixin, View):
    """Custom: ticks one checklist entry of the open stage (an action on the detail page, no page of its own)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk, entry_id):
        try:
            services.checklist_set(
                actor=request.user,
                entry_id=entry_id,
                done=request.POST.get("done") == "1",
                note=request.POST.get("note", ""),
            )
        except (ValidationFailed, PermissionDenied) as exc:
            messages.error(request, exc.message)
        return redirect(reverse("projects:project_detail", args=[pk]) + "?tab=overview#checklist")


class ProblemRaiseView(CapabilityRequiredMixin, View):
    """Custom: raises a 需协调事项 from the detail page's tab (an action, no page of its own)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        form = ProblemForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, form_errors_message(form, "问题信息有误："))
        else:
            try:
                services.problem_raise(actor=request.user, project=project, **form.cleaned_data)
                messages.success(request, f"已提出需协调事项，并通知{form.cleaned_data['owner_unit'].name}")
            except ValidationFailed as exc:
                messages.error(request, error_message(exc))
        return redirect(reverse("projects:project_detail", args=[pk]) + "?tab=problems")


class ProblemResolveView(CapabilityRequiredMixin, View):
    """Custom: comments on or resolves a 需协调事项 from the detail page's tab (an action, no page of its own)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk, problem_id):
        try:
            if request.POST.get("action") == "comment":
                services.problem_comment(actor=request.user, problem_id=problem_id, text=request.POST.get("text", ""))
            else:
                services.problem_resolve(
                    actor=request.user, problem_id=problem_id, resolution=request.POST.get("resolution", "")
                )
                messages.success(request, "已记录解决情况")
        except (ValidationFailed, PermissionDenied) as exc:
            messages.error(request, error_message(exc))
        return redirect(reverse("projects:project_detail", args=[pk]) + "?tab=problems")


class FollowUpAddView(CapabilityRequiredMixin, View):
    """Custom: adds a follow-up record from the detail page's tab (an action, no page of its own)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.followup_add(
                actor=request.user,
                project=project,
                kind=data["kind"],
                date_=data["date"],
                summary=data["summary"],
                next_step=data["next_step"],
            )
            messages.success(request, "已添加跟进记录")
        else:
            messages.error(request, form_errors_message(form, "跟进记录有误："))
        return redirect(reverse("projects:project_detail", args=[pk]) + "?tab=followups")


class DepartmentTodoView(CapabilityRequiredMixin, TemplateView):
    """部门视图: what my unit owes, by deadline; custom: several lists on one page."""

    capability = Cap.BUSINESS_CHANGE
    template_name = "projects/todo.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **selectors.department_todo(user=self.request.user), today=timezone.localdate(), **kwargs
        )


class SupervisionView(CapabilityRequiredMixin, TemplateView):
    """督办: projects with a yellow or red light, worst first; exportable. Custom: its own order and page size
    (50) and the export on the same URL; the rows are the ``ListResult`` of ``selectors.supervision_list``."""

    capability = Cap.BUSINESS_VIEW
    template_name = "projects/supervision.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") and request.user.has_capability(Cap.EXPORT):
            projects = selectors.supervision_list(user=request.user, filters=request.GET)
            path, _ = exports.export_supervision(projects=projects, user=request.user, request=request)
            return FileResponse(
                open(path, "rb"),
                as_attachment=True,  # noqa: SIM115
                filename=f"督办清单-{timezone.localdate():%Y%m%d}.xlsx",
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        projects = selectors.supervision_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(projects, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page,
            can_export=self.request.user.has_capability(Cap.EXPORT),
            instructions=selectors.instruction_list(user=self.request.user),
            today=timezone.localdate(),
            **kwargs,
        )


class LeaderListsView(CapabilityRequiredMixin, TemplateView):
    """三未, stuck by department, and the monthly 赛马榜; custom: several lists on one page."""

    capability = Cap.BUSINESS_VIEW
    template_name = "projects/leader_lists.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        try:
            year, month = (int(x) for x in self.request.GET.get("month", f"{today:%Y-%m}").split("-"))
            date(year, month, 1)
        except (ValueError, TypeError):
            year, month = today.year, today.month
        return super().get_context_data(
            three=selectors.three_not(user=self.request.user),
            stuck=selectors.stuck_by_department(user=self.request.user),
            race=selectors.horse_race(user=self.request.user, year=year, month=month),
            month=f"{year}-{month:02d}",
            tab=self.request.GET.get("tab", "race"),
            **kwargs,
        )


class StageConfigView(CapabilityRequiredMixin, TemplateView):
    """系统管理 → 项目阶段: the county's stages with owners, limits, checklists (edited one by one); custom:
    configuration, not a business list."""

    capability = Cap.MANAGE_SETTINGS
    template_name = "projects/stage_config.html"

    def get_context_data(self, **kwargs):
        region = self.request.user.org_unit.region if self.request.user.org_unit_id else None
        if region is None:
            raise NotFound("请使用所属地区的系统管理员账号配置项目阶段")
        services.ensure_default_stages(region)
        stages = (
            Stage.objects.filter(region=region)
            .select_related("owner_unit")
            .prefetch_related("checklist__owner_unit")
            .order_by("order")
        )
        return super().get_context_data(
            stages=stages,
            rules=services.rules_for(region.pk),
            departments=OrgUnit.objects.filter(region=region),
            **kwargs,
        )
