import django_filters
from django import forms
from django.utils import timezone
from pydantic import Field

from zhaoshang.core.filters import BusinessFilterSet, multi_select

from .models import Lead

# Saved views of the list: the selector picks the rows they start from (the pool lies outside the scope).
VIEWS = {"all": "全部线索", "mine": "我的线索", "overdue": "超时未办", "pool": "待分派池"}
VIEW_MESSAGE = "视图应为 all、mine、overdue 或 pool"


class LeadFilter(BusinessFilterSet):
    view = django_filters.ChoiceFilter(
        label="视图",
        choices=list(VIEWS.items()),
        method="filter_noop",
        error_messages={"invalid_choice": VIEW_MESSAGE},
    )
    status = django_filters.MultipleChoiceFilter(label="状态", choices=Lead.Status.choices, widget=multi_select())
    source = django_filters.MultipleChoiceFilter(label="来源渠道", choices=Lead.Source.choices, widget=multi_select())
    grade = django_filters.MultipleChoiceFilter(label="等级", choices=Lead.Grade.choices, widget=multi_select())
    followup_due = django_filters.BooleanFilter(
        label="跟进已到期", method="filter_due", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    search_fields = ("title", "enterprise_name", "code")
    ordering = ("-registered_on", "-id")
    api_types = {"view": (str, Field("all", description="all | mine | overdue | pool"))}
    api_exclude = ("followup_due",)

    class Meta:
        model = Lead
        fields = [
            "view",
            "q",
            "status",
            "source",
            "grade",
            "org_unit",
            "industry",
            "followup_due",
            "created_after",
            "created_before",
        ]

    def filter_due(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(next_followup_on__lte=timezone.localdate(), status__in=Lead.OPEN_STATUSES)
