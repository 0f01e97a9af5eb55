from zhaoshang.core.filters import BusinessFilterSet

from .models import Dossier


class DossierFilter(BusinessFilterSet):
    search_fields = ("name", "note")
    ordering = ("-id",)

    class Meta:
        model = Dossier
        fields = ["q", "org_unit", "created_after", "created_before"]
