from django import forms

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core import parsers
from zhaoshang.core.forms import DATE_INPUT, BusinessForm, TablerFormMixin
from zhaoshang.enterprises import selectors as enterprise_selectors

from .models import Lead, LeadFollowUp


class LeadForm(BusinessForm):
    industry_code = forms.CharField(label="行业代码（GB/T 4754）", required=False, max_length=4)
    phone = forms.CharField(
        label="联系电话", required=False, max_length=30, help_text=f"{parsers.PHONE_HINT}；加密保存，列表中显示为掩码"
    )
    to_pool = forms.BooleanField(label="放入待分派池（由投促中心分派或其他单位认领）", required=False)

    class Meta:
        model = Lead
        fields = [
            "title",
            "enterprise",
            "enterprise_name",
            "investor_country",
            "investor_province",
            "investor_city",
            "project_type",
            "investment_rmb",
            "investment_fdi",
            "land_mu",
            "floor_area",
            "preferred_town",
            "site_needs",
            "coordination",
            "source",
            "source_unit",
            "source_detail",
            "contact_name",
            "contact_title",
            "grade",
            "next_followup_on",
            "chain",
            "description",
        ]
        widgets = {
            "coordination": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "next_followup_on": DATE_INPUT,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        region = user.org_unit.region_id if user is not None and user.org_unit_id else None
        self.fields["enterprise"].queryset = enterprise_selectors.enterprise_choices(user=user)
        self.fields["enterprise"].widget.attrs.update(
            {"data-choices": "", "data-placeholder": "从企业库选择（可不选）"}
        )
        self.fields["enterprise_name"].widget.attrs.update(
            {
                "hx-post": "/leads/check/",
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#lead-check",
                "hx-include": "[name=enterprise_name],[name=exclude_id]",
            }
        )
        units = OrgUnit.objects.filter(region_id=region)
        self.fields["preferred_town"].queryset = units.filter(kind__in=["town", "zone"])
        self.fields["source_unit"].queryset = units
        if self.instance.pk:
            self.fields.pop("to_pool")
            if self.instance.industry_id:
                self.fields["industry_code"].initial = self.instance.industry.code

    def clean_industry_code(self):
        return parsers.form_clean(parsers.industry)(self.cleaned_data.get("industry_code"))

    def clean_phone(self):
        return parsers.form_clean(parsers.phone)(self.cleaned_data.get("phone"))

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "industry_code", "phone", "to_pool")}
        data["industry"] = self.cleaned_data.get("industry_code")
        return data


class FollowUpForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = LeadFollowUp
        fields = ["kind", "date", "our_side", "their_side", "summary", "outcome", "next_step", "next_date"]
        widgets = {
            "date": DATE_INPUT,
            "next_date": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "their_side": forms.TextInput(attrs={"placeholder": "对方人员"}),
            "our_side": forms.TextInput(attrs={"placeholder": "我方人员"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = LeadFollowUp.Kind.choices

    def clean_next_date(self):
        value = self.cleaned_data.get("next_date")
        return value and parsers.form_clean(parsers.upcoming_date)(value)


class AssignForm(TablerFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="分派给单位", queryset=OrgUnit.objects.none())
    owner = forms.ModelChoiceField(label="跟进人（可不选）", queryset=User.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.org_unit_id:
            region = user.org_unit.region_id
            self.fields["unit"].queryset = OrgUnit.objects.filter(region_id=region).exclude(kind="city")
            self.fields["owner"].queryset = User.objects.filter(
                org_unit__region_id=region, role="officer", is_active=True
            )
