"""Declarative list / detail / edit / delete pages for business models (NetBox style)::

    class DossierListView(generic.ObjectListView):
        model = Dossier
        filterset_class = DossierFilter
        columns = [("name", "名称"), ("org_unit", "所属单位")]

Reads go through ``Model.objects.restrict(user, action)``: a record outside the user's scope is a
404. Writes go through ``core.services`` (or the view's ``create``/``update`` hooks pointing to the
app's own services). URL names follow ``<namespace>:<model>_<list|detail|add|edit|delete>``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from zhaoshang.accounts.roles import Cap

from .. import services
from ..errors import NotFound, ValidationFailed, VersionConflict
from ..forms import apply_errors
from ..permissions import CapabilityRequiredMixin
from ..scope import CHANGE, DELETE, VIEW
from ..selectors import object_history


class BusinessViewMixin(CapabilityRequiredMixin):
    model: type[models.Model]
    capability = Cap.BUSINESS_VIEW
    action = VIEW
    url_namespace: str = ""

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, self.action)

    def url_name(self, suffix: str) -> str:
        return f"{self.url_namespace}:{self.model._meta.model_name}_{suffix}"

    def get_object(self):
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise NotFound()
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            model_name=self.model._meta.verbose_name,
            list_url=reverse(self.url_name("list")),
            can_change=self.request.user.has_capability(Cap.BUSINESS_CHANGE),
        )
        return context


class ObjectListView(BusinessViewMixin, TemplateView):
    template_name = "core/object_list.html"
    filterset_class = None
    columns: list[tuple[str, str]] = []
    paginate_by = 25
    select_related: tuple[str, ...] = ("org_unit",)

    def get_queryset(self):
        return super().get_queryset().select_related(*self.select_related).order_by("-id")

    def get_context_data(self, **kwargs):
        filterset = self.filterset_class(self.request.GET, queryset=self.get_queryset(), request=self.request)
        page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = [(obj, [_display(obj, name) for name, _ in self.columns]) for obj in page]
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            rows=rows,
            columns=self.columns,
            add_url=reverse(self.url_name("add")),
            detail_url_name=self.url_name("detail"),
            **kwargs,
        )


class ObjectDetailView(BusinessViewMixin, TemplateView):
    template_name = "core/object_detail.html"
    fields: list[str] = []

    def get_context_data(self, **kwargs):
        obj = self.get_object()
        facts = [(obj._meta.get_field(name).verbose_name, _display(obj, name)) for name in self.fields]
        return super().get_context_data(
            object=obj,
            facts=facts,
            history=object_history(obj),
            edit_url=reverse(self.url_name("edit"), args=[obj.pk]),
            delete_url=reverse(self.url_name("delete"), args=[obj.pk]),
            **kwargs,
        )


class ObjectEditView(BusinessViewMixin, FormView):
    """Create (no ``pk``) or edit. The form carries ``version``; a stale save shows who changed what."""

    template_name = "core/object_edit.html"
    capability = Cap.BUSINESS_CHANGE
    action = CHANGE

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs and request.user.is_authenticated and request.user.has_capability(self.capability):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"version": self.object.version} if self.object else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def create(self, data: dict):
        return services.object_create(model=self.model, actor=self.request.user, data=data)

    def update(self, data: dict, version: int):
        return services.object_update(obj=self.object, actor=self.request.user, data=data, version=version)

    def form_valid(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            if self.object is None:
                obj = self.create(data)
                messages.success(self.request, f"已新建{self.model._meta.verbose_name}「{obj}」")
            else:
                obj = self.update(data, form.cleaned_data["version"])
                messages.success(self.request, f"已保存{self.model._meta.verbose_name}「{obj}」")
        except (ValidationFailed, VersionConflict) as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        return redirect(reverse(self.url_name("detail"), args=[obj.pk]))


class ObjectDeleteView(BusinessViewMixin, View):
    capability = Cap.BUSINESS_CHANGE
    action = DELETE
    http_method_names = ["post"]

    def post(self, request, pk):
        obj = self.get_object()
        version = request.POST.get("version")
        try:
            services.object_delete(obj=obj, actor=request.user, version=int(version) if version else None)
        except VersionConflict as exc:
            messages.error(request, exc.message)
            return redirect(reverse(self.url_name("detail"), args=[pk]))
        messages.success(request, f"已删除{self.model._meta.verbose_name}「{obj}」，可在回收站恢复")
        return redirect(reverse(self.url_name("list")))


def _display(obj, name: str):
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    return "—" if value in (None, "") else value
