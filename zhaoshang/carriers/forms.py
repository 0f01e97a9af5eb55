from django import forms
from django.db.models import Q

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import parsers
from zhaoshang.core.forms import DATE_INPUT, BusinessForm, TablerFormMixin

from .models import Carrier

FIELDS = [
    "kind",
    "name",
    "code",
    "status",
    "parent",
    "town",
    "address",
    "latitude",
    "longitude",
    "area_mu",
    "is_standard_land",
    "land_use",
    "plot_ratio_min",
    "plot_ratio_max",
    "building_density",
    "green_ratio",
    "height_limit_m",
    "price_wan_per_mu",
    "rent_yuan_m2_month",
    "available_from",
    "industry_focus",
    "power_kva",
    "water_t_day",
    "has_gas",
    "has_sewage",
    "has_5g",
    "floor_area_m2",
    "floors",
    "clear_height_m",
    "floor_load_kn",
    "column_spacing",
    "crane_tonnage",
    "has_dock",
    "contact_name",
    "note",
    "org_unit",
]


class CarrierForm(BusinessForm):
    contact_phone = forms.CharField(
        label="联系电话", required=False, max_length=30, help_text=f"{parsers.PHONE_HINT}；加密保存，页面显示为掩码"
    )

    class Meta:
        model = Carrier
        fields = FIELDS
        widgets = {"available_from": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        region = user.org_unit.region_id if user is not None and user.org_unit_id else None
        self.fields["town"].queryset = OrgUnit.objects.filter(
            Q(kind=OrgUnit.Kind.TOWN) | Q(kind=OrgUnit.Kind.ZONE), region_id=region
        ).order_by("path")
        parents = Carrier.objects.filter(region_id=region, kind__in=[Carrier.Kind.PARK, Carrier.Kind.BUILDING])
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("name")
        if self.instance.pk:
            self.fields["contact_phone"].help_text = f"当前 {self.instance.contact_phone_masked or '未填'}；留空不修改"

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone", "").strip()
        return parsers.form_clean(parsers.phone)(value) if value else ""

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "contact_phone")}
        if self.cleaned_data.get("contact_phone") or not self.instance.pk:
            data["contact_phone"] = self.cleaned_data.get("contact_phone", "")
        return data


class ReservationForm(TablerFormMixin, forms.Form):
    project = forms.IntegerField(label="项目编号（ID）", required=False, min_value=1)
    lead = forms.IntegerField(label="在谈线索编号（ID）", required=False, min_value=1)
    until = forms.DateField(label="预留至", widget=DATE_INPUT)
    note = forms.CharField(label="说明", required=False, max_length=200)


class MatchForm(TablerFormMixin, forms.Form):
    land_mu = forms.DecimalField(label="用地（亩）", required=False, min_value=0)
    floor_area_m2 = forms.DecimalField(label="厂房/楼宇面积（㎡）", required=False, min_value=0)
    power_kva = forms.IntegerField(label="用电（千伏安）", required=False, min_value=0)
    clear_height_m = forms.DecimalField(label="净高（米）", required=False, min_value=0)
    floor_load_kn = forms.DecimalField(label="楼面荷载（kN/㎡）", required=False, min_value=0)
    industry = forms.CharField(label="行业代码", required=False, max_length=5)
    budget_wan_per_mu = forms.DecimalField(label="可接受地价（万元/亩）", required=False, min_value=0)
    town = forms.CharField(label="意向镇街", required=False, max_length=30)
    accept_standard = forms.BooleanField(label="接受标准地承诺", required=False, initial=True)
