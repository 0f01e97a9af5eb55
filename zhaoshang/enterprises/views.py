from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core import parsers
from zhaoshang.core.errors import NotFound, ValidationFailed, VersionConflict
from zhaoshang.core.forms import error_message, form_errors_message
from zhaoshang.core.highlight import highlight_spans
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE, DELETE
from zhaoshang.core.selectors import object_history
from zhaoshang.core.text import uscc_errors, uscc_normalize
from zhaoshang.core.views import generic
from zhaoshang.projects import selectors as project_selectors

from . import dedup, exports, selectors, services
from .filters import EnterpriseFilter
from .forms import BulkTagForm, ContactForm, EnterpriseForm, NoteForm, SignalForm
from .models import Contact, Enterprise, Merge
from .similarity import SHOW_THRESHOLD


def highlight(text: str, query: str) -> str:
    """``text`` as HTML with the parts the query matched wrapped in <mark> (escaped)."""
    if not query:
        return format_html("{}", text)
    out, last = [], 0
    for start, end in highlight_spans(text, query):
        out.append(format_html("{}<mark>{}</mark>", text[last:start], text[start:end]))
        last = end
    out.append(format_html("{}", text[last:]))
    return format_html("{}" * len(out), *out)


class EnterpriseMixin:
    model = Enterprise
    url_namespace = "enterprises"
    object_selector = staticmethod(selectors.enterprise_get)


class EnterpriseListView(EnterpriseMixin, generic.ObjectListView):
    template_name = "enterprises/enterprise_list.html"
    selector = staticmethod(selectors.enterprise_list)

    def query(self) -> str:
        return self.request.GET.get("q", "").strip()

    def decorate(self, rows, result):
        query = self.query()
        for enterprise in rows:
            enterprise.name_html = highlight(enterprise.name, query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query(),
            sort=self.request.GET.get("sort", ""),
            bulk_form=BulkTagForm(auto_id="id_bulk_%s"),  # its ids must not repeat the filter bar's (id_tag)
            can_export=self.request.user.has_capability(Cap.EXPORT),
            **kwargs,
        )
        context["ranked"] = context["result"].ranked
        return context


class EnterpriseDetailView(EnterpriseMixin, generic.ObjectDetailView):
    template_name = "enterprises/enterprise_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except NotFound:
            survivor = selectors.merged_redirect(user=request.user, pk=kwargs["pk"])
            if survivor is None:
                raise
            messages.info(request, "该企业已合并到本企业，已为您跳转")
            return redirect(survivor.get_absolute_url())

    def get_history(self, enterprise) -> list:
        """Its own changes and those of the records merged into it, newest first."""
        history = object_history(enterprise)
        for pk in Enterprise.all_objects.filter(merged_into=enterprise).values_list("pk", flat=True):
            history += object_history(Enterprise(pk=pk))
        history.sort(key=lambda c: c.pk, reverse=True)
        return history[:100]

    def get_context_data(self, **kwargs):
        enterprise = self.object
        user = self.request.user
        return super().get_context_data(
            tab=self.request.GET.get("tab", "basic"),
            contacts=Contact.objects.restrict(user).filter(enterprise=enterprise),
            projects=project_selectors.projects_of_enterprise(user=user, enterprise=enterprise),
            signals=enterprise.signals.filter(deleted_at__isnull=True),
            notes=enterprise.notes.select_related("author")[:100],
            merges=Merge.objects.filter(survivor=enterprise).select_related("merged", "actor"),
            can_change=self.may_change(enterprise),
            can_reveal=user.has_capability(Cap.REVEAL_PERSONAL),
            contact_form=ContactForm(),
            signal_form=SignalForm(),
            note_form=NoteForm(),
            **kwargs,
        )


class EnterpriseEditView(EnterpriseMixin, generic.ObjectEditView):
    template_name = "enterprises/enterprise_form.html"
    form_class = EnterpriseForm
    created_message = "已新建企业「{object.name}」"
    saved_message = "已保存企业「{object.name}」"

    def create(self, form):
        tags = list(form.cleaned_data["tags"])
        return services.enterprise_create(actor=self.request.user, data=self.form_data(form), tags=tags)

    def update(self, form):
        return services.enterprise_update(
            actor=self.request.user,
            enterprise=self.object,
            data=self.form_data(form),
            version=form.cleaned_data["version"],
            tags=list(form.cleaned_data["tags"]),
        )


class EnterpriseCheckView(CapabilityRequiredMixin, View):
    """htmx: as the user types a name or code, say what is wrong and which records probably match."""

    capability = Cap.BUSINESS_VIEW

    def post(self, request):
        name = request.POST.get("name", "").strip()
        code = uscc_normalize(request.POST.get("credit_code", ""))
        exclude = request.POST.get("exclude_id")
        errors = uscc_errors(code) if code else []
        if len(name) > dedup.NAME_LIMIT:
            errors.append(
                f"企业名称不能超过 {dedup.NAME_LIMIT} 个字（现有 {len(name)} 个字），只按前 {dedup.NAME_LIMIT} 个字查重"
            )
            name = name[: dedup.NAME_LIMIT]
        candidates = []
        if (name or code) and request.user.org_unit_id:
            candidates = dedup.find_candidates(
                region_id=request.user.org_unit.region_id,
                name=name,
                credit_code=code,
                exclude_id=int(exclude) if exclude and exclude.isdigit() else None,
                user=request.user,
            )
        return render(request, "enterprises/_check.html", {"errors": errors, "candidates": candidates})


class EnterpriseDeleteView(EnterpriseMixin, generic.ObjectDeleteView):
    deleted_message = "已删除企业「{object.name}」，可在“已删除企业”中恢复"

    def delete(self, obj, version):
        services.enterprise_delete(actor=self.request.user, enterprise=obj, version=version)


class TrashView(CapabilityRequiredMixin, TemplateView):
    """Deleted records the user may restore: not the list selector (deleted rows; merged ones return by undo)."""

    capability = Cap.BUSINESS_CHANGE
    template_name = "enterprises/trash.html"

    def get_context_data(self, **kwargs):
        deleted = (
            Enterprise.all_objects.restrict(self.request.user, DELETE)
            .filter(deleted_at__isnull=False, merged_into__isnull=True)
            .select_related("deleted_by", "org_unit")
            .order_by("-deleted_at")
        )
        page = Paginator(deleted, EnterpriseFilter.page_size).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, **kwargs)


class RestoreView(CapabilityRequiredMixin, View):
    """POST: restore a deleted record from the trash (not a generic page: the credit code may now be taken)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        try:
            enterprise = services.enterprise_restore(actor=request.user, pk=pk)
        except ValidationFailed as exc:
            messages.error(request, exc.fields.get("credit_code", [exc.message])[0])
            return redirect("enterprises:enterprise_trash")
        messages.success(request, f"已恢复企业「{enterprise.name}」")
        return redirect(enterprise.get_absolute_url())


class BulkTagView(CapabilityRequiredMixin, View):
    """POST from the list: add or remove one tag on the ticked records (no generic view covers many records)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request):
        form = BulkTagForm(request.POST)
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        if not form.is_valid() or not ids:
            messages.error(request, "请先勾选企业并选择标签")
        else:
            remove = form.cleaned_data["action"] == "remove"
            changed = services.enterprise_bulk_tag(
                actor=request.user, ids=ids, tag=form.cleaned_data["tag"], remove=remove
            )
            verb = "移除" if remove else "添加"
            messages.success(request, f"已为 {changed} 家企业{verb}标签「{form.cleaned_data['tag']}」")
        return redirect(request.POST.get("next") or reverse("enterprises:enterprise_list"))


class ExportView(CapabilityRequiredMixin, View):
    """The current filter as an xlsx file (a download of the list selector's rows, not a page)."""

    capability = Cap.EXPORT

    def get(self, request):
        results = selectors.enterprise_list(user=request.user, filters=request.GET)
        path, count = exports.export_enterprises(results=results, user=request.user, request=request)
        return FileResponse(open(path, "rb"), as_attachment=True, filename=exports.filename())  # noqa: SIM115


# --- contacts, signals, notes ---------------------------------------------------------------------


class ContactAddView(CapabilityRequiredMixin, View):
    """POST from the detail page's contacts tab (a child record; answers with a redirect to the tab)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        enterprise = selectors.enterprise_get(user=request.user, pk=pk, action=CHANGE)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_create(actor=request.user, enterprise=enterprise, data=form.cleaned_data)
                messages.success(request, "已添加联系人")
            except ValidationFailed as exc:
                messages.error(request, error_message(exc))
        else:
            messages.error(request, form_errors_message(form, "联系人信息有误：", separator=""))
        return redirect(reverse("enterprises:enterprise_detail", args=[pk]) + "?tab=contacts")


class ContactRevealView(CapabilityRequiredMixin, View):
    """htmx: the full phone number in place of the mask (audited; refused for roles without the right)."""

    capability = Cap.BUSINESS_VIEW

    def post(self, request, pk):
        phone = services.contact_reveal_phone(actor=request.user, contact_id=pk, request=request)
        return HttpResponse(format_html('<span class="font-monospace" data-testid="revealed-phone">{}</span>', phone))


class SignalAddView(CapabilityRequiredMixin, View):
    """POST from the detail page's signals tab (a child record; answers with a redirect to the tab)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        enterprise = selectors.enterprise_get(user=request.user, pk=pk, action=CHANGE)
        form = SignalForm(request.POST)
        if form.is_valid():
            services.signal_create(actor=request.user, enterprise=enterprise, data=form.cleaned_data)
            messages.success(request, "已添加企业动态")
        else:
            messages.error(request, form_errors_message(form, "动态信息有误：", separator=""))
        return redirect(reverse("enterprises:enterprise_detail", args=[pk]) + "?tab=signals")


class NoteAddView(CapabilityRequiredMixin, View):
    """POST from the detail page's notes tab (a child record; answers with a redirect to the tab)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        enterprise = selectors.enterprise_get(user=request.user, pk=pk)
        try:
            services.note_add(actor=request.user, enterprise=enterprise, text=request.POST.get("text", ""))
            messages.success(request, "已添加备注")
        except ValidationFailed as exc:
            messages.error(request, exc.fields.get("text", [exc.message])[0])
        return redirect(reverse("enterprises:enterprise_detail", args=[pk]) + "?tab=notes")


# --- duplicates and merge -------------------------------------------------------------------------


class DuplicatesView(CapabilityRequiredMixin, TemplateView):
    """Groups of probable duplicates (computed by dedup, not a list selector's rows), paginated by group."""

    capability = Cap.BUSINESS_CHANGE
    template_name = "enterprises/duplicates.html"
    groups_per_page = 20

    def get_context_data(self, **kwargs):
        within = Enterprise.objects.restrict(self.request.user, CHANGE)
        report = dedup.duplicate_groups(within=within)
        page = Paginator(report.groups, self.groups_per_page).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            report=report, page_obj=page, groups=page.object_list, threshold=SHOW_THRESHOLD, **kwargs
        )


class MergeView(CapabilityRequiredMixin, TemplateView):
    """Pick the surviving record and, field by field, which value to keep (two records, not one form)."""

    capability = Cap.BUSINESS_CHANGE
    template_name = "enterprises/merge.html"

    def _pair(self):
        first = selectors.enterprise_get(user=self.request.user, pk=self.kwargs["pk"], action=CHANGE)
        other_id = self.request.GET.get("other") or self.request.POST.get("other")
        if not (other_id and str(other_id).isdigit()):
            raise ValidationFailed("请选择要合并的另一家企业")
        other = selectors.enterprise_get(user=self.request.user, pk=int(other_id), action=CHANGE)
        return first, other

    def get_context_data(self, **kwargs):
        survivor, merged = self._pair()
        rows = []
        for field in services.MERGE_FIELDS:
            f = Enterprise._meta.get_field(field)
            a, b = _display(survivor, f), _display(merged, f)
            rows.append(
                {
                    "name": field,
                    "label": f.verbose_name,
                    "survivor": a,
                    "merged": b,
                    "same": a == b,
                    "default": "survivor" if a not in ("", "—") or b in ("", "—") else "merged",
                }
            )
        return super().get_context_data(survivor=survivor, merged=merged, rows=rows, **kwargs)

    def post(self, request, pk):
        ids = parsers.require(
            {
                "survivor": lambda: parsers.record_id(request.POST.get("survivor", "")),
                "merged": lambda: parsers.record_id(request.POST.get("merged", "")),
                "survivor_version": lambda: parsers.integer(
                    request.POST.get("survivor_version") or 0, minimum=0, maximum=parsers.BIGINT_MAX
                ),
            }
        )
        survivor = selectors.enterprise_get(user=request.user, pk=ids["survivor"], action=CHANGE)
        merged = selectors.enterprise_get(user=request.user, pk=ids["merged"], action=CHANGE)
        choices = {f: request.POST.get(f"choice_{f}", "survivor") for f in services.MERGE_FIELDS}
        merge = services.enterprise_merge(
            actor=request.user,
            survivor=survivor,
            merged=merged,
            field_choices=choices,
            survivor_version=ids["survivor_version"] or None,
        )
        messages.success(request, f"已将「{merge.merged.name}」合并到「{merge.survivor.name}」，可在合并记录中撤销")
        return redirect(merge.survivor.get_absolute_url())


class MergeUndoView(CapabilityRequiredMixin, View):
    """POST: undo a merge (an action on a ``Merge`` record, not an edit of the enterprise)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        merge = Merge.objects.filter(pk=pk).first()
        if merge is None:
            raise NotFound()
        try:
            services.merge_undo(actor=request.user, merge=merge)
            messages.success(request, f"已撤销合并，「{merge.merged.name}」已恢复")
        except (ValidationFailed, VersionConflict) as exc:
            messages.error(request, exc.message)
        return redirect(reverse("enterprises:enterprise_detail", args=[merge.survivor_id]) + "?tab=history")


def _display(obj, field) -> str:
    value = getattr(obj, field.name)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")() or "—"
    return "—" if value in (None, "") else str(value)
