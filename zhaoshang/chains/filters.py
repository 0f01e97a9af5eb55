import django_filters

from zhaoshang.core.filters import BusinessFilterSet

from .models import Chain, EnterpriseRelation


class ChainFilter(BusinessFilterSet):
    search_fields = ("name", "description")
    ordering = ("sort_order", "id")
    kind = django_filters.ChoiceFilter(label="类型", choices=Chain.Kind.choices, empty_label="全部")

    class Meta:
        model = Chain
        fields = ["q", "kind"]

    @classmethod
    def get_filters(cls):
        """A chain is the county's reference data: no owning unit, no registration dates to filter by."""
        filters = super().get_filters()
        for name in ("org_unit", "created_after", "created_before"):
            filters.pop(name, None)
        return filters


class RelationFilter(BusinessFilterSet):
    search_fields = ("counterpart_name", "country", "note")
    ordering = ("-id",)
    kind = django_filters.ChoiceFilter(label="关系", choices=EnterpriseRelation.Kind.choices, empty_label="全部")
    foreign = django_filters.BooleanFilter(label="仅涉外", method="filter_foreign")

    class Meta:
        model = EnterpriseRelation
        fields = ["q", "kind", "foreign", "org_unit", "created_after", "created_before"]

    def filter_foreign(self, queryset, name, value):
        if value is None:
            return queryset
        domestic = queryset.filter(country__in=["", "中国", "中国大陆"])
        return queryset.exclude(pk__in=domestic.values("pk")) if value else domestic
