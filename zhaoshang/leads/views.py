from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from zhaoshang.core.forms import error_message, form_errors_message
from zhaoshang.core.lists import ListResult
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates
from zhaoshang.core.views import generic
from zhaoshang.enterprises import dedup

from . import exports, extraction, selectors, services
from .filters import VIEWS
from .forms import AssignForm, FollowUpForm, LeadForm
from .models import Lead


def default_source(user) -> str:
    """The channel a unit's own registrations usually come from."""
    kind = user.org_unit.kind if user.org_unit_id else ""
    return {"office": "office", "town": "town", "zone": "town", "department": "department"}.get(kind, "")


class LeadMixin:
    model = Lead
    url_namespace = "leads"
    object_selector = staticmethod(selectors.lead_get)


class LeadListView(LeadMixin, generic.ObjectListView):
    """The list with its saved views (全部、我的、超时未办、待分派池), and the export of the same rows."""

    template_name = "leads/lead_list.html"
    selector = staticmethod(selectors.lead_list)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") and request.user.has_capability(Cap.EXPORT):
            path, _ = exports.export_leads(rows=self.get_result(), user=request.user, request=request)
            return FileResponse(
                open(path, "rb"),
                as_attachment=True,  # noqa: SIM115
                filename=f"线索台账-{timezone.localdate():%Y%m%d}.xlsx",
            )
        return super().get(request, *args, **kwargs)

    def view(self) -> str:
        view = self.request.GET.get("view", "all")
        return view if view in VIEWS else "all"

    def get_result(self) -> ListResult:
        # The page shows the whole list for a view it does not know (the API answers 422).
        filters = self.request.GET.copy()
        filters["view"] = self.view()
        return type(self).selector(user=self.request.user, filters=filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            view=self.view(),
            views=VIEWS.items(),
            today=timezone.localdate(),
            can_export=self.request.user.has_capability(Cap.EXPORT),
            **kwargs,
        )


class LeadBoardView(CapabilityRequiredMixin, TemplateView):
    """Custom: one column per status, not a page of rows."""

    capability = Cap.BUSINESS_VIEW
    template_name = "leads/board.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=selectors.board(user=self.request.user, filters=self.request.GET), **kwargs
        )


class LeadDetailView(LeadMixin, generic.ObjectDetailView):
    template_name = "leads/lead_detail.html"

    def get_context_data(self, **kwargs):
        user, lead = self.request.user, self.object
        rules = services.rules_for(lead.region_id)
        return super().get_context_data(
            can_change=(can_change := self.may_change(lead)),
            can_assign=can_change or coordinates(user),
            open=lead.status in Lead.OPEN_STATUSES,
            followups=lead.followups.select_related("author"),
            events=lead.events.select_related("actor")[:100],
            reasons=services.clock_reasons(lead, rules, timezone.localdate()),
            followup_form=FollowUpForm(initial={"date": timezone.localdate()}),
            assign_form=AssignForm(user=user),
            can_reveal=user.has_capability(Cap.REVEAL_PERSONAL),
            matches=services.matching_leads(
                region_id=lead.region_id,
                name=lead.investor_label,
                enterprise_id=lead.enterprise_id,
                exclude_id=lead.pk,
                user=user,
            ),
            **kwargs,
        )


class LeadEditView(LeadMixin, generic.ObjectEditView):
    template_name = "leads/lead_form.html"
    form_class = LeadForm
    created_message = "已登记线索「{object.title}」（{object.code}）"
    saved_message = "已保存线索「{object.title}」"

    def get_initial(self):
        return super().get_initial() if self.object else {"source": default_source(self.request.user)}

    def create(self, form):
        return services.lead_register(
            actor=self.request.user,
            data=self.form_data(form),
            phone=form.cleaned_data.get("phone", ""),
            to_pool=form.cleaned_data.get("to_pool", False),
        )

    def update(self, form):
        return services.lead_update(
            actor=self.request.user,
            lead=self.object,
            data=self.form_data(form),
            version=form.cleaned_data["version"],
            phone=form.cleaned_data.get("phone") or None,
        )


class ExtractView(CapabilityRequiredMixin, View):
    """htmx: the pasted text → the lead form filled in, with the words each value came from marked.
    Custom: a partial that fills a form, no record is read or written."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request):
        text = request.POST.get("text", "")
        try:
            initial, marked, notes = extraction.extract_for_form(text, user=request.user)
        except ValidationFailed as exc:
            alert = format_html(
                '<div class="alert alert-danger" role="alert" data-testid="extract-error">{}</div>', exc.message
            )
            return HttpResponse(alert, status=422)
        form = LeadForm(initial={"source": default_source(request.user), **initial}, user=request.user)
        context = {"form": form, "marked": marked, "text": text, "notes": notes}
        return render(request, "leads/_extracted.html", context)


class LeadCheckView(CapabilityRequiredMixin, View):
    """htmx: is this investor already in the library or in another unit's lead (and protected)?
    Custom: a partial of look-ups across leads and enterprises, not one record."""

    capability = Cap.BUSINESS_VIEW

    def post(self, request):
        name = request.POST.get("enterprise_name", "").strip()
        exclude = request.POST.get("exclude_id")
        leads, enterprises = [], []
        if name and request.user.org_unit_id:
            region = request.user.org_unit.region_id
            leads = services.matching_leads(
                region_id=region,
                name=name,
                user=request.user,
                exclude_id=int(exclude) if exclude and exclude.isdigit() else None,
            )
            enterprises = dedup.find_candidates(region_id=region, name=name, user=request.user, limit=5)
        return render(
            request, "leads/_check.html", {"leads": leads, "enterprises": enterprises, "today": timezone.localdate()}
        )


class FollowUpGoView(CapabilityRequiredMixin, View):
    """The 工作台's "添加跟进" picker: ``?lead=<id>`` → that lead's follow-up form.
    Custom: a redirect, no page of its own."""

    capability = Cap.BUSINESS_CHANGE

    def get(self, request):
        pk = request.GET.get("lead", "")
        if not pk.isdigit():
            messages.warning(request, "请选择要添加跟进的线索")
            return redirect("core:home")
        lead = selectors.lead_get(user=request.user, pk=int(pk))
        return redirect(lead.get_absolute_url() + "#followup")


class LeadDeleteView(LeadMixin, generic.ObjectDeleteView):
    """Remove a lead registered by mistake (soft delete; the change log keeps it)."""

    deleted_message = "已删除线索「{object.title}」"

    def delete(self, obj, version):
        services.lead_delete(actor=self.request.user, lead=obj, version=version)


class LeadActionView(CapabilityRequiredMixin, View):
    """The actions on a lead's page: follow-up, assess, assign, claim, shelve, merge, convert.
    Custom: each action is its own service with its own message (claim reads outside the scope)."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk, action):
        user = request.user
        try:
            if action == "claim":
                lead = Lead.objects.filter(pk=pk).first()
                if lead is None:
                    raise NotFound()
                services.lead_claim(actor=user, lead=lead)
                messages.success(request, "已认领，线索由您跟进")
                return redirect(lead.get_absolute_url())
            lead = selectors.lead_get(user=user, pk=pk)
            if action == "followup":
                form = FollowUpForm(request.POST)
                if not form.is_valid():
                    raise ValidationFailed(form_errors_message(form, "跟进记录有误："))
                services.followup_add(actor=user, lead=lead, data=form.cleaned_data)
                messages.success(request, "已添加跟进记录")
            elif action == "assess":
                services.lead_assess(
                    actor=user, lead=lead, grade=request.POST.get("grade", ""), note=request.POST.get("note", "")
                )
                messages.success(request, "已记录研判结论")
            elif action == "assign":
                form = AssignForm(request.POST, user=user)
                if not form.is_valid():
                    raise ValidationFailed("请选择分派单位", fields={k: list(v) for k, v in form.errors.items()})
                services.lead_assign(
                    actor=user, lead=lead, unit=form.cleaned_data["unit"], owner=form.cleaned_data["owner"]
                )
                messages.success(request, f"已分派给{form.cleaned_data['unit'].name}")
            elif action == "auto-assign":
                if services.lead_auto_assign(actor=user, lead=lead) is None:
                    messages.warning(request, "没有匹配的分派规则，请手工分派")
                else:
                    messages.success(request, "已按规则分派")
            elif action in ("shelve", "merge"):
                into = None
                if action == "merge":
                    code = request.POST.get("merge_into", "").strip()
                    into = Lead.objects.restrict(user).filter(code=code).first()
                    if into is None:
                        raise ValidationFailed(f"找不到编号为“{code}”的线索", fields={"merge_into": ["线索编号无效"]})
                services.lead_close(actor=user, lead=lead, reason=request.POST.get("reason", ""), merge_into=into)
                messages.success(request, "已合并" if into else "已搁置")
            elif action == "convert":
                project = services.lead_convert(actor=user, lead=lead)
                messages.success(request, f"已转为项目 {project.code}，进入“{project.stage.name}”阶段")
                return redirect(project.get_absolute_url())
            elif action == "reveal":
                phone = services.lead_reveal_phone(actor=user, lead_id=lead.pk, request=request)
                return HttpResponse(
                    format_html('<span class="font-monospace" data-testid="revealed-phone">{}</span>', phone)
                )
            else:
                raise NotFound()
        except (ValidationFailed, PermissionDenied, VersionConflict) as exc:
            messages.error(request, error_message(exc))
        return redirect(lead.get_absolute_url())
