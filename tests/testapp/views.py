from zhaoshang.core.forms import BusinessForm
from zhaoshang.core.views import generic

from . import selectors, services
from .models import Dossier


class DossierForm(BusinessForm):
    class Meta:
        model = Dossier
        fields = ["name", "amount", "note", "org_unit"]


class DossierMixin:
    model = Dossier
    url_namespace = "testapp"
    object_selector = staticmethod(selectors.dossier_get)


class DossierListView(DossierMixin, generic.ObjectListView):
    selector = staticmethod(selectors.dossier_list)
    columns = [("name", "名称"), ("amount", "金额（万元）"), ("org_unit", "所属单位")]


class DossierDetailView(DossierMixin, generic.ObjectDetailView):
    fields = ["name", "amount", "note", "org_unit"]


class DossierEditView(DossierMixin, generic.ObjectEditView):
    form_class = DossierForm

    def create(self, form):
        return services.dossier_create(actor=self.request.user, data=self.form_data(form))

    def update(self, form):
        version = form.cleaned_data["version"]
        return services.dossier_update(
            actor=self.request.user, dossier=self.object, data=self.form_data(form), version=version
        )


class DossierDeleteView(DossierMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.dossier_delete(actor=self.request.user, dossier=obj, version=version)
