"""Pages of the policy library: policies and clauses (generic pages), publishing, the attachment, and the
variable catalogue."""

import json

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from zhaoshang.core.errors import ApplicationError, PermissionDenied
from zhaoshang.core.forms import apply_errors, error_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.views import generic

from . import selectors, services, specs
from .engine import conditions
from .forms import ClauseForm, PolicyForm, VariableForm
from .models import Clause, Policy, Variable


class PolicyMixin:
    model = Policy
    url_namespace = "policies"
    object_selector = staticmethod(selectors.policy_get)


class PolicyListView(PolicyMixin, generic.ObjectListView):
    selector = staticmethod(selectors.policy_list)
    columns = [
        ("title", "标题"),
        ("number", "文号"),
        ("level", "层级"),
        ("status", "状态"),
        ("effective_from", "施行日期"),
        ("org_unit", "所属单位"),
    ]


class PolicyDetailView(PolicyMixin, generic.ObjectDetailView):
    template_name = "policies/policy_detail.html"
    fields = [
        "number",
        "issuer",
        "level",
        "status",
        "effective_from",
        "effective_to",
        "department",
        "summary",
        "org_unit",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clauses"] = selectors.policy_clauses(user=self.request.user, policy=self.object)
        context["replaces"] = list(self.object.replaces.all())
        context["may_change"] = self.may_change(self.object)
        return context


class PolicyEditView(PolicyMixin, generic.ObjectEditView):
    form_class = PolicyForm

    def create(self, form):
        return services.policy_create(actor=self.request.user, data=self.form_data(form))

    def update(self, form):
        version = form.cleaned_data["version"]
        return services.policy_update(
            actor=self.request.user, policy=self.object, data=self.form_data(form), version=version
        )


class PolicyDeleteView(PolicyMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.policy_delete(actor=self.request.user, policy=obj, version=version)


class PolicyAttachmentView(CapabilityRequiredMixin, View):
    """Upload (POST) or download (GET) the policy's full text: a file action, not a form page."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk):
        policy = selectors.policy_get(user=request.user, pk=pk)
        if not policy.attachment:
            raise Http404()
        return FileResponse(policy.attachment.open("rb"), as_attachment=True, filename=policy.attachment_name)

    def post(self, request, pk):
        if not request.user.has_capability(Cap.BUSINESS_CHANGE):
            raise PermissionDenied()
        policy = selectors.policy_get(user=request.user, pk=pk, action=CHANGE)
        try:
            services.policy_attach(actor=request.user, policy=policy, upload=request.FILES.get("file"))
            messages.success(request, "已上传政策全文")
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        return redirect(policy.get_absolute_url())


class ClauseMixin:
    model = Clause
    url_namespace = "policies"
    object_selector = staticmethod(selectors.clause_get)


class ClauseListView(ClauseMixin, generic.ObjectListView):
    selector = staticmethod(selectors.clause_list)
    columns = [
        ("title", "条款名称"),
        ("article", "条款号"),
        ("policy", "所属政策"),
        ("timing", "兑现时点"),
        ("status", "状态"),
        ("org_unit", "所属单位"),
    ]


class ClauseDetailView(ClauseMixin, generic.ObjectDetailView):
    template_name = "policies/clause_detail.html"
    fields = [
        "policy",
        "article",
        "formula",
        "minimum",
        "cap",
        "yearly_cap",
        "exclusivity_group",
        "timing",
        "installments",
        "paying_department",
        "status",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clause = self.object
        catalogue = selectors.catalogue_for(clause.region_id)
        try:
            context["condition_lines"] = conditions.describe_all(clause.condition, catalogue)
        except ApplicationError:
            context["condition_lines"] = ["（条件引用的变量已不在目录中）"]
        context["versions"] = selectors.clause_versions(clause)
        context["may_change"] = self.may_change(clause)
        context["push_runs"] = [v.push for v in context["versions"] if hasattr(v, "push")]
        return context


class ClauseEditView(ClauseMixin, generic.ObjectEditView):
    form_class = ClauseForm
    template_name = "policies/clause_edit.html"

    def get_initial(self):
        initial = super().get_initial()
        policy = self.request.GET.get("policy", "")
        if self.object is None and policy.isdigit():
            initial["policy"] = int(policy)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["variables"] = selectors.variables_of(self.request.user.region_id)
        return context

    def create(self, form):
        return services.clause_create(actor=self.request.user, data=self.form_data(form))

    def update(self, form):
        return services.clause_update(
            actor=self.request.user,
            clause=self.object,
            data=self.form_data(form),
            version=form.cleaned_data["version"],
            effective_from=form.cleaned_data.get("effective_from"),
        )


class ClauseDeleteView(ClauseMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.clause_delete(actor=self.request.user, clause=obj, version=version)


class ClauseActionView(CapabilityRequiredMixin, View):
    """Publish or withdraw a clause (a button on its page)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk, action):
        clause = selectors.clause_get(user=request.user, pk=pk, action=CHANGE)
        version = int(request.POST.get("version") or 0)
        try:
            if action == "publish":
                services.clause_publish(actor=request.user, clause=clause, version=version)
                messages.success(request, "条款已发布，精准推送已开始")
            elif action == "withdraw":
                services.clause_withdraw(actor=request.user, clause=clause, version=version)
                messages.success(request, "条款已停用")
            else:
                raise Http404()
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        return redirect(clause.get_absolute_url())


class VariableListView(CapabilityRequiredMixin, View):
    """The county's variable catalogue: a configuration list (no scope, no soft delete), so a plain view."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request):
        return render(
            request,
            "policies/variables.html",
            {
                "variables": selectors.variables_of(request.user.region_id),
                "may_manage": services.may_manage_catalogue(request.user),
            },
        )


class VariableEditView(CapabilityRequiredMixin, View):
    """Add or edit a catalogue variable (the center and the leaders): a configuration form."""

    capability = Cap.BUSINESS_VIEW

    @classmethod
    def allows(cls, user) -> bool:
        return super().allows(user) and services.may_manage_catalogue(user)

    def _variable(self, request, pk):
        if pk is None:
            return None
        variable = Variable.objects.filter(pk=pk, region_id=request.user.region_id).first()
        if variable is None:
            raise Http404()
        return variable

    def get(self, request, pk=None):
        form = VariableForm(instance=self._variable(request, pk))
        return render(request, "policies/variable_edit.html", {"form": form, "object": form.instance if pk else None})

    def post(self, request, pk=None):
        variable = self._variable(request, pk)
        form = VariableForm(request.POST, instance=variable)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["choices"] = data.get("choices") or []
            try:
                if variable is None:
                    services.variable_create(actor=request.user, data=data)
                else:
                    services.variable_update(actor=request.user, variable=variable, data=data)
                messages.success(request, "已保存政策变量")
                return redirect(reverse("policies:variable_list"))
            except ApplicationError as exc:
                apply_errors(form, exc)
        return render(request, "policies/variable_edit.html", {"form": form, "object": variable})


class ClauseCheckView(CapabilityRequiredMixin, View):
    """The clause editor's live check (htmx): the condition and formula as typed, valid or the position and
    the reason. Nothing is saved."""

    capability = Cap.BUSINESS_VIEW

    def post(self, request):
        text = request.POST.get("condition", "").strip()
        context = {}
        try:
            condition = json.loads(text) if text else {}
            catalogue = selectors.catalogue_for(request.user.region_id)
            parsed = specs.validate_rules(condition, request.POST.get("formula", ""), catalogue)
            context["lines"] = conditions.describe_all(parsed, catalogue)
        except json.JSONDecodeError as exc:
            context["error"] = f"适用条件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列"
        except ApplicationError as exc:
            context["error"] = error_message(exc)
        return render(request, "policies/_rule_check.html", context)
