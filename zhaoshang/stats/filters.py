"""The FilterSet of the FDI records list (外资记录): the drill-down behind a figure — page, export and API."""

import django_filters
from django import forms
from pydantic import Field

from zhaoshang.core.filters import BusinessFilterSet

from .models import FDIRecord

NOT_GIVEN = "未填写"  # the country of a record without one, as the breakdown names it


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class FDIRecordFilter(BusinessFilterSet):
    kind = django_filters.ChoiceFilter(
        label="类型", choices=FDIRecord.Kind.choices, error_messages={"invalid_choice": "类型应为 actual 或 contract"}
    )
    year = IntegerFilter(label="年份", field_name="date", lookup_expr="year", min_value=0)
    month = IntegerFilter(label="月份", method="filter_month", min_value=0)
    # Any value but "false" means yes, as the figures' drill-down links have always said it (``cumulative=1``).
    cumulative = django_filters.BooleanFilter(
        label="累计（1 月至该月）",
        method="filter_noop",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    # The 利用外资 page's "按单位" rows count each unit's own records; their drill-down says so.
    own_unit = django_filters.BooleanFilter(
        label="仅本单位（不含下属单位）",
        method="filter_noop",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    country = django_filters.CharFilter(label="来源国家/地区", method="filter_country")
    form = django_filters.ChoiceFilter(
        label="方式",
        choices=FDIRecord.Form.choices,
        error_messages={"invalid_choice": "方式应为 new、increase、reinvest、merger 或 decrease"},
    )
    q = None  # the drill-down has no keywords

    query_bounds = {"month": (1, 12)}  # ``year`` is bounded by its lookup (core.filters)
    ordering = ("-date", "-id")
    page_size = 50
    page_sizes = (50,)
    api_page_size = 50
    # The API keeps the parameter types it has always had.
    api_types = {
        "kind": (str, Field("", description="actual | contract")),
        "year": (int | None, Field(None)),
        "month": (int | None, Field(None)),
        "cumulative": (bool, Field(False)),
        "own_unit": (bool, Field(False, description="org_unit 只计该单位本身，不含下属单位")),
        "country": (str, Field("")),
        "form": (str, Field("", description="new | increase | reinvest | merger | decrease")),
    }

    class Meta:
        model = FDIRecord
        fields = [
            "kind",
            "year",
            "month",
            "cumulative",
            "own_unit",
            "country",
            "form",
            "org_unit",
            "created_after",
            "created_before",
        ]

    def filter_month(self, queryset, name, value):
        """The month, or with ``cumulative`` months 1 to it."""
        if self.form.cleaned_data.get("cumulative"):
            return queryset.filter(date__month__lte=value)
        return queryset.filter(date__month=value)

    def filter_org_unit(self, queryset, name, unit):
        """The unit and its sub-units; with ``own_unit`` the unit alone."""
        if self.form.cleaned_data.get("own_unit"):
            return queryset.filter(org_unit=unit)
        return super().filter_org_unit(queryset, name, unit)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country="" if value == NOT_GIVEN else value)
