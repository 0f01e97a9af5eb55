"""Pages of 协议约定的政策 (commitments) and 兑现 items: generic lists and details, the add page of a
commitment, and the paying department's action on a 兑现 item."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views import View

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.forms import error_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.views import generic
from zhaoshang.projects import selectors as project_selectors

from . import selectors, services
from .forms import CommitmentForm, FulfilmentActionForm, FulfilmentForm
from .models import Commitment, Fulfilment


class CommitmentMixin:
    model = Commitment
    url_namespace = "policies"
    object_selector = staticmethod(selectors.commitment_get)


class CommitmentListView(CommitmentMixin, generic.ObjectListView):
    selector = staticmethod(selectors.commitment_list)
    columns = [
        ("project", "项目"),
        ("clause", "条款"),
        ("amount", "约定金额（万元）"),
        ("due_stage", "到期阶段"),
        ("due_on", "到期日期"),
        ("status", "状态"),
    ]


class CommitmentDetailView(CommitmentMixin, generic.ObjectDetailView):
    template_name = "policies/commitment_detail.html"
    fields = [
        "project",
        "clause",
        "clause_version",
        "amount",
        "condition_text",
        "due_stage",
        "due_on",
        "status",
        "checked_on",
        "org_unit",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = list(self.object.fulfilments.order_by("id"))
        return context


class CommitmentEditView(CommitmentMixin, generic.ObjectEditView):
    form_class = CommitmentForm

    def get_initial(self):
        initial = super().get_initial()
        project = self.request.GET.get("project", "")
        if project.isdigit():
            initial["project_id"] = int(project)
        return initial

    def create(self, form):
        data = self.form_data(form)
        project = project_selectors.project_get(user=self.request.user, pk=data.pop("project_id"), action=CHANGE)
        clause = data.pop("clause")
        return services.commitment_create(actor=self.request.user, project=project, clause=clause, data=data)

    def update(self, form):
        return services.commitment_update(
            actor=self.request.user,
            commitment=self.object,
            data=self.form_data(form),
            version=form.cleaned_data["version"],
        )


class CommitmentDeleteView(CommitmentMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.commitment_delete(actor=self.request.user, commitment=obj, version=version)


class CommitmentCheckView(CapabilityRequiredMixin, View):
    """Check a term now (an officer's button; the lifecycle and the daily run do it by themselves)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        commitment = selectors.commitment_get(user=request.user, pk=pk, action=CHANGE)
        try:
            services.commitment_check(actor=request.user, commitment=commitment)
            messages.success(request, "已核查约定条件")
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        return redirect("policies:commitment_detail", pk=pk)


class FulfilmentMixin:
    model = Fulfilment
    url_namespace = "policies"
    object_selector = staticmethod(selectors.fulfilment_get)


class FulfilmentListView(FulfilmentMixin, generic.ObjectListView):
    selector = staticmethod(selectors.fulfilment_list)
    addable = False
    columns = [
        ("title", "事项"),
        ("kind", "类型"),
        ("amount", "金额（万元）"),
        ("due_on", "办理期限"),
        ("status", "状态"),
        ("org_unit", "兑现部门"),
    ]


class FulfilmentDetailView(FulfilmentMixin, generic.ObjectDetailView):
    template_name = "policies/fulfilment_detail.html"
    fields = [
        "title",
        "kind",
        "amount",
        "year",
        "opened_on",
        "due_on",
        "status",
        "applied_on",
        "reviewed_on",
        "paid_on",
        "reason",
        "org_unit",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_form"] = FulfilmentActionForm(initial={"version": self.object.version})
        context["may_change"] = self.may_change(self.object)
        return context


class FulfilmentEditView(FulfilmentMixin, generic.ObjectEditView):
    form_class = FulfilmentForm

    def update(self, form):
        return services.fulfilment_update(
            actor=self.request.user, item=self.object, data=self.form_data(form), version=form.cleaned_data["version"]
        )


class FulfilmentDeleteView(FulfilmentMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.fulfilment_delete(actor=self.request.user, item=obj, version=version)


class FulfilmentActionView(CapabilityRequiredMixin, View):
    """Record application, review, payment, recovery or refusal of a 兑现 item."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        item = selectors.fulfilment_get(user=request.user, pk=pk, action=CHANGE)
        form = FulfilmentActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择办理结果")
            return redirect("policies:fulfilment_detail", pk=pk)
        try:
            services.fulfilment_advance(
                actor=request.user,
                item=item,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, "已办理")
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        return redirect("policies:fulfilment_detail", pk=pk)
