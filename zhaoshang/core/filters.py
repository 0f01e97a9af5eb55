"""Filters: the base every business list's FilterSet subclasses, and the audit lists' filters.

``BusinessFilterSet`` carries what every business list has — ``q`` (keywords; a subclass says how in
``filter_q`` or lists ``search_fields``), ``org_unit`` (the unit and its subtree, choices limited to the
user's county), ``industry`` (GB/T 4754 section letter or code prefix; only where the model has an
``industry``) and the created range — and the list's settings: default ``ordering``, named ``sorts``,
``page_size`` and ``page_sizes`` of the page, ``api_page_size`` of the API. The page, the API schema
(``api.lists.filter_schema``), exports and statistics all read the same FilterSet.
"""

import operator
from functools import reduce

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from . import parsers
from .models import ObjectChange, SecurityEvent
from .parsers import industry_filter_q

_date = forms.DateInput(attrs={"type": "date", "class": "form-control"})


def multi_select(placeholder: str = "全部") -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"data-choices": "", "data-placeholder": placeholder, "class": "form-select"})


def single_select() -> forms.Select:
    return forms.Select(attrs={"data-choices": "", "class": "form-select"})


# --- the query guard: every integer and date parameter range-checked before any query ---------------------------

_LOOKUP_BOUNDS = {"year": (parsers.YEAR_MIN, parsers.YEAR_MAX), "month": (1, 12), "day": (1, 31)}


class _GuardedForm(forms.Form):
    """A FilterSet's form that checks every integer, id and date value with ``core.parsers`` before the fields
    clean them: a 20-digit id or ``year=0`` is a message on the field (422 in the API, the form on a page),
    never a database error. ``bounds`` (name → (min, max)) comes from the FilterSet."""

    bounds: dict[str, tuple[int, int]] = {}

    def _guard(self, name: str, field, raw) -> str | None:
        values = raw if isinstance(raw, list | tuple) else [raw]
        values = [v for v in values if v not in (None, "")]
        try:
            for value in values:
                if isinstance(value, str):
                    parsers.clean_text(value)  # control characters refused (the field cleans the rest)
                if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                    if field.to_field_name is None and field.queryset.model._meta.pk.get_internal_type().endswith(
                        "AutoField"
                    ):
                        parsers.record_id(value)
                elif isinstance(field, forms.IntegerField):
                    low, high = self.bounds.get(name, (-parsers.BIGINT_MAX, parsers.BIGINT_MAX))
                    parsers.integer(value, minimum=low, maximum=high)
                elif isinstance(field, forms.DateField):
                    try:
                        parsed = field.to_python(value)
                    except ValidationError:
                        continue  # the field's own message
                    if parsed is not None:
                        parsers.calendar_date(parsed)
        except parsers.ParseError as exc:
            return str(exc)
        return None

    def _clean_fields(self):
        refused = {}
        for name, bound in self._bound_items():
            if not bound.field.disabled and (message := self._guard(name, bound.field, bound.data)):
                refused[name] = message
        order = list(self.fields)
        kept = {name: self.fields.pop(name) for name in refused}
        try:
            super()._clean_fields()
        finally:
            self.fields.update(kept)
            self.fields = {name: self.fields[name] for name in order}
        for name, message in refused.items():
            self.add_error(name, message)


class GuardedFilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the platform (lists, exports, API list parameters): its form runs the
    query guard. ``query_bounds`` (filter name → (min, max)) narrows an integer filter; filters on a
    ``year``/``month``/``day`` lookup get calendar bounds without saying so."""

    query_bounds: dict[str, tuple[int, int]] = {}

    def get_form_class(self):
        base = super().get_form_class()
        bounds = {}
        for name, flt in self.filters.items():
            lookup = str(flt.lookup_expr or "").rsplit("__", 1)[-1]
            if lookup in _LOOKUP_BOUNDS:
                bounds[name] = _LOOKUP_BOUNDS[lookup]
        bounds.update(self.query_bounds)
        return type(base.__name__, (_GuardedForm, base), {"bounds": bounds})


class BusinessFilterSet(GuardedFilterSet):
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    org_unit = django_filters.ModelChoiceFilter(
        label="所属单位", queryset=None, method="filter_org_unit", empty_label="全部", widget=single_select()
    )
    industry = django_filters.CharFilter(
        label="行业代码", method="filter_industry", help_text="门类字母或大类、中类、小类代码"
    )
    created_after = django_filters.DateFilter(
        label="登记日期起", field_name="created_at", lookup_expr="date__gte", widget=_date
    )
    created_before = django_filters.DateFilter(
        label="登记日期止", field_name="created_at", lookup_expr="date__lte", widget=_date
    )

    # List settings (read by the page, the API and exports).
    ordering: tuple[str, ...] = ("-id",)
    sorts: dict[str, tuple[str, ...]] = {}
    page_size = 25
    page_sizes: tuple[int, ...] = (25, 50, 100)
    api_page_size = 20
    search_fields: tuple[str, ...] = ()
    # Limits of the API's query parameters (the schema is derived from the filters).
    api_max_length = {"q": 100, "industry": 4}

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        if "org_unit" in self.filters:
            unit_model = self._meta.model._meta.get_field("org_unit").related_model
            region = user.org_unit.region_id if user is not None and user.org_unit_id else None
            self.filters["org_unit"].queryset = unit_model.objects.filter(region_id=region)

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model_fields = {f.name for f in cls._meta.model._meta.get_fields()} if cls._meta.model else set()
        own_industry = filters.get("industry") is not None and filters["industry"].method == "filter_industry"
        if own_industry and "industry" not in model_fields:
            del filters["industry"]
        return filters

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(reduce(operator.or_, (Q(**{f"{f}__icontains": value}) for f in self.search_fields)))

    def filter_noop(self, queryset, name, value):
        return queryset  # applied by the selector (ranking, ordering, views)

    def filter_org_unit(self, queryset, name, unit):
        subtree = type(unit).objects.filter(path__startswith=unit.path).values("id")  # a subquery, no extra query
        return queryset.filter(org_unit_id__in=subtree)

    def filter_industry(self, queryset, name, value):
        condition = industry_filter_q(value)
        return queryset if condition is None else queryset.filter(condition)

    def order(self, queryset):
        """The chosen named sort (``sort``) or the list's default ordering; ``id`` breaks ties."""
        sort = self.form.cleaned_data.get("sort") if "sort" in self.filters and self.is_valid() else ""
        fields = self.sorts.get(sort) or self.ordering
        if "id" not in fields and "-id" not in fields:
            fields = (*fields, "-id")
        return queryset.order_by(*fields)


class SecurityEventFilter(GuardedFilterSet):
    username = django_filters.CharFilter(
        label="用户名",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "用户名"}),
    )
    kind = django_filters.ChoiceFilter(
        label="事件",
        choices=SecurityEvent.Kind.choices,
        empty_label="全部事件",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    success = django_filters.BooleanFilter(
        label="结果",
        widget=forms.Select(
            attrs={"class": "form-select"}, choices=[("", "全部结果"), ("true", "成功"), ("false", "失败")]
        ),
    )
    since = django_filters.DateFilter(label="起始日期", field_name="time", lookup_expr="date__gte", widget=_date)
    until = django_filters.DateFilter(label="截止日期", field_name="time", lookup_expr="date__lte", widget=_date)
    ip = django_filters.CharFilter(
        label="IP", widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "IP"})
    )

    class Meta:
        model = SecurityEvent
        fields = ["username", "kind", "success", "since", "until", "ip"]


class ObjectChangeFilter(GuardedFilterSet):
    actor_name = django_filters.CharFilter(
        label="操作人",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "操作人"}),
    )
    action = django_filters.ChoiceFilter(
        label="操作",
        choices=ObjectChange.Action.choices,
        empty_label="全部操作",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    object_repr = django_filters.CharFilter(
        label="对象",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "对象名称"}),
    )
    since = django_filters.DateFilter(label="起始日期", field_name="time", lookup_expr="date__gte", widget=_date)
    until = django_filters.DateFilter(label="截止日期", field_name="time", lookup_expr="date__lte", widget=_date)
    request_id = django_filters.CharFilter(
        label="请求编号", widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "请求编号"})
    )

    class Meta:
        model = ObjectChange
        fields = ["actor_name", "action", "object_repr", "since", "until", "request_id"]
