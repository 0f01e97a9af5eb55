import django_filters

from zhaoshang.core.filters import BusinessFilterSet

from .models import Calculation, Clause, Commitment, Fulfilment, Policy


class PolicyFilter(BusinessFilterSet):
    search_fields = ("title", "number", "issuer", "summary")
    ordering = ("-id",)
    status = django_filters.ChoiceFilter(label="状态", choices=Policy.Status.choices)
    level = django_filters.ChoiceFilter(label="层级", choices=Policy.Level.choices)

    class Meta:
        model = Policy
        fields = ["q", "status", "level", "org_unit", "created_after", "created_before"]


class ClauseFilter(BusinessFilterSet):
    search_fields = ("title", "article", "text")
    ordering = ("policy_id", "id")
    status = django_filters.ChoiceFilter(label="状态", choices=Clause.Status.choices)
    timing = django_filters.ChoiceFilter(label="兑现时点", choices=Clause.Timing.choices)
    policy = django_filters.NumberFilter(label="所属政策", field_name="policy_id")

    class Meta:
        model = Clause
        fields = ["q", "status", "timing", "policy", "org_unit", "created_after", "created_before"]


class CalculationFilter(BusinessFilterSet):
    search_fields = ("title", "note")
    ordering = ("-id",)
    project = django_filters.NumberFilter(label="项目", field_name="project_id")

    class Meta:
        model = Calculation
        fields = ["q", "project", "org_unit", "created_after", "created_before"]


class CommitmentFilter(BusinessFilterSet):
    search_fields = ("condition_text",)
    ordering = ("due_on", "id")
    status = django_filters.ChoiceFilter(label="状态", choices=Commitment.Status.choices)
    project = django_filters.NumberFilter(label="项目", field_name="project_id")

    class Meta:
        model = Commitment
        fields = ["q", "status", "project", "org_unit", "created_after", "created_before"]


class FulfilmentFilter(BusinessFilterSet):
    search_fields = ("title", "reason")
    ordering = ("due_on", "id")
    status = django_filters.ChoiceFilter(label="状态", choices=Fulfilment.Status.choices)
    kind = django_filters.ChoiceFilter(label="类型", choices=Fulfilment.Kind.choices)

    class Meta:
        model = Fulfilment
        fields = ["q", "status", "kind", "org_unit", "created_after", "created_before"]
