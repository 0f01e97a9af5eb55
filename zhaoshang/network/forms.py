from django import forms

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import parsers
from zhaoshang.core.forms import DATE_INPUT, BusinessForm, TablerFormMixin
from zhaoshang.core.models import Industry
from zhaoshang.core.scope import coordinates

from .models import Activity, Agreement, Event, Intermediary, OfficeProfile, OfficeTarget, SisterCity


class OfficeForm(BusinessForm):
    class Meta:
        model = OfficeProfile
        fields = ["name", "org_unit", "city", "coverage", "staff", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and user.org_unit_id:
            units = OrgUnit.objects.filter(region_id=user.org_unit.region_id, kind="office")
            if not coordinates(user):
                units = units.filter(id__in=user.org_unit.subtree_ids())
            self.fields["org_unit"].queryset = units
            self.fields["org_unit"].label = "办事处单位"


class TargetForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = OfficeTarget
        fields = ["year", "new_leads", "valid_visits", "negotiating", "signed", "landed", "fdi_usd"]


class ActivityForm(BusinessForm):
    class Meta:
        model = Activity
        fields = ["kind", "date", "topic", "enterprise_name", "people_met", "content", "next_step", "org_unit"]
        widgets = {"date": DATE_INPUT, "content": forms.Textarea(attrs={"rows": 3})}


class IntermediaryForm(BusinessForm):
    phone = forms.CharField(label="联系电话", required=False, max_length=30, help_text="加密保存，页面显示为掩码")

    class Meta:
        model = Intermediary
        fields = ["name", "kind", "country", "status", "contact_name", "profile", "org_unit"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 3})}

    def clean_phone(self):
        return parsers.form_clean(parsers.phone)(self.cleaned_data.get("phone"))

    def business_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "phone")}


class AgreementForm(BusinessForm):
    tiers_text = forms.CharField(
        label="分档奖励", required=False, help_text="每行一档：到资下限（万美元）,奖励（万元），如 1000,20"
    )

    class Meta:
        model = Agreement
        fields = [
            "intermediary",
            "name",
            "scope_chains",
            "scope_countries",
            "starts_on",
            "ends_on",
            "reward_kind",
            "fixed_amount",
            "share_percent",
            "condition",
            "within_months",
            "status",
            "org_unit",
        ]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["tiers_text"].widget = forms.Textarea(attrs={"rows": 2})
        if user is not None:
            self.fields["intermediary"].queryset = Intermediary.objects.restrict(user)
        if self.instance.pk and self.instance.tiers:
            self.fields["tiers_text"].initial = "\n".join(f"{a},{b}" for a, b in self.instance.tiers)

    def clean_tiers_text(self):
        tiers = []
        for line in (self.cleaned_data.get("tiers_text") or "").splitlines():
            if not line.strip():
                continue
            parts = line.replace("，", ",").split(",")
            try:
                floor, amount = (parsers.amount(p) for p in parts)
            except (ValueError, parsers.ParseError) as exc:
                raise forms.ValidationError(f"“{line}”应写成 到资下限,奖励 两个数") from exc
            tiers.append([str(floor), str(amount)])
        return tiers

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "tiers_text")}
        data["tiers"] = self.cleaned_data.get("tiers_text") or []
        return data


class SisterCityForm(BusinessForm):
    industry_codes = forms.CharField(
        label="主导产业行业代码", required=False, help_text="GB/T 4754 代码，多个用逗号或空格分隔，如 3670 3841"
    )

    class Meta:
        model = SisterCity
        fields = [
            "name",
            "country",
            "relation",
            "established_on",
            "relationship_status",
            "channel_status",
            "partner_department",
            "industry_note",
            "org_unit",
        ]
        widgets = {"established_on": DATE_INPUT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            self.fields["industry_codes"].initial = " ".join(i.code for i in self.instance.industries.all())

    def clean_industry_codes(self):
        codes = (self.cleaned_data.get("industry_codes") or "").replace("，", ",").replace(",", " ").split()
        found = {i.code: i for i in Industry.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(parsers.industry_unknown_message(unknown[0]))
        return [found[c] for c in codes]

    def business_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "industry_codes")}


class EventForm(BusinessForm):
    class Meta:
        model = Event
        fields = ["name", "kind", "organiser", "date", "place", "cost", "sister_city", "note", "org_unit"]
        widgets = {"date": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["sister_city"].queryset = SisterCity.objects.restrict(user)


class SignInForm(TablerFormMixin, forms.Form):
    file = forms.FileField(label="签到表（Excel）")


class ReportForm(TablerFormMixin, forms.Form):
    text = forms.CharField(label="报告内容", widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)


class ReferralForm(TablerFormMixin, forms.Form):
    title = forms.CharField(label="线索名称", max_length=200)
    enterprise_name = forms.CharField(label="投资主体名称", max_length=200)
    investment_rmb = forms.DecimalField(
        label="预计投资（万元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    investment_fdi = forms.DecimalField(
        label="预计外资（万美元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    description = forms.CharField(label="线索描述", required=False, widget=forms.Textarea(attrs={"rows": 2}))
