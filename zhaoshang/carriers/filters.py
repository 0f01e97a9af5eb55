import django_filters
from django import forms
from django.db.models import Q

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.filters import BusinessFilterSet, multi_select, single_select

from .models import Carrier


def _number():
    return forms.NumberInput(attrs={"class": "form-control", "min": "0"})


class CarrierFilter(BusinessFilterSet):
    kind = django_filters.MultipleChoiceFilter(label="类型", choices=Carrier.Kind.choices, widget=multi_select())
    status = django_filters.MultipleChoiceFilter(label="状态", choices=Carrier.Status.choices, widget=multi_select())
    town = django_filters.ModelChoiceFilter(
        label="所在镇街", queryset=OrgUnit.objects.none(), empty_label="全部", widget=single_select()
    )
    min_mu = django_filters.NumberFilter(
        label="面积不小于（亩）", field_name="area_mu", lookup_expr="gte", widget=_number()
    )
    max_mu = django_filters.NumberFilter(
        label="面积不大于（亩）", field_name="area_mu", lookup_expr="lte", widget=_number()
    )
    min_power = django_filters.NumberFilter(
        label="供电不少于（千伏安）", field_name="power_kva", lookup_expr="gte", widget=_number()
    )
    standard = django_filters.BooleanFilter(
        label="标准地",
        field_name="is_standard_land",
        method="filter_standard",
        widget=forms.Select(attrs={"class": "form-select"}, choices=[("", "全部"), ("true", "仅标准地")]),
    )

    search_fields = ("name", "code", "address")
    ordering = ("-id",)
    sorts = {"area": ("-area_mu",), "price": ("price_wan_per_mu",)}
    api_max_length = {"q": 100}

    class Meta:
        model = Carrier
        fields = ["q", "kind", "status", "town", "org_unit", "min_mu", "max_mu", "min_power", "standard"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, user=user, **kwargs)
        region = user.org_unit.region_id if user is not None and user.org_unit_id else None
        self.filters["town"].queryset = OrgUnit.objects.filter(
            Q(kind=OrgUnit.Kind.TOWN) | Q(kind=OrgUnit.Kind.ZONE), region_id=region
        ).order_by("path")

    def filter_standard(self, queryset, name, value):
        return queryset.filter(is_standard_land=True) if value else queryset
