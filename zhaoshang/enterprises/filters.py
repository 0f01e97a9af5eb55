"""The one FilterSet of the enterprise list: page, API, export and statistics share it."""

import django_filters
from django import forms
from django.db.models import Q

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.models import Tag

from .models import PROVINCES, Enterprise

SORTS = {
    "name": "name",
    "-name": "-name",
    "established": "established_on",
    "-established": "-established_on",
    "capital": "registered_capital",
    "-capital": "-registered_capital",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def _multi(placeholder: str = "全部") -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"data-choices": "", "data-placeholder": placeholder, "class": "form-select"})


def _single() -> forms.Select:
    return forms.Select(attrs={"data-choices": "", "class": "form-select"})


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_noop")
    industry = django_filters.CharFilter(
        label="行业代码", method="filter_industry", help_text="门类字母或大类、中类、小类代码"
    )
    tag = django_filters.ModelMultipleChoiceFilter(
        label="标签", field_name="tags", queryset=Tag.objects.all(), conjoined=False, widget=_multi()
    )
    kind = django_filters.MultipleChoiceFilter(label="企业类型", choices=Enterprise.Kind.choices, widget=_multi())
    origin = django_filters.MultipleChoiceFilter(label="资本来源", choices=Enterprise.Origin.choices, widget=_multi())
    scale = django_filters.MultipleChoiceFilter(label="企业规模", choices=Enterprise.Scale.choices, widget=_multi())
    province = django_filters.ChoiceFilter(
        label="所在省份", choices=[(p, p) for p in PROVINCES], empty_label="全部", widget=_single()
    )
    org_unit = django_filters.ModelChoiceFilter(
        label="所属单位", queryset=OrgUnit.objects.all(), method="filter_org_unit", empty_label="全部", widget=_single()
    )
    sort = django_filters.ChoiceFilter(label="排序", method="filter_noop", choices=[(k, k) for k in SORTS])

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "tag", "kind", "origin", "scale", "province", "org_unit", "sort"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.org_unit_id:
            self.filters["org_unit"].queryset = OrgUnit.objects.filter(region_id=user.org_unit.region_id)

    def filter_noop(self, queryset, name, value):
        return queryset  # applied by the selector (search ranking, ordering)

    def filter_industry(self, queryset, name, value):
        value = value.strip().upper()
        if not value:
            return queryset
        if value.isalpha():
            return queryset.filter(industry__section=value)
        return queryset.filter(industry__code__startswith=value)

    def filter_org_unit(self, queryset, name, unit):
        return queryset.filter(Q(org_unit__path__startswith=unit.path))
