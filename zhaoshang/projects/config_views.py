"""系统管理: the county's stages, warning rules and holiday calendar (the system administrator)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import services as core_services
from zhaoshang.core.errors import NotFound
from zhaoshang.core.forms import TablerFormMixin
from zhaoshang.core.models import CalendarDay
from zhaoshang.core.permissions import CapabilityObjectMixin, CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.workdays import year_is_known

from . import services
from .models import Project, Stage, WarningRules

REQUIRABLE = [
    (f.name, f.verbose_name)
    for f in Project._meta.concrete_fields
    if f.editable and f.name not in ("org_unit", "region", "name")
]


def _region(user) -> OrgUnit:
    if not user.org_unit_id:
        raise NotFound("请使用所属地区的系统管理员账号配置")
    return user.org_unit.region


class StageForm(TablerFormMixin, forms.ModelForm):
    required_fields = forms.MultipleChoiceField(
        label="离开本阶段前必填的字段",
        choices=REQUIRABLE,
        required=False,
        widget=forms.SelectMultiple(attrs={"data-choices": ""}),
    )
    checklist_text = forms.CharField(
        label="清单事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一项；可在竖线后写负责单位名称（须为本地区单位），如：项目备案|发展和改革局。"
        "以 * 开头表示可选事项。",
    )

    class Meta:
        model = Stage
        fields = [
            "order",
            "name",
            "owner_unit",
            "time_limit",
            "limit_unit",
            "completes_date",
            "required_fields",
            "advancer",
            "is_active",
        ]

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["owner_unit"].queryset = OrgUnit.objects.filter(region=region)
        self.fields["owner_unit"].empty_label = "（各项目的引进单位）"
        lines = []
        for item in self.instance.checklist.select_related("owner_unit") if self.instance.pk else []:
            lines.append(
                ("" if item.required else "*") + item.title + (f"|{item.owner_unit.name}" if item.owner_unit else "")
            )
        self.fields["checklist_text"].initial = "\n".join(lines)

    def clean_checklist_text(self):
        items = []
        for number, line in enumerate((self.cleaned_data.get("checklist_text") or "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            optional = line.startswith("*")
            title, _, unit_name = line.lstrip("*").partition("|")
            unit = None
            if unit_name.strip():
                unit = OrgUnit.objects.filter(region=self.region, name=unit_name.strip()).first()
                if unit is None:
                    raise forms.ValidationError(f"第 {number} 行：本地区没有名为“{unit_name.strip()}”的单位")
            if not title.strip():
                raise forms.ValidationError(f"第 {number} 行：事项名称不能为空")
            items.append((title.strip()[:100], unit, not optional))
        return items


class StageEditView(CapabilityObjectMixin, FormView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "projects/config_form.html"
    form_class = StageForm

    def get_object(self):
        stage = Stage.objects.filter(pk=self.kwargs["pk"], region=_region(self.request.user)).first()
        if stage is None:
            raise NotFound()
        return stage

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "region": _region(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"编辑阶段：{self.object.name}", **kwargs)

    def form_valid(self, form):
        stage = services.stage_update(
            actor=self.request.user,
            stage_id=self.object.pk,
            region=_region(self.request.user),
            data={name: form.cleaned_data[name] for name in StageForm.Meta.fields},
            checklist=form.cleaned_data["checklist_text"],
        )
        messages.success(self.request, f"已保存阶段「{stage.name}」；新开启的阶段按新配置执行")
        return redirect("projects:stage_config")


class RulesForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = WarningRules
        fields = [f.name for f in WarningRules._meta.fields if f.name not in ("id", "region")]


class RulesEditView(CapabilityRequiredMixin, FormView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "projects/config_form.html"
    form_class = RulesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": services.rules_for(_region(self.request.user).pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="编辑预警规则", **kwargs)

    def form_valid(self, form):
        services.warning_rules_update(
            actor=self.request.user,
            region=_region(self.request.user),
            data={name: form.cleaned_data[name] for name in RulesForm.Meta.fields},
        )
        messages.success(self.request, "已保存预警规则；下次计算预警时生效")
        return redirect("projects:stage_config")


class CalendarDayForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class CalendarView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "projects/calendar.html"

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        known = [(y, year_is_known(y)) for y in (year, year + 1)]
        return super().get_context_data(
            days=CalendarDay.objects.order_by("-date")[:200],
            known=known,
            form=kwargs.pop("form", None) or CalendarDayForm(),
            **kwargs,
        )

    def post(self, request):
        if request.POST.get("delete"):
            core_services.calendar_day_delete(actor=request.user, pk=request.POST["delete"])
            messages.success(request, "已删除")
            return redirect("projects:calendar")
        form = CalendarDayForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        day = core_services.calendar_day_set(
            actor=request.user,
            date=form.cleaned_data["date"],
            is_workday=form.cleaned_data["is_workday"],
            name=form.cleaned_data["name"],
        )
        messages.success(request, f"已保存 {day}")
        return redirect("projects:calendar")
