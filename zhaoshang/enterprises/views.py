from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views import View
from django.views.generic import FormView, TemplateView

from zhaoshang.core.errors import NotFound, ValidationFailed, VersionConflict
from zhaoshang.core.forms import apply_errors
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.search import highlight_spans
from zhaoshang.core.selectors import object_history
from zhaoshang.core.text import uscc_errors, uscc_normalize

from . import dedup, exports, selectors, services
from .forms import BulkTagForm, ContactForm, EnterpriseForm, NoteForm, SignalForm
from .models import Contact, Enterprise, Merge

PAGE_SIZE = 25


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


class EnterpriseListView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.BUSINESS_VIEW
    template_name = "enterprises/enterprise_list.html"

    def get_context_data(self, **kwargs):
        results = selectors.enterprise_list(user=self.request.user, filters=self.request.GET)
        paginator = Paginator(range(results.count), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        rows = results.page(page.start_index() - 1 if page.paginator.count else 0, page.end_index())
        query = self.request.GET.get("q", "").strip()
        for enterprise in rows:
            enterprise.name_html = highlight(enterprise.name, query)
        return super().get_context_data(
            filter=results.filterset,
            page_obj=page,
            rows=rows,
            query=query,
            ranked=results.ids is not None,
            sort=self.request.GET.get("sort", ""),
            bulk_form=BulkTagForm(),
            can_change=self.request.user.has_capability(Cap.BUSINESS_CHANGE),
            can_export=self.request.user.has_capability(Cap.EXPORT),
            **kwargs,
        )


class EnterpriseDetailView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.BUSINESS_VIEW
    template_name = "enterprises/enterprise_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            self.object = selectors.enterprise_get(user=request.user, pk=kwargs["pk"])
        except NotFound:
            survivor = selectors.merged_redirect(user=request.user, pk=kwargs["pk"])
            if survivor is None:
                raise
            messages.info(request, "该企业已合并到本企业，已为您跳转")
            return redirect(survivor.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        enterprise = self.object
        user = self.request.user
        merged_ids = list(Enterprise.all_objects.filter(merged_into=enterprise).values_list("pk", flat=True))
        history = object_history(enterprise)
        for pk in merged_ids:
            history += object_history(Enterprise(pk=pk))
        history.sort(key=lambda c: c.pk, reverse=True)
        return super().get_context_data(
            object=enterprise,
            tab=self.request.GET.get("tab", "basic"),
            contacts=Contact.objects.restrict(user).filter(enterprise=enterprise),
            projects=_related_projects(user, enterprise),
            signals=enterprise.signals.filter(deleted_at__isnull=True),
            notes=enterprise.notes.select_related("author")[:100],
            history=history[:100],
            merges=Merge.objects.filter(survivor=enterprise).select_related("merged", "actor"),
            can_change=user.has_capability(Cap.BUSINESS_CHANGE)
            and Enterprise.objects.restrict(user, CHANGE).filter(pk=enterprise.pk).exists(),
            can_reveal=user.has_capability(Cap.REVEAL_PERSONAL),
            contact_form=ContactForm(),
            signal_form=SignalForm(),
            note_form=NoteForm(),
            **kwargs,
        )


class EnterpriseEditView(CapabilityRequiredMixin, FormView):
    capability = Cap.BUSINESS_CHANGE
    template_name = "enterprises/enterprise_form.html"
    form_class = EnterpriseForm

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs and request.user.is_authenticated and request.user.has_capability(self.capability):
            self.object = selectors.enterprise_get(user=request.user, pk=kwargs["pk"], action=CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "user": self.request.user}

    def get_initial(self):
        return {"version": self.object.version} if self.object else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        tags = list(form.cleaned_data["tags"])
        try:
            if self.object is None:
                enterprise = services.enterprise_create(actor=self.request.user, data=form.business_data(), tags=tags)
                messages.success(self.request, f"已新建企业「{enterprise.name}」")
            else:
                enterprise = services.enterprise_update(
                    actor=self.request.user,
                    enterprise=self.object,
                    data=form.business_data(),
                    version=form.cleaned_data["version"],
                    tags=tags,
                )
                messages.success(self.request, f"已保存企业「{enterprise.name}」")
        except (ValidationFailed, VersionConflict) as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        return redirect(enterprise.get_absolute_url())


class EnterpriseCheckView(CapabilityRequiredMixin, View):
    """htmx: as the user types a name or code, say what is wrong and which records probably match."""

    capability = Cap.BUSINESS_VIEW

    def post(self, request):
        name = request.POST.get("name", "").strip()
        code = uscc_normalize(request.POST.get("credit_code", ""))
        exclude = request.POST.get("exclude_id")
        errors = uscc_errors(code) if code else []
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


class EnterpriseDeleteView(CapabilityRequiredMixin, View):
    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        enterprise = selectors.enterprise_get(user=request.user, pk=pk, action="delete")
        services.enterprise_delete(actor=request.user, enterprise=enterprise)
        messages.success(request, f"已删除企业「{enterprise.name}」，可在“已删除企业”中恢复")
        return redirect("enterprises:enterprise_list")


class TrashView(CapabilityRequiredMixin, TemplateView):
    """Deleted enterprises the user may restore (merged-away ones are restored by undoing the merge)."""

    capability = Cap.BUSINESS_CHANGE
    template_name = "enterprises/trash.html"

    def get_context_data(self, **kwargs):
        deleted = (
            Enterprise.all_objects.restrict(self.request.user, "delete")
            .filter(deleted_at__isnull=False, merged_into__isnull=True)
            .select_related("deleted_by", "org_unit")
            .order_by("-deleted_at")
        )
        page = Paginator(deleted, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, **kwargs)


class RestoreView(CapabilityRequiredMixin, View):
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
    capability = Cap.EXPORT

    def get(self, request):
        results = selectors.enterprise_list(user=request.user, filters=request.GET)
        path, count = exports.export_enterprises(results=results, user=request.user, request=request)
        return FileResponse(open(path, "rb"), as_attachment=True, filename=exports.filename())  # noqa: SIM115


# --- contacts, signals, notes ---------------------------------------------------------------------


class ContactAddView(CapabilityRequiredMixin, View):
    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        enterprise = selectors.enterprise_get(user=request.user, pk=pk, action=CHANGE)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_create(actor=request.user, enterprise=enterprise, data=form.cleaned_data)
                messages.success(request, "已添加联系人")
            except ValidationFailed as exc:
                messages.error(request, exc.message + "：" + "；".join(m for ms in exc.fields.values() for m in ms))
        else:
            messages.error(
                request, "联系人信息有误：" + "；".join(f"{form.fields[k].label}{v[0]}" for k, v in form.errors.items())
            )
        return redirect(reverse("enterprises:enterprise_detail", args=[pk]) + "?tab=contacts")


class ContactRevealView(CapabilityRequiredMixin, View):
    """htmx: the full phone number in place of the mask (audited; refused for roles without the right)."""

    capability = Cap.BUSINESS_VIEW

    def post(self, request, pk):
        phone = services.contact_reveal_phone(actor=request.user, contact_id=pk, request=request)
        return HttpResponse(format_html('<span class="font-monospace" data-testid="revealed-phone">{}</span>', phone))


class SignalAddView(CapabilityRequiredMixin, View):
    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk):
        enterprise = selectors.enterprise_get(user=request.user, pk=pk, action=CHANGE)
        form = SignalForm(request.POST)
        if form.is_valid():
            services.signal_create(actor=request.user, enterprise=enterprise, data=form.cleaned_data)
            messages.success(request, "已添加企业动态")
        else:
            messages.error(
                request, "动态信息有误：" + "；".join(f"{form.fields[k].label}{v[0]}" for k, v in form.errors.items())
            )
        return redirect(reverse("enterprises:enterprise_detail", args=[pk]) + "?tab=signals")


class NoteAddView(CapabilityRequiredMixin, View):
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
    capability = Cap.BUSINESS_CHANGE
    template_name = "enterprises/duplicates.html"

    def get_context_data(self, **kwargs):
        within = Enterprise.objects.restrict(self.request.user, CHANGE)
        return super().get_context_data(groups=dedup.duplicate_groups(within=within, limit=100), **kwargs)


class MergeView(CapabilityRequiredMixin, TemplateView):
    """Pick the surviving record and, field by field, which value to keep."""

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
        survivor = selectors.enterprise_get(user=request.user, pk=int(request.POST["survivor"]), action=CHANGE)
        merged = selectors.enterprise_get(user=request.user, pk=int(request.POST["merged"]), action=CHANGE)
        choices = {f: request.POST.get(f"choice_{f}", "survivor") for f in services.MERGE_FIELDS}
        merge = services.enterprise_merge(
            actor=request.user,
            survivor=survivor,
            merged=merged,
            field_choices=choices,
            survivor_version=int(request.POST.get("survivor_version", 0)) or None,
        )
        messages.success(request, f"已将「{merge.merged.name}」合并到「{merge.survivor.name}」，可在合并记录中撤销")
        return redirect(merge.survivor.get_absolute_url())


class MergeUndoView(CapabilityRequiredMixin, View):
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


def _related_projects(user, enterprise):
    from django.db.models import Q

    from zhaoshang.projects.models import Project

    return (
        Project.objects.restrict(user)
        .filter(Q(investor=enterprise) | Q(operating_company=enterprise))
        .select_related("stage", "org_unit")
        .order_by("-id")[:50]
    )


def _display(obj, field) -> str:
    value = getattr(obj, field.name)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")() or "—"
    return "—" if value in (None, "") else str(value)
