"""The one FilterSet of the project list: page, board, API, export and statistics share it."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit

from .models import Project, ProjectStage, Stage


def _multi(placeholder: str = "全部") -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"data-choices": "", "data-placeholder": placeholder, "class": "form-select"})


def _single() -> forms.Select:
    return forms.Select(attrs={"data-choices": "", "class": "form-select"})


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    stage = django_filters.ModelMultipleChoiceFilter(label="阶段", queryset=Stage.objects.all(), widget=_multi())
    grade = django_filters.MultipleChoiceFilter(label="等级", choices=Project.Grade.choices, widget=_multi())
    light = django_filters.MultipleChoiceFilter(label="预警灯", choices=Project.Light.choices, widget=_multi())
    town = django_filters.ModelChoiceFilter(
        label="落地镇街/园区", queryset=OrgUnit.objects.all(), empty_label="全部", widget=_single()
    )
    industry = django_filters.CharFilter(label="行业代码", method="filter_industry")
    org_unit = django_filters.ModelChoiceFilter(
        label="引进单位", queryset=OrgUnit.objects.all(), empty_label="全部", method="filter_org_unit", widget=_single()
    )
    overdue = django_filters.BooleanFilter(
        label="阶段逾期", method="filter_overdue", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    include_dormant = django_filters.BooleanFilter(
        label="含已出库", method="filter_noop", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    class Meta:
        model = Project
        fields = ["q", "stage", "grade", "light", "town", "industry", "org_unit", "overdue", "include_dormant"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.org_unit_id:
            region = user.org_unit.region_id
            self.filters["stage"].queryset = Stage.objects.filter(region_id=region, is_active=True).order_by("order")
            self.filters["org_unit"].queryset = OrgUnit.objects.filter(region_id=region)
            self.filters["town"].queryset = OrgUnit.objects.filter(region_id=region, kind__in=["town", "zone"])

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("include_dormant")):
            queryset = queryset.filter(is_dormant=False)
        return queryset

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(investor__name__icontains=value))

    def filter_industry(self, queryset, name, value):
        value = value.strip().upper()
        if not value:
            return queryset
        if value.isalpha():
            return queryset.filter(industry__section=value)
        return queryset.filter(industry__code__startswith=value)

    def filter_org_unit(self, queryset, name, unit):
        return queryset.filter(org_unit_id__in=unit.subtree_ids())

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        late = ProjectStage.objects.filter(status="open", due_on__lt=timezone.localdate()).values("project_id")
        return queryset.filter(pk__in=late)
