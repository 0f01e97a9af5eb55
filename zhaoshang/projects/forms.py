from django import forms
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core import parsers
from zhaoshang.core.forms import DATE_INPUT, BusinessForm, TablerFormMixin
from zhaoshang.core.roles import Cap, roles_with
from zhaoshang.enterprises import selectors as enterprise_selectors

from .models import KEY_DATES, FollowUp, Problem, Project, Stage
from .services.stage_fields import ENTERPRISE_FIELDS


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


class StageFieldsForm(ProjectForm):
    """The fields the open stage requires, filled in place on the project page by whoever works the stage.
    An enterprise may be picked from those the user sees, or named (the region's enterprise of that name is
    used, or it is registered)."""

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        keep = {"version", *("industry_code" if n == "industry" else n for n in names)}
        for name in ENTERPRISE_FIELDS:
            if name in names:
                keep.add(f"{name}_new")
                self.fields[f"{name}_new"] = forms.CharField(
                    label=f"或登记{self.fields[name].label}名称",
                    required=False,
                    max_length=200,
                    widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "企业库中没有时填写全称"}),
                )
                self.fields[name].required = False
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in self.fields:
            if name != "version" and not name.endswith("_new") and name not in ENTERPRISE_FIELDS:
                self.fields[name].required = True

    def _post_clean(self):
        """Validate only the stage's fields here; the service checks the record as a whole."""

    def business_data(self) -> dict:
        data = {}
        for name in self.names:
            if name == "industry":
                data[name] = self.cleaned_data.get("industry_code")
            elif name in ENTERPRISE_FIELDS:
                data[name] = self.cleaned_data.get(name) or (self.cleaned_data.get(f"{name}_new") or "").strip()
            else:
                data[name] = self.cleaned_data.get(name)
        return data


class ReasonForm(TablerFormMixin, forms.Form):
    reason = forms.CharField(label="事由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class InstructionForm(TablerFormMixin, forms.Form):
    text = forms.CharField(label="批示内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(label="责任单位", queryset=OrgUnit.objects.none())
    due_on = forms.DateField(label="落实期限", required=False, widget=DATE_INPUT)
    problem = forms.ModelChoiceField(
        label="针对需协调事项", queryset=Problem.objects.none(), required=False, empty_label="（针对整个项目）"
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["units"].queryset = OrgUnit.objects.filter(region_id=project.region_id).exclude(
                kind=OrgUnit.Kind.CITY
            )
            self.fields["units"].widget.attrs.update({"data-choices": "", "data-placeholder": "选择责任单位"})
            self.fields["problem"].queryset = project.problems.filter(status=Problem.Status.OPEN)
