"""Actions on the project page (no page of their own): the open stage's data filled in place, checklist
attachments, 督办 by hand and 领导批示. Each parses the form, calls one service and goes back to the tab it came
from with the service's message."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from zhaoshang.core.forms import error_message, form_errors_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import selectors, services
from .forms import InstructionForm, ReasonForm, StageFieldsForm


def _back(pk: int, tab: str, anchor: str = "") -> str:
    return reverse("projects:project_detail", args=[pk]) + f"?tab={tab}" + (f"#{anchor}" if anchor else "")


class StageFieldsView(CapabilityRequiredMixin, View):
    """Fills the fields the open stage requires (its owner department, the introducing unit, a leader)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        run = services.open_run(project)
        names = services.stage_field_names(run.stage) if run else []
        form = StageFieldsForm(request.POST, instance=project, user=request.user, names=names)
        if not form.is_valid():
            messages.error(request, form_errors_message(form, "阶段资料有误："))
            return redirect(_back(pk, "overview", "stage-fields"))
        try:
            services.project_fill_stage_fields(
                actor=request.user, project=project, data=form.business_data(), version=form.cleaned_data["version"]
            )
            messages.success(request, f"已保存“{run.stage.name}”阶段资料")
        except (ValidationFailed, PermissionDenied, VersionConflict) as exc:
            messages.error(request, error_message(exc))
        return redirect(_back(pk, "overview", "stage-fields"))


class ChecklistAttachView(CapabilityRequiredMixin, View):
    """Uploads a document to a checklist item of the open stage."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk, entry_id):
        selectors.project_get(user=request.user, pk=pk)
        try:
            attachment = services.checklist_attach(
                actor=request.user, entry_id=entry_id, upload=request.FILES.get("file")
            )
            messages.success(request, f"已上传附件“{attachment.name}”")
        except (ValidationFailed, PermissionDenied) as exc:
            messages.error(request, exc.message)
        return redirect(_back(pk, "overview", "checklist"))


class AttachmentDownloadView(CapabilityRequiredMixin, View):
    """Sends a checklist attachment to whoever may view the project (404 otherwise)."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk, attachment_id):
        attachment = selectors.checklist_attachment_get(user=request.user, project_id=pk, pk=attachment_id)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound("附件文件已不存在") from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.name)


class SupervisionView(CapabilityRequiredMixin, View):
    """列入督办 (``action=raise``) or 解除督办 (``action=lift``), each with its reason."""

    capability = Cap.BUSINESS_VIEW

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        lift = request.POST.get("action") == "lift"
        try:
            if lift:
                services.supervision_lift(actor=request.user, project=project, reason=reason)
                messages.success(request, "已解除督办")
            else:
                services.supervision_raise(actor=request.user, project=project, reason=reason)
                messages.success(request, "已列入督办，并通知引进单位和当前阶段责任单位")
        except (ValidationFailed, PermissionDenied) as exc:
            messages.error(request, error_message(exc))
        return redirect(_back(pk, "oversight"))


class InstructionIssueView(CapabilityRequiredMixin, View):
    """A leader's 批示 on the project or one of its problems."""

    capability = Cap.INSTRUCT

    def post(self, request, pk):
        project = selectors.project_get(user=request.user, pk=pk)
        form = InstructionForm(request.POST, project=project)
        if not form.is_valid():
            messages.error(request, form_errors_message(form, "批示有误："))
            return redirect(_back(pk, "oversight"))
        data = form.cleaned_data
        try:
            services.instruction_issue(
                actor=request.user,
                project=project,
                text=data["text"],
                units=list(data["units"]),
                due_on=data["due_on"],
                problem=data["problem"],
            )
            messages.success(request, "已作出批示，并通知责任单位")
        except (ValidationFailed, PermissionDenied) as exc:
            messages.error(request, error_message(exc))
        return redirect(_back(pk, "oversight"))


class InstructionReplyView(CapabilityRequiredMixin, View):
    """A responsible unit reports how it carried out a 批示."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk, instruction_id):
        selectors.project_get(user=request.user, pk=pk)
        try:
            instruction = services.instruction_reply(
                actor=request.user, instruction_id=instruction_id, text=request.POST.get("text", "")
            )
            done = "，批示已办结" if instruction.status == "done" else ""
            messages.success(request, f"已反馈落实情况{done}")
        except (ValidationFailed, PermissionDenied) as exc:
            messages.error(request, error_message(exc))
        return redirect(_back(pk, "oversight"))
