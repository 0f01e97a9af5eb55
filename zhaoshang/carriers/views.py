"""载体库 pages: one list per kind (the ``kind`` of the URL), detail (m² beside 亩, 标准地 indicators, status
history, reservations, reverse match), edit, delete; the reservation actions; the match page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.errors import ApplicationError, NotFound
from zhaoshang.core.forms import error_message, form_errors_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.views import generic
from zhaoshang.leads import selectors as leads
from zhaoshang.projects import selectors as projects

from . import geometry, matching, selectors, services
from .forms import CarrierForm, MatchForm, ReservationForm
from .models import Carrier
from .services import matching as match_services

KIND_SLUGS = dict(Carrier.Kind.choices)
# The reverse match reads at most this many needs per library: the largest that still fit the carrier.
REVERSE_READ = 500


class CarrierMixin:
    model = Carrier
    url_namespace = "carriers"
    object_selector = staticmethod(selectors.carrier_get)


class CarrierListView(CarrierMixin, generic.ObjectListView):
    selector = staticmethod(selectors.carrier_list)
    columns = [
        ("name", "名称"),
        ("kind", "类型"),
        ("town", "所在镇街"),
        ("area_mu", "面积（亩）"),
        ("floor_area_m2", "建筑面积（㎡）"),
        ("status", "状态"),
        ("price_wan_per_mu", "起始价（万元/亩）"),
        ("org_unit", "所属单位"),
    ]

    def get_result(self):
        filters = self.request.GET.copy()
        kind = self.kwargs.get("kind")
        if kind:
            if kind not in KIND_SLUGS:
                raise NotFound()
            filters.setlist("kind", [kind])
        return selectors.carrier_list(user=self.request.user, filters=filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.kwargs.get("kind")
        if kind:
            context["model_name"] = KIND_SLUGS[kind]
        return context


class CarrierDetailView(CarrierMixin, generic.ObjectDetailView):
    template_name = "carriers/carrier_detail.html"
    fields = [
        "kind",
        "code",
        "status",
        "parent",
        "town",
        "address",
        "land_use",
        "plot_ratio_min",
        "plot_ratio_max",
        "building_density",
        "green_ratio",
        "height_limit_m",
        "price_wan_per_mu",
        "rent_yuan_m2_month",
        "available_from",
        "industry_focus",
        "power_kva",
        "water_t_day",
        "floor_area_m2",
        "floors",
        "clear_height_m",
        "floor_load_kn",
        "column_spacing",
        "crane_tonnage",
        "org_unit",
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        carrier, user = self.object, self.request.user
        may_change = user.has_capability(Cap.BUSINESS_CHANGE) and selectors.may_change(user=user, carrier=carrier)
        context.update(
            can_change=may_change,
            can_reserve=user.has_capability(Cap.BUSINESS_CHANGE),
            area_warning=geometry.area_warning(carrier.area_mu, carrier.boundary_mu),
            indicators=selectors.indicator_rows(carrier) if carrier.is_standard_land else [],
            status_history=selectors.status_history(carrier),
            reservations=selectors.reservations_of(carrier),
            checks=selectors.production_checks_of(carrier),
            children=selectors.children_of(carrier),
            reservation_form=ReservationForm(),
            utilities=[
                label
                for flag, label in (
                    (carrier.has_gas, "天然气"),
                    (carrier.has_sewage, "污水纳管"),
                    (carrier.has_5g, "5G"),
                    (carrier.has_dock, "装卸平台"),
                )
                if flag
            ],
        )
        if self.request.GET.get("fit"):
            bounds = matching.pipeline_bounds(carrier)
            pipeline = leads.site_needs_open(user=user, limit=REVERSE_READ, **bounds) + projects.site_needs_open(
                user=user, limit=REVERSE_READ, **bounds
            )
            context["fits"] = matching.reverse_match(carrier, pipeline)
        return context


class CarrierEditView(CarrierMixin, generic.ObjectEditView):
    form_class = CarrierForm

    def create(self, form):
        return services.carrier_create(actor=self.request.user, data=self.form_data(form))

    def update(self, form):
        return services.carrier_update(
            actor=self.request.user,
            carrier=self.object,
            data=self.form_data(form),
            version=form.cleaned_data["version"],
        )


class CarrierDeleteView(CarrierMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.carrier_delete(actor=self.request.user, carrier=obj, version=version)


class CarrierActionView(CapabilityRequiredMixin, View):
    """Reservation actions on a carrier's page (request, approve, refuse, release): POST-only, back to the page."""

    capability = Cap.BUSINESS_CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, action):
        carrier = selectors.carrier_get(user=request.user, pk=pk)
        back = redirect(reverse("carriers:carrier_detail", args=[pk]) + "#reservations")
        try:
            if action == "reserve":
                form = ReservationForm(request.POST)
                if not form.is_valid():
                    messages.error(request, form_errors_message(form, "预留申请有误："))
                    return back
                data = form.cleaned_data
                services.reservation_request(
                    actor=request.user,
                    carrier=carrier,
                    until=data["until"],
                    project_id=data["project"],
                    lead_id=data["lead"],
                    note=data["note"],
                )
                messages.success(request, "已提交预留申请，待载体所属单位审批")
            elif action in ("approve", "refuse"):
                services.reservation_approve(
                    actor=request.user,
                    reservation_id=int(request.POST.get("reservation", 0)),
                    approve=action == "approve",
                )
                messages.success(request, "已批准预留" if action == "approve" else "已退回预留申请")
            elif action == "release":
                services.reservation_release(actor=request.user, reservation_id=int(request.POST.get("reservation", 0)))
                messages.success(request, "已释放预留")
            else:
                raise NotFound()
        except ApplicationError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, error_message(exc))
        return back


class CarrierRevealView(CapabilityRequiredMixin, View):
    """The full contact phone (htmx swap), audited by the service."""

    capability = Cap.BUSINESS_VIEW
    http_method_names = ["post"]

    def post(self, request, pk):
        phone = services.carrier_reveal_phone(actor=request.user, carrier_id=pk, request=request)
        return HttpResponse(phone or "—")


class MatchView(CapabilityRequiredMixin, TemplateView):
    """要素匹配: needs typed in, or read from a project / lead (``?project=`` / ``?lead=``); the run is saved,
    and for a project compared with its 选址建议."""

    capability = Cap.BUSINESS_VIEW
    template_name = "carriers/match.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        project_id = _int(request.GET.get("project"))
        lead_id = _int(request.GET.get("lead"))
        # The form is bound only once submitted: with just ?project= its defaults (接受标准地) apply.
        form = MatchForm(request.GET if "submitted" in request.GET else None)
        context.update(form=form, project_id=project_id, lead_id=lead_id)
        if project_id or lead_id or (form.is_bound and form.is_valid()):
            needs = form.cleaned_data if form.is_bound and form.is_valid() else {}
            try:
                run = match_services.match_run(actor=user, needs=needs, project_id=project_id, lead_id=lead_id)
            except ApplicationError as exc:
                if isinstance(exc, NotFound):
                    raise
                context["error"] = error_message(exc)
                return context
            previous = selectors.match_runs_of(user=user, project_id=project_id, lead_id=lead_id, limit=20)
            attached = next((r for r in previous if r.attached), None)
            older = next((r for r in previous if r.pk != run.pk), None)
            context.update(run=run, diff=match_services.diff(run, attached or older), compared=attached or older)
            context["map_ids"] = ",".join(str(c["carrier"]["id"]) for c in run.results["candidates"])
        return context


class MatchAttachView(CapabilityRequiredMixin, View):
    capability = Cap.BUSINESS_CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            run = match_services.match_attach(actor=request.user, run_id=pk)
        except ApplicationError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, error_message(exc))
            return redirect("carriers:match")
        messages.success(request, "已作为选址建议保存")
        query = f"?project={run.project_id}" if run.project_id else f"?lead={run.lead_id}"
        return redirect(reverse("carriers:match") + query)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
