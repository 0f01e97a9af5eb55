import io
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db.models import Sum
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.audit import security_event
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import SecurityEvent
from zhaoshang.core.parsers import org_unit_model
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.views import generic
from zhaoshang.imports.files import write_xlsx
from zhaoshang.projects import selectors as project_selectors

from . import charts, cockpit, formats, reports, selectors, services
from .models import FDIRecord, ReportJob, Target
from .periods import Period, last_complete_month


def _period(params) -> tuple[int, int]:
    """The month asked for (``period=YYYY-MM``), at most the current one; by default, or when the value
    is not a month, the last complete month."""
    today = timezone.localdate()
    default = last_complete_month(today)
    try:
        year, month = (int(x) for x in params.get("period", "").split("-"))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        return default
    return min((year, month), (today.year, today.month))


class StatsMixin(CapabilityRequiredMixin):
    capability = Cap.VIEW_STATS

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.has_capability(Cap.BUSINESS_VIEW) and not user.has_capability(Cap.VIEW_STATS):
            raise PermissionDenied("专家账号不使用统计分析")
        return super().dispatch(request, *args, **kwargs)

    def org_unit_id(self) -> int | None:
        value = self.request.GET.get("org_unit", "")
        return int(value) if value.isdigit() else None

    def units(self):
        user = self.request.user
        if not user.org_unit_id:
            return []
        return org_unit_model().objects.filter(region_id=user.org_unit.region_id).order_by("path")


class FDIView(StatsMixin, TemplateView):
    template_name = "stats/fdi.html"

    def get_context_data(self, **kwargs):
        year, month = _period(self.request.GET)
        user, unit = self.request.user, self.org_unit_id()
        stats = selectors.fdi_stats(user=user, year=year, month=month, org_unit_id=unit)
        series = selectors.monthly(user=user, year=year, org_unit_id=unit)["series"]
        parts = selectors.breakdown(user=user, year=year, month=month, org_unit_id=unit)
        period = Period.of(year, month, today=timezone.localdate())
        return super().get_context_data(
            stats=stats,
            period_label=period.months_label,
            days_label=period.days_label,
            as_of=period.as_of_text,
            parts=parts,
            year=year,
            month=month,
            period=f"{year}-{month:02d}",
            units=self.units(),
            org_unit=unit,
            charts={
                "chart-actual": charts.monthly(series, "actual", "实际使用外资", upto=month),
                "chart-contract": charts.monthly(series, "contract", "合同外资", upto=month),
                "chart-completion": charts.completion(stats["completion_pct"]["actual"], stats["schedule_pct"]),
                "chart-countries": charts.ranked_bar(parts["countries"]),
                "chart-forms": charts.pie(parts["forms"]),
            },
            **kwargs,
        )


class RecordsView(StatsMixin, generic.ObjectListView):
    """Drill-down: the records behind a number; exportable."""

    model = FDIRecord
    url_namespace = "stats"
    template_name = "stats/records.html"
    selector = staticmethod(selectors.record_list)
    addable = False  # records come from the API and imports

    def url_name(self, suffix: str) -> str:
        return "stats:records" if suffix == "list" else super().url_name(suffix)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") and request.user.has_capability(Cap.EXPORT):
            return self.export(self.get_result())
        return super().get(request, *args, **kwargs)

    def export(self, result):
        buffer = io.BytesIO()
        count = write_xlsx(
            buffer,
            [
                (
                    "外资记录",
                    ["日期", "企业", "项目", "类型", "方式", "计入金额（万美元）", "来源国家/地区", "所属单位"],
                    (
                        [
                            r.date,
                            r.enterprise.name,
                            r.project.name if r.project_id else "",
                            r.get_kind_display(),
                            r.get_form_display(),
                            r.signed_amount,
                            r.country,
                            r.org_unit.name,
                        ]
                        for r in result.iterator()
                    ),
                )
            ],
        )
        security_event(
            SecurityEvent.Kind.EXPORT,
            user=self.request.user,
            request=self.request,
            object_repr="外资记录",
            detail={"rows": count},
        )
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename="外资记录.xlsx")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total = context["result"].queryset.aggregate(s=Sum("signed_amount"))["s"]
        context["total"] = selectors.money(total)
        return context


class RankingsView(StatsMixin, TemplateView):
    template_name = "stats/rankings.html"

    def get_context_data(self, **kwargs):
        year, month = _period(self.request.GET)
        metric = self.request.GET.get("metric", "actual")
        metric = metric if metric in FDIRecord.Kind.values else "actual"
        rows = selectors.rankings(user=self.request.user, year=year, month=month, metric=metric)
        return super().get_context_data(
            rows=rows,
            metric=metric,
            period=f"{year}-{month:02d}",
            period_label=Period.of(year, month, today=timezone.localdate()).months_label,
            month=month,
            race=project_selectors.horse_race(user=self.request.user, year=year, month=month),
            activity=selectors.activity_index(user=self.request.user, year=year, month=month),
            metric_label=dict(FDIRecord.Kind.choices)[metric],
            **kwargs,
        )


class CockpitView(StatsMixin, TemplateView):
    """驾驶舱: the leaders' numbers; ``?wall=1`` for a wall display that refreshes itself."""

    template_name = "stats/cockpit.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["stats/_cockpit_body.html"]
        return ["stats/cockpit_wall.html" if self.request.GET.get("wall") else self.template_name]

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        overview = selectors.overview(user=user, today=today)
        year, month = overview["period"]["year"], overview["period"]["month"]
        series = selectors.monthly(user=user, year=year)["series"]
        rankings = selectors.shown_rankings(selectors.rankings(user=user, year=year, month=month))
        fdi = overview["fdi"]
        return super().get_context_data(
            overview=overview,
            signed_investment=formats.wan_yuan(overview["projects"]["signed_investment"]),
            red=selectors.red_projects(user=user, limit=8),
            sections=cockpit.sections_for(user, today),
            today=today,
            rankings=_first_units(rankings, 8),
            charts={
                "chart-cockpit-fdi": charts.monthly(series, "actual", "实际使用外资", upto=month),
                "chart-cockpit-stages": charts.stages(
                    overview["projects"]["by_stage"], overview["projects"]["by_light"]
                ),
                "chart-cockpit-lights": charts.lights(overview["projects"]["by_light"]),
                "chart-cockpit-completion": charts.completion(
                    fdi["completion_pct"]["actual"] if fdi else None,
                    fdi["schedule_pct"] if fdi else Decimal(month) * 100 / 12,
                ),
            },
            **kwargs,
        )


def _first_units(rows: list[dict], count: int) -> list[dict]:
    """The first ``count`` top-level units of a ranking tree, each with its sub-units."""
    kept, top = [], 0
    for row in rows:
        top += row["level"] == 0
        if top > count:
            break
        kept.append(row)
    return kept


class ReportsView(StatsMixin, TemplateView):
    template_name = "stats/reports.html"

    def get_template_names(self):
        return ["stats/_report_jobs.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        jobs = list(ReportJob.objects.filter(created_by=self.request.user)[:20])
        today = timezone.localdate()
        return super().get_context_data(
            jobs=jobs,
            kinds=ReportJob.Kind.choices,
            period="{}-{:02d}".format(*last_complete_month(today)),
            running=any(j.status in ("pending", "running") for j in jobs),
            **kwargs,
        )

    def post(self, request):
        year, month = _period(request.POST)
        try:
            services.report_request(actor=request.user, kind=request.POST.get("kind", ""), year=year, month=month)
            messages.success(request, "已提交生成，完成后可在下方下载")
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        return redirect("stats:reports")


class ReportDownloadView(StatsMixin, View):
    def get(self, request, pk):
        job = ReportJob.objects.filter(pk=pk, created_by=request.user, status="done").first()
        if job is None or not job.file:
            raise NotFound()
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


class TargetForm(forms.Form):
    org_unit = forms.ModelChoiceField(label="单位", queryset=org_unit_model().objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    metric = forms.ChoiceField(label="指标", choices=Target.Metric.choices)
    value = forms.DecimalField(label="目标值", min_value=0, max_digits=14, decimal_places=2)


class TargetsView(StatsMixin, TemplateView):
    template_name = "stats/targets.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = kwargs.pop("form", None) or TargetForm(initial={"year": timezone.localdate().year})
        form.fields["org_unit"].queryset = org_unit_model().objects.filter(region_id=user.org_unit.region_id)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        targets = Target.objects.filter(region_id=user.org_unit.region_id).select_related("org_unit")[:300]
        return super().get_context_data(form=form, targets=targets, **kwargs)

    def post(self, request):
        form = TargetForm(request.POST)
        form.fields["org_unit"].queryset = org_unit_model().objects.filter(region_id=request.user.org_unit.region_id)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.target_set(actor=request.user, **form.cleaned_data)
            messages.success(request, "已保存年度目标")
        except (PermissionDenied, ValidationFailed) as exc:
            messages.error(request, exc.message)
        return redirect("stats:targets")


class BriefingTemplateView(CapabilityRequiredMixin, TemplateView):
    """系统管理: download the briefing template in use, or replace it with an edited one."""

    capability = Cap.MANAGE_SETTINGS
    template_name = "stats/briefing_template.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("download"):
            content = reports.template_in_use()
            return FileResponse(io.BytesIO(content), as_attachment=True, filename="招商引资工作简报模板.docx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            custom=reports.CUSTOM_TEMPLATE.exists(), field_groups=reports.BRIEFING_FIELDS, **kwargs
        )

    def post(self, request):
        if request.POST.get("reset"):
            reports.CUSTOM_TEMPLATE.unlink(missing_ok=True)
            messages.success(request, "已恢复内置模板")
            return redirect("stats:briefing_template")
        upload = request.FILES.get("file")
        try:
            content = reports.check_template(upload)
        except ValidationFailed as exc:
            messages.error(request, exc.message)
            return redirect("stats:briefing_template")
        reports.CUSTOM_TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        reports.CUSTOM_TEMPLATE.write_bytes(content)
        messages.success(request, "已更换简报模板，下次生成时生效")
        return redirect("stats:briefing_template")
