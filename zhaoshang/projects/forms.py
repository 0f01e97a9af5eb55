from django import forms
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core import parsers
from zhaoshang.core.forms import DATE_INPUT, BusinessForm, TablerFormMixin
from zhaoshang.core.roles import Cap, roles_with
from zhaoshang.enterprises import selectors as enterprise_selectors

from .models import KEY_DATES, FollowUp, Project, Stage


class ProjectForm(BusinessForm):
    industry_code = forms.CharField(label="国民经济行业（GB/T 4754 代码）", required=False, max_length=4)

    class Meta:
        model = Project
        fields = [
            "name",
            "project_type",
            "grade",
            "investor",
            "operating_company",
            "investor_country",
            "total_investment",
            "fixed_asset_investment",
            "contracted_fdi",
            "land_mu",
            "floor_area",
            "annual_output",
            "annual_tax",
            "jobs",
            "town",
            "org_unit",
            "lead_leader",
            "chief_servant",
            "description",
            *[f"{stem}_{kind}" for stem, _ in KEY_DATES for kind in ("planned", "actual")],
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            **{f"{stem}_{kind}": DATE_INPUT for stem, _ in KEY_DATES for kind in ("planned", "actual")},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        region = user.org_unit.region_id if user is not None and user.org_unit_id else None
        enterprises = enterprise_selectors.enterprise_choices(user=user)
        for name in ("investor", "operating_company"):
            self.fields[name].queryset = enterprises
            self.fields[name].widget.attrs.update({"data-choices": "", "data-placeholder": "搜索企业库"})
        self.fields["town"].queryset = OrgUnit.objects.filter(region_id=region, kind__in=["town", "zone"])
        people = User.objects.filter(
            org_unit__region_id=region, is_active=True, role__in=roles_with(Cap.SERVE_PROJECTS)
        )
        self.fields["lead_leader"].queryset = people.filter(role__in=roles_with(Cap.VIEW_REGION))
        self.fields["chief_servant"].queryset = people
        if self.instance.pk and self.instance.industry_id:
            self.fields["industry_code"].initial = self.instance.industry.code

    def clean_industry_code(self):
        return parsers.form_clean(parsers.industry)(self.cleaned_data.get("industry_code"))

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "industry_code")}
        data["industry"] = self.cleaned_data.get("industry_code")
        return data


class AdvanceForm(TablerFormMixin, forms.Form):
    to_stage = forms.ModelChoiceField(
        label="推进到", queryset=Stage.objects.none(), required=False, empty_label="下一阶段（默认）"
    )
    reason = forms.CharField(
        label="原因说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="退回上一阶段或跳过阶段时必填",
    )

    def __init__(self, *args, project=None, run=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            stages = Stage.objects.filter(region_id=project.region_id, is_active=True).order_by("order")
            self.fields["to_stage"].queryset = stages.exclude(pk=run.stage_id) if run else stages
            self.fields["to_stage"].label_from_instance = lambda s: f"{s.order}. {s.name}"


class ProblemForm(TablerFormMixin, forms.Form):
    title = forms.CharField(label="问题", max_length=200)
    owner_unit = forms.ModelChoiceField(label="责任单位", queryset=OrgUnit.objects.none())
    due_on = forms.DateField(label="解决期限", widget=DATE_INPUT)
    description = forms.CharField(label="详细说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.org_unit_id:
            self.fields["owner_unit"].queryset = OrgUnit.objects.filter(region_id=user.org_unit.region_id).exclude(
                kind=OrgUnit.Kind.CITY
            )
        self.fields["due_on"].initial = timezone.localdate() + timezone.timedelta(days=14)


class FollowUpForm(TablerFormMixin, forms.Form):
    kind = forms.ChoiceField(label="方式", choices=FollowUp.Kind.choices)
    date = forms.DateField(label="日期", widget=DATE_INPUT, initial=timezone.localdate)
    summary = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label="下一步", required=False, max_length=200)
