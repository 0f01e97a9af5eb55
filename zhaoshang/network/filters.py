import django_filters

from zhaoshang.core.filters import BusinessFilterSet, single_select

from .models import Activity, Agreement, Event, Intermediary, OfficeProfile, SisterCity


class OfficeFilter(BusinessFilterSet):
    search_fields = ("name", "city", "coverage")
    ordering = ("id",)

    class Meta:
        model = OfficeProfile
        fields = ["q", "org_unit"]


class ActivityFilter(BusinessFilterSet):
    kind = django_filters.ChoiceFilter(
        label="类型", choices=Activity.Kind.choices, empty_label="全部", widget=single_select()
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="日期从")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="日期至")
    search_fields = ("topic", "enterprise_name", "people_met")
    ordering = ("-date", "-id")

    class Meta:
        model = Activity
        fields = ["q", "kind", "org_unit", "date_after", "date_before"]


class IntermediaryFilter(BusinessFilterSet):
    kind = django_filters.ChoiceFilter(
        label="类型", choices=Intermediary.Kind.choices, empty_label="全部", widget=single_select()
    )
    search_fields = ("name", "country", "profile")
    ordering = ("name", "id")

    class Meta:
        model = Intermediary
        fields = ["q", "kind", "org_unit"]


class AgreementFilter(BusinessFilterSet):
    search_fields = ("name", "intermediary__name", "scope_chains", "scope_countries")
    ordering = ("-starts_on", "-id")

    class Meta:
        model = Agreement
        fields = ["q", "org_unit"]


class SisterCityFilter(BusinessFilterSet):
    search_fields = ("name", "country", "industry_note")
    ordering = ("id",)

    class Meta:
        model = SisterCity
        fields = ["q", "org_unit"]


class EventFilter(BusinessFilterSet):
    kind = django_filters.ChoiceFilter(
        label="类型", choices=Event.Kind.choices, empty_label="全部", widget=single_select()
    )
    search_fields = ("name", "organiser", "place")
    ordering = ("-date", "-id")

    class Meta:
        model = Event
        fields = ["q", "kind", "org_unit"]
