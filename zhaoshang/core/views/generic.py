"""Declarative list / detail / edit / delete pages for business models (NetBox style)::

    class DossierListView(DossierMixin, generic.ObjectListView):
        selector = staticmethod(selectors.dossier_list)      # (*, user, filters) -> ListResult
        columns = [("name", "名称"), ("org_unit", "所属单位")]

    class DossierEditView(DossierMixin, generic.ObjectEditView):
        form_class = DossierForm

        def create(self, form):
            return services.dossier_create(actor=self.request.user, data=self.form_data(form))

Reads go through the app's selectors (``selector`` for the list, ``object_selector`` for one record;
without them ``Model.objects.restrict(user, action)``): a record outside the user's scope is a 404.
Writes go through the app's services, named in the ``create`` / ``update`` / ``delete`` hooks (the
defaults are ``core.services.object_*``). Page size and ordering are settings of the list's FilterSet
(``core.filters.BusinessFilterSet``). URL names follow ``<namespace>:<model>_<list|detail|add|edit|delete>``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from .. import services
from ..errors import NotFound, ValidationFailed, VersionConflict
from ..forms import apply_errors
from ..lists import ListResult, filtered_list
from ..permissions import CapabilityRequiredMixin
from ..roles import Cap
from ..scope import CHANGE, DELETE, VIEW
from ..selectors import object_history


class BusinessViewMixin(CapabilityRequiredMixin):
    model: type[models.Model]
    capability = Cap.BUSINESS_VIEW
    action = VIEW
    url_namespace: str = ""
    # ``(*, user, pk, action) -> obj`` raising NotFound; default: ``Model.objects.restrict(user, action)``.
    object_selector = None

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, self.action)

    def url_name(self, suffix: str) -> str:
        return f"{self.url_namespace}:{self.model._meta.model_name}_{suffix}"

    def get_object(self):
        if self.object_selector is not None:
            return type(self).object_selector(user=self.request.user, pk=self.kwargs["pk"], action=self.action)
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise NotFound()
        return obj

    def may_change(self, obj=None) -> bool:
        """The user has the capability to change and, for a record, it lies in their change scope."""
        user = self.request.user
        if not user.has_capability(Cap.BUSINESS_CHANGE):
            return False
        return obj is None or self.model.objects.restrict(user, CHANGE).filter(pk=obj.pk).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("model_name", self.model._meta.verbose_name)
        context.setdefault("list_url", reverse(self.url_name("list")))
        context.setdefault("can_change", self.request.user.has_capability(Cap.BUSINESS_CHANGE))
        return context


class ObjectListView(BusinessViewMixin, TemplateView):
    """A page of the list selector's ``ListResult``. ``page_size`` may be chosen among the FilterSet's
    ``page_sizes``. With ``columns`` the rows are ``(obj, [values])`` for the generic table template."""

    template_name = "core/object_list.html"
    selector = None  # (*, user, filters) -> ListResult
    filterset_class = None  # used with the default selector (the scoped queryset, filtered)
    columns: list[tuple[str, str]] = []
    select_related: tuple[str, ...] = ("org_unit",)
    addable = True  # False: a list without an add page (records added elsewhere); ``add_url`` is None

    def get_result(self) -> ListResult:
        if self.selector is not None:
            return type(self).selector(user=self.request.user, filters=self.request.GET)
        queryset = self.get_queryset().select_related(*self.select_related)
        return filtered_list(self.filterset_class, queryset, self.request.GET, user=self.request.user)

    def page_size(self, result: ListResult) -> int:
        filterset = result.filterset
        default = getattr(filterset, "page_size", 25)
        chosen = self.request.GET.get("page_size", "")
        return int(chosen) if chosen.isdigit() and int(chosen) in getattr(filterset, "page_sizes", ()) else default

    def decorate(self, rows: list, result: ListResult) -> None:
        """Add what the template shows beside each row (one query for the page, not one per row)."""

    def get_context_data(self, **kwargs):
        result = self.get_result()
        page = Paginator(result, self.page_size(result)).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        self.decorate(rows, result)
        if self.columns:
            rows = [(obj, [_display(obj, name) for name, _ in self.columns]) for obj in rows]
        return super().get_context_data(
            result=result,
            filter=result.filterset,
            page_obj=page,
            rows=rows,
            columns=self.columns,
            add_url=reverse(self.url_name("add")) if self.addable else None,
            detail_url_name=self.url_name("detail"),
            **kwargs,
        )


class ObjectDetailView(BusinessViewMixin, TemplateView):
    template_name = "core/object_detail.html"
    fields: list[str] = []

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def get_history(self, obj) -> list:
        return object_history(obj)

    def get_context_data(self, **kwargs):
        obj = self.object
        facts = [(obj._meta.get_field(name).verbose_name, _display(obj, name)) for name in self.fields]
        return super().get_context_data(
            object=obj,
            facts=facts,
            history=self.get_history(obj),
            edit_url=reverse(self.url_name("edit"), args=[obj.pk]),
            delete_url=reverse(self.url_name("delete"), args=[obj.pk]),
            **kwargs,
        )


class ObjectEditView(BusinessViewMixin, FormView):
    """Create (no ``pk``) or edit. The form carries ``version``; a stale save shows who changed what.
    Subclasses name their services in ``create`` and ``update``."""

    template_name = "core/object_edit.html"
    capability = Cap.BUSINESS_CHANGE
    action = CHANGE
    created_message = "已新建{verbose_name}「{object}」"
    saved_message = "已保存{verbose_name}「{object}」"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs and request.user.is_authenticated and request.user.has_capability(self.capability):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "user": self.request.user}

    def get_initial(self):
        return {"version": self.object.version} if self.object else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_data(self, form) -> dict:
        if hasattr(form, "business_data"):
            return form.business_data()
        return {name: value for name, value in form.cleaned_data.items() if name != "version"}

    def create(self, form):
        return services.object_create(model=self.model, actor=self.request.user, data=self.form_data(form))

    def update(self, form):
        return services.object_update(
            obj=self.object, actor=self.request.user, data=self.form_data(form), version=form.cleaned_data["version"]
        )

    def message(self, template: str, obj) -> str:
        return template.format(verbose_name=self.model._meta.verbose_name, object=obj)

    def get_success_url(self):
        obj = self.saved
        return (
            obj.get_absolute_url()
            if hasattr(obj, "get_absolute_url")
            else reverse(self.url_name("detail"), args=[obj.pk])
        )

    def form_valid(self, form):
        try:
            if self.object is None:
                self.saved = self.create(form)
                messages.success(self.request, self.message(self.created_message, self.saved))
            else:
                self.saved = self.update(form)
                messages.success(self.request, self.message(self.saved_message, self.saved))
        except (ValidationFailed, VersionConflict) as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        return redirect(self.get_success_url())


class ObjectDeleteView(BusinessViewMixin, View):
    """Soft delete (restorable); a stale ``version`` is refused with who changed what."""

    capability = Cap.BUSINESS_CHANGE
    action = DELETE
    http_method_names = ["post"]
    deleted_message = "已删除{verbose_name}「{object}」，可在回收站恢复"

    def delete(self, obj, version: int | None):
        services.object_delete(obj=obj, actor=self.request.user, version=version)

    def post(self, request, pk):
        obj = self.get_object()
        version = request.POST.get("version")
        try:
            self.delete(obj, int(version) if version and version.isdigit() else None)
        except VersionConflict as exc:
            messages.error(request, exc.message)
            return redirect(reverse(self.url_name("detail"), args=[pk]))
        messages.success(request, self.deleted_message.format(verbose_name=self.model._meta.verbose_name, object=obj))
        return redirect(reverse(self.url_name("list")))


def _display(obj, name: str):
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    return "—" if value in (None, "") else value
