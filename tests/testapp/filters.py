import django_filters
from django import forms

from .models import Dossier


class DossierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="名称",
        field_name="name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = Dossier
        fields = ["q"]
