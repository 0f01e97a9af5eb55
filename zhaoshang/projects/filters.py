"""The one FilterSet of the project list: page, board, API, export and statistics share it."""

import django_filters
from django import forms
from django.utils import timezone
from pydantic import Field

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.filters import BusinessFilterSet, multi_select, single_select

from .models import Project, ProjectStage, Stage


class ProjectFilter(BusinessFilterSet):
    stage = django_filters.ModelMultipleChoiceFilter(label="阶段", queryset=Stage.objects.all(), widget=multi_select())
    grade = django_filters.MultipleChoiceFilter(label="等级", choices=Project.Grade.choices, widget=multi_select())
    light = django_filters.MultipleChoiceFilter(label="预警灯", choices=Project.Light.choices, widget=multi_select())
    town = django_filters.ModelChoiceFilter(
        label="落地镇街/园区", queryset=OrgUnit.objects.all(), empty_label="全部", widget=single_select()
    )
    # A project's unit is the one that introduced it.
    org_unit = django_filters.ModelChoiceFilter(
        label="引进单位", queryset=None, method="filter_org_unit", empty_label="全部", widget=single_select()
    )
    overdue = django_filters.BooleanFilter(
        label="阶段逾期", method="filter_overdue", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    include_dormant = django_filters.BooleanFilter(
        label="含已出库", method="filter_noop", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    search_fields = ("name", "code", "investor__name")
    ordering = ("-id",)
    # The API keeps the enums it has always answered with; dormant projects stay out of it.
    api_types = {
        "grade": (list[Project.Grade], Field(default_factory=list)),
        "light": (list[Project.Light], Field(default_factory=list)),
    }
    api_exclude = ("include_dormant",)

    class Meta:
        model = Project
        fields = [
            "q",
            "stage",
            "grade",
            "light",
            "town",
            "industry",
            "org_unit",
            "overdue",
            "include_dormant",
            "created_after",
            "created_before",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and user.org_unit_id:
            region = user.org_unit.region_id
            self.filters["stage"].queryset = Stage.objects.filter(region_id=region, is_active=True).order_by("order")
            self.filters["town"].queryset = OrgUnit.objects.filter(region_id=region, kind__in=["town", "zone"])

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("include_dormant")):
            queryset = queryset.filter(is_dormant=False)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        late = ProjectStage.objects.filter(status="open", due_on__lt=timezone.localdate()).values("project_id")
        return queryset.filter(pk__in=late)
