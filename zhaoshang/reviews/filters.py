import django_filters

from zhaoshang.core.filters import BusinessFilterSet, multi_select

from .models import Expert, Review


class ExpertFilter(BusinessFilterSet):
    field = django_filters.CharFilter(label="专业领域（行业代码）", method="filter_field")
    is_available = django_filters.BooleanFilter(label="可参加研判")

    search_fields = ("name", "employer", "title", "speciality")
    ordering = ("name", "id")
    api_max_length = {"q": 100, "field": 4}

    class Meta:
        model = Expert
        fields = ["q", "field", "is_available", "org_unit"]

    def filter_field(self, queryset, name, value):
        value = value.strip().upper()
        if not value:
            return queryset
        if value.isalpha():
            return queryset.filter(industries__section=value).distinct()
        return queryset.filter(industries__code__startswith=value).distinct()


class ReviewFilter(BusinessFilterSet):
    status = django_filters.MultipleChoiceFilter(label="状态", choices=Review.Status.choices, widget=multi_select())

    search_fields = ("title",)
    ordering = ("-id",)

    class Meta:
        model = Review
        fields = ["q", "status", "org_unit", "created_after", "created_before"]
