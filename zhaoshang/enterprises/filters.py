"""The one FilterSet of the enterprise list: page, API, export and statistics share it."""

import django_filters
from pydantic import Field

from zhaoshang.core.filters import BusinessFilterSet, multi_select, single_select
from zhaoshang.core.models import Tag

from .models import PROVINCES, Enterprise


class EnterpriseFilter(BusinessFilterSet):
    # ``q`` is not a condition here: the selector ranks the filtered rows by relevance (search.ranked_ids).
    q = django_filters.CharFilter(label="关键词", method="filter_noop")
    tag = django_filters.ModelMultipleChoiceFilter(
        label="标签", field_name="tags", queryset=Tag.objects.all(), conjoined=False, widget=multi_select()
    )
    kind = django_filters.MultipleChoiceFilter(label="企业类型", choices=Enterprise.Kind.choices, widget=multi_select())
    origin = django_filters.MultipleChoiceFilter(
        label="资本来源", choices=Enterprise.Origin.choices, widget=multi_select()
    )
    scale = django_filters.MultipleChoiceFilter(
        label="企业规模", choices=Enterprise.Scale.choices, widget=multi_select()
    )
    province = django_filters.ChoiceFilter(
        label="所在省份", choices=[(p, p) for p in PROVINCES], empty_label="全部", widget=single_select()
    )

    # List settings: the default order is the latest change first; ``sort`` names one of ``sorts``.
    ordering = ("-updated_at",)
    sorts = {
        "name": ("name",),
        "-name": ("-name",),
        "established": ("established_on",),
        "-established": ("-established_on",),
        "capital": ("registered_capital",),
        "-capital": ("-registered_capital",),
        "updated": ("updated_at",),
        "-updated": ("-updated_at",),
    }
    sort = django_filters.ChoiceFilter(label="排序", method="filter_noop", choices=[(k, k) for k in sorts])
    api_max_length = {**BusinessFilterSet.api_max_length, "province": 20, "sort": 20}
    api_types = {
        "q": (str, Field("", max_length=100, description="名称、简称、曾用名、英文名、拼音或首字母、经营范围、标签")),
    }

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "tag", "kind", "origin", "scale", "province", "org_unit", "sort"]
