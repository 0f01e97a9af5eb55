import django_filters

from zhaoshang.core.filters import BusinessFilterSet, multi_select

from .models import AdviserGroup, Expert, OpinionRequest, ResearchOrg, Review


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


class _CountyFilterSet(BusinessFilterSet):
    """A list of the county's reference records (no owning unit, no registration dates): keywords and the
    model's own filters only."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name in ("org_unit", "created_after", "created_before", "industry"):
            filters.pop(name, None)
        return filters


class ResearchOrgFilter(_CountyFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=ResearchOrg.Kind.choices, empty_label="全部")

    search_fields = ("name", "note")
    ordering = ("kind", "name")

    class Meta:
        model = ResearchOrg
        fields = ["q", "kind"]


class AdviserGroupFilter(_CountyFilterSet):
    search_fields = ("name", "description")
    ordering = ("name",)

    class Meta:
        model = AdviserGroup
        fields = ["q"]


class OpinionRequestFilter(_CountyFilterSet):
    group = django_filters.ModelChoiceFilter(label="顾问团", queryset=AdviserGroup.objects.none(), empty_label="全部")

    search_fields = ("question", "project__name")
    ordering = ("-requested_at",)

    class Meta:
        model = OpinionRequest
        fields = ["q", "group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.user.region_id if self.user is not None else None
        self.filters["group"].queryset = AdviserGroup.objects.filter(region_id=region)
