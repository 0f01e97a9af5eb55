"""The 政策计算器 and saved calculations. The calculator is a plain view (a form whose result re-renders in
place through htmx, and a save action), the saved calculations generic pages."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from zhaoshang.core.errors import ApplicationError, PermissionDenied
from zhaoshang.core.forms import error_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.views import generic

from . import calculation as calc
from . import selectors, services, word
from .forms import CalculationForm, whatif_form
from .models import Calculation


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class CalculatorView(CapabilityRequiredMixin, View):
    """The calculator: GET shows a project's, a lead's or an enterprise's values (or a blank form) and the
    result; POST with htmx recalculates the what-if and returns the result only; nothing is saved. Not for
    experts (they see only what is assigned to them)."""

    capability = Cap.BUSINESS_CHANGE

    def _source(self, request):
        params = request.GET if request.method == "GET" else request.POST
        ids = {k: _int(params.get(k)) for k in ("project", "lead", "enterprise")}
        values, label, project = calc.source_values(
            user=request.user, project_id=ids["project"], lead_id=ids["lead"], enterprise_id=ids["enterprise"]
        )
        return values, label, project, ids

    def get(self, request):
        values, label, project, ids = self._source(request)
        region = project.region_id if project is not None else request.user.region_id
        variables = selectors.variables_of(region)
        initial = {k: ("，".join(v) if isinstance(v, list) else v) for k, v in values.items() if v is not None}
        form = whatif_form(variables, initial=initial)
        result = calc.run(region_id=region, values={k: v for k, v in values.items() if v not in (None, "", [])})
        return render(
            request,
            "policies/calculator.html",
            {"form": form, "result": result, "source": label, "project": project, "ids": ids, "variables": variables},
        )

    def post(self, request):
        _, label, project, ids = self._source(request)
        region = project.region_id if project is not None else request.user.region_id
        variables = selectors.variables_of(region)
        raw = {v.code: request.POST.get(v.code, "") for v in variables}
        context = {"source": label, "project": project, "ids": ids}
        try:
            values = calc.coerce(region, raw)
            context["result"] = calc.run(
                region_id=region, values={k: v for k, v in values.items() if v not in (None, "", [])}
            )
        except ApplicationError as exc:
            context["error"] = error_message(exc)
        if request.POST.get("save") and "result" in context:
            return self._save(request, project, values)
        return render(request, "policies/_result.html", context)

    def _save(self, request, project, values):
        if not request.user.has_capability(Cap.BUSINESS_CHANGE):
            raise PermissionDenied()
        try:
            saved = services.calculation_save(
                actor=request.user,
                project=project,
                values={k: v for k, v in values.items() if v not in (None, "", [])},
                title=request.POST.get("title", ""),
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
            return redirect(request.get_full_path())
        messages.success(request, f"已保存政策测算「{saved.title}」")
        response = redirect(saved.get_absolute_url())
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = saved.get_absolute_url()
        return response


class CalculationMixin:
    model = Calculation
    url_namespace = "policies"
    object_selector = staticmethod(selectors.calculation_get)


class CalculationListView(CalculationMixin, generic.ObjectListView):
    selector = staticmethod(selectors.calculation_list)
    addable = False
    columns = [
        ("title", "名称"),
        ("project", "项目"),
        ("total", "合计（万元）"),
        ("created_at", "测算时间"),
        ("org_unit", "所属单位"),
    ]


class CalculationDetailView(CalculationMixin, generic.ObjectDetailView):
    """A saved calculation re-shown exactly as calculated (the stored result and the versions it used)."""

    template_name = "policies/calculation_detail.html"
    fields = ["title", "project", "total", "note", "org_unit"]


class CalculationEditView(CalculationMixin, generic.ObjectEditView):
    form_class = CalculationForm

    def create(self, form):
        raise PermissionDenied("政策测算请在政策计算器中保存")

    def update(self, form):
        return services.calculation_update(
            actor=self.request.user,
            calculation=self.object,
            data=self.form_data(form),
            version=form.cleaned_data["version"],
        )


class CalculationDeleteView(CalculationMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.calculation_delete(actor=self.request.user, calculation=obj, version=version)


class CalculationWordView(CapabilityRequiredMixin, View):
    """The saved calculation as a Word sheet (the county's template if uploaded)."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk):
        calculation = selectors.calculation_get(user=request.user, pk=pk)
        source = calculation.project.name if calculation.project_id else "假设测算"
        content = word.render_sheet(title=calculation.title, source=source, result=calculation.result)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''calculation-{calculation.pk}.docx"
        return response
