import django_filters
from django import forms

from .models import ObjectChange, SecurityEvent

_date = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class SecurityEventFilter(django_filters.FilterSet):
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


class ObjectChangeFilter(django_filters.FilterSet):
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
