import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit

from .models import Lead


def _multi() -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"data-choices": "", "data-placeholder": "全部", "class": "form-select"})


class LeadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    status = django_filters.MultipleChoiceFilter(label="状态", choices=Lead.Status.choices, widget=_multi())
    source = django_filters.MultipleChoiceFilter(label="来源渠道", choices=Lead.Source.choices, widget=_multi())
    grade = django_filters.MultipleChoiceFilter(label="等级", choices=Lead.Grade.choices, widget=_multi())
    org_unit = django_filters.ModelChoiceFilter(
        label="跟进单位",
        queryset=OrgUnit.objects.all(),
        empty_label="全部",
        method="filter_org_unit",
        widget=forms.Select(attrs={"data-choices": "", "class": "form-select"}),
    )
    industry = django_filters.CharFilter(label="行业代码", method="filter_industry")
    followup_due = django_filters.BooleanFilter(
        label="跟进已到期", method="filter_due", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    class Meta:
        model = Lead
        fields = ["q", "status", "source", "grade", "org_unit", "industry", "followup_due"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.org_unit_id:
            self.filters["org_unit"].queryset = OrgUnit.objects.filter(region_id=user.org_unit.region_id)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(enterprise_name__icontains=value) | Q(code__icontains=value)
        )

    def filter_org_unit(self, queryset, name, unit):
        return queryset.filter(org_unit_id__in=unit.subtree_ids())

    def filter_industry(self, queryset, name, value):
        value = value.strip().upper()
        if not value:
            return queryset
        if value.isalpha():
            return queryset.filter(industry__section=value)
        return queryset.filter(industry__code__startswith=value)

    def filter_due(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(next_followup_on__lte=timezone.localdate(), status__in=Lead.OPEN_STATUSES)
