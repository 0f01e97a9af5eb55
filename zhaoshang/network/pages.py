"""Pages that are not one record's list/detail/edit (so plain views): the funnel with its drill-down, the
offices' assessment and its exports, the report paste, and the actions on a record's page (each one service)."""

from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import ApplicationError, NotFound, ValidationFailed
from zhaoshang.core.forms import error_message, form_errors_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.leads.extract import CHAINS

from . import exports, selectors, services
from .assessment import assessments
from .forms import ReferralForm, ReportForm, SignInForm, TargetForm
from .funnel import STEPS, conversion_rates, funnel
from .models import LeadSource, OfficeProfile, Reward

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _int(value, default=None):
    return int(value) if str(value or "").isdigit() else default


def funnel_filters(request) -> dict:
    """year, channel, chain, org_unit (subtree) from the query string."""
    user = request.user
    year = _int(request.GET.get("year"), timezone.localdate().year)
    unit = None
    if (unit_id := _int(request.GET.get("org_unit"))) and user.org_unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id, region_id=user.org_unit.region_id).first()
    return {
        "year": year,
        "channel": request.GET.get("channel", ""),
        "chain": request.GET.get("chain", ""),
        "unit_ids": unit.subtree_ids() if unit else None,
        "unit": unit,
    }


class FunnelView(CapabilityRequiredMixin, TemplateView):
    """资源转化: the funnel per channel and source, with drill-down to the leads of a step."""

    capability = Cap.BUSINESS_VIEW
    template_name = "network/funnel.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        f = funnel_filters(self.request)
        drill = self.request.GET.get("step")
        data = funnel(
            user=user,
            year=f["year"],
            channel=f["channel"],
            chain=f["chain"],
            unit_ids=f["unit_ids"],
            keep_ids=bool(drill),
        )
        labels = dict(lead_selectors.lead_choices_source())
        entries = []
        for entry in data["channels"]:
            rates = conversion_rates(entry)
            entries.append(
                {
                    **entry,
                    "label": labels.get(entry["channel"], entry["channel"]),
                    "cells": list(zip(entry["steps"], rates, strict=True)),
                }
            )
        drilled = []
        if drill:
            key = (
                self.request.GET.get("d_channel", ""),
                self.request.GET.get("d_kind", ""),
                self.request.GET.get("d_id", ""),
            )
            for entry in data["channels"]:
                source = entry["source"] or {}
                if (entry["channel"], source.get("kind", ""), str(source.get("id") or "")) == key:
                    ids = entry["ids"].get(drill, [])
                    drilled = list(lead_selectors.visible_leads(user=user, ids=ids[:500]).values())
        units = OrgUnit.objects.filter(region_id=user.org_unit.region_id).order_by("path") if user.org_unit_id else []
        return super().get_context_data(
            entries=entries,
            steps=STEPS,
            filters=f,
            drilled=drilled,
            drill=drill,
            units=units,
            channels=lead_selectors.lead_choices_source(),
            chains=CHAINS,
            years=range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            **kwargs,
        )


def _period(request) -> tuple[int, int | None]:
    today = timezone.localdate()
    month = _int(request.GET.get("month"))
    return _int(request.GET.get("year"), today.year), (month if month and 1 <= month <= 12 else None)


class AssessmentView(CapabilityRequiredMixin, TemplateView):
    """考核: every office of the county ranked, with each indicator's score and its records; Excel/Word."""

    capability = Cap.BUSINESS_VIEW
    template_name = "network/assessment.html"

    def get(self, request, *args, **kwargs):
        year, month = _period(request)
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "docx") and request.user.has_capability(Cap.EXPORT):
            rows = self.rows(year, month)
            name = f"办事处考核-{year}{'-' + str(month) if month else ''}.{fmt}"
            body = (
                exports.assessment_xlsx(rows, year, month)
                if fmt == "xlsx"
                else exports.assessment_docx(rows, year, month)
            )
            response = HttpResponse(body, content_type=XLSX if fmt == "xlsx" else DOCX)
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
            return response
        return super().get(request, *args, **kwargs)

    def rows(self, year, month):
        user = self.request.user
        if user.org_unit_id is None:
            return []
        visible = set(OfficeProfile.objects.restrict(user).values_list("pk", flat=True))
        rows = assessments(region_id=user.org_unit.region_id, year=year, month=month)
        # Every office's rank and total are shown; the indicators (and their records) only for offices in scope.
        for row in rows:
            row["visible"] = row["office"].pk in visible
        return rows

    def get_context_data(self, **kwargs):
        year, month = _period(self.request)
        today = timezone.localdate()
        return super().get_context_data(
            rows=self.rows(year, month),
            year=year,
            month=month,
            years=range(today.year, today.year - 6, -1),
            months=range(1, 13),
            can_export=self.request.user.has_capability(Cap.EXPORT),
            **kwargs,
        )


class ReportView(CapabilityRequiredMixin, View):
    """Paste an office report → one proposed lead per enterprise; each confirmed on its own (a form per
    proposal posting to ``report_confirm``)."""

    capability = Cap.BUSINESS_CHANGE

    def get(self, request):
        return render(request, "network/report.html", {"form": ReportForm(), "proposals": None})

    def post(self, request):
        form = ReportForm(request.POST)
        proposals = None
        if form.is_valid():
            try:
                proposals = services.report_proposals(user=request.user, text=form.cleaned_data["text"])
            except ValidationFailed as exc:
                form.add_error("text", error_message(exc))
        return render(request, "network/report.html", {"form": form, "proposals": proposals})


class ReportConfirmView(CapabilityRequiredMixin, View):
    """Register one confirmed proposal (the fields as the officer corrected them)."""

    capability = Cap.BUSINESS_CHANGE
    keys = (
        "title",
        "enterprise_name",
        "investment_rmb",
        "investment_fdi",
        "project_type",
        "chain",
        "investor_country",
        "investor_province",
        "investor_city",
        "contact_name",
        "contact_title",
        "phone",
        "land_mu",
        "industry_code",
        "description",
    )

    def post(self, request):
        proposal = {k: request.POST.get(k, "").strip() for k in self.keys}
        try:
            lead = services.report_confirm(actor=request.user, proposal=proposal)
        except ApplicationError as exc:
            return HttpResponse(f'<div class="alert alert-danger mb-0">{escape(error_message(exc))}</div>')
        url = lead.get_absolute_url()
        link = f'<a href="{url}">{escape(lead.title)}</a>（{lead.code}）'
        return HttpResponse(f'<div class="alert alert-success mb-0" data-testid="confirmed">已登记线索 {link}</div>')


class ActionView(CapabilityRequiredMixin, View):
    """The actions on the records' pages; each calls one service and returns to the page with its message."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, kind, pk, action):
        user = request.user
        handler = getattr(self, f"{kind}_{action.replace('-', '_')}", None)
        if handler is None:
            raise NotFound()
        try:
            target = handler(user, pk, request)
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
            target = request.POST.get("back") or reverse("network:officeprofile_list")
        return redirect(target)

    def activity_to_lead(self, user, pk, request):
        activity = selectors.activity_get(user=user, pk=pk, action="change")
        lead_id = _int(request.POST.get("lead"))
        lead = lead_selectors.lead_get(user=user, pk=lead_id, action="change") if lead_id else None
        lead = services.activity_to_lead(actor=user, activity=activity, lead=lead)
        messages.success(request, f"已{'更新' if lead_id else '生成'}线索「{lead.title}」")
        return activity.get_absolute_url()

    def activity_attach(self, user, pk, request):
        activity = selectors.activity_get(user=user, pk=pk, action="change")
        attachment = services.activity_attach(actor=user, activity=activity, upload=request.FILES.get("file"))
        messages.success(request, f"已上传附件“{attachment.name}”")
        return activity.get_absolute_url()

    def activity_detach(self, user, pk, request):
        activity = selectors.activity_get(user=user, pk=pk, action="change")
        services.activity_attachment_delete(
            actor=user, activity=activity, attachment_id=_int(request.POST.get("attachment"), 0)
        )
        messages.success(request, "已删除附件")
        return activity.get_absolute_url()

    def office_target(self, user, pk, request):
        office = selectors.office_get(user=user, pk=pk)
        form = TargetForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(form_errors_message(form, "目标有误："))
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        services.target_set(actor=user, office=office, year=form.cleaned_data["year"], data=data)
        messages.success(request, f"已设定 {form.cleaned_data['year']} 年度目标")
        return office.get_absolute_url()

    def agreement_rewards(self, user, pk, request):
        agreement = selectors.agreement_get(user=user, pk=pk)
        made = services.rewards_refresh(agreement=agreement, actor=user)
        messages.success(request, f"已核算奖励：新增 {len(made)} 项")
        return agreement.get_absolute_url()

    def agreement_referral(self, user, pk, request):
        agreement = selectors.agreement_get(user=user, pk=pk)
        form = ReferralForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(form_errors_message(form, "推荐线索有误："))
        lead = services.referral_register(actor=user, agreement=agreement, lead_data=form.cleaned_data)
        messages.success(request, f"已登记推荐线索「{lead.title}」")
        return agreement.get_absolute_url()

    def reward_decide(self, user, pk, request):
        reward = Reward.objects.filter(pk=pk).select_related("agreement").first()
        if reward is None:
            raise NotFound()
        selectors.agreement_get(user=user, pk=reward.agreement_id)
        services.reward_decide(actor=user, reward=reward, status=request.POST.get("status", ""))
        messages.success(request, "已更新奖励状态")
        return reward.agreement.get_absolute_url()

    def event_signin(self, user, pk, request):
        event = selectors.event_get(user=user, pk=pk, action="change")
        form = SignInForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationFailed("请选择签到表文件")
        upload = form.cleaned_data["file"]
        n = services.participants_import(actor=user, event=event, content=upload.read(), filename=upload.name)
        messages.success(request, f"已导入 {n} 家签到企业")
        return event.get_absolute_url()

    def event_lead(self, user, pk, request):
        return self._source_lead(user, request, LeadSource.Kind.EVENT, selectors.event_get(user=user, pk=pk))

    def sistercity_lead(self, user, pk, request):
        city = selectors.sister_city_get(user=user, pk=pk)
        return self._source_lead(user, request, LeadSource.Kind.SISTER_CITY, city)

    def _source_lead(self, user, request, kind, record):
        form = ReferralForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(form_errors_message(form, "线索有误："))
        lead = services.lead_from_source(actor=user, kind=kind, record=record, lead_data=form.cleaned_data)
        messages.success(request, f"已登记线索「{lead.title}」")
        return record.get_absolute_url()

    def enterprise_referral(self, user, pk, request):
        enterprise = enterprise_selectors.enterprise_get(user=user, pk=pk)
        form = ReferralForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(form_errors_message(form, "线索有误："))
        lead = services.referral_register(actor=user, referrer=enterprise, lead_data=form.cleaned_data)
        messages.success(request, f"已登记以商引商线索「{lead.title}」")
        return lead.get_absolute_url()


class ActivityAttachmentView(CapabilityRequiredMixin, View):
    """Sends an activity's attachment to whoever may view the activity (404 otherwise): a file, not a page."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk, attachment_id):
        attachment = selectors.activity_attachment_get(user=request.user, activity_id=pk, pk=attachment_id)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound("附件文件已不存在") from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.name)
