from zhaoshang.core.forms import BusinessForm
from zhaoshang.core.views import generic

from .filters import DossierFilter
from .models import Dossier


class DossierForm(BusinessForm):
    class Meta:
        model = Dossier
        fields = ["name", "amount", "note", "org_unit"]


class DossierMixin:
    model = Dossier
    url_namespace = "testapp"


class DossierListView(DossierMixin, generic.ObjectListView):
    filterset_class = DossierFilter
    columns = [("name", "名称"), ("amount", "金额（万元）"), ("org_unit", "所属单位")]


class DossierDetailView(DossierMixin, generic.ObjectDetailView):
    fields = ["name", "amount", "note", "org_unit"]


class DossierEditView(DossierMixin, generic.ObjectEditView):
    form_class = DossierForm


class DossierDeleteView(DossierMixin, generic.ObjectDeleteView):
    pass
