from decimal import Decimal

from tests.base import BusinessModelContract
from tests.testapp import services
from tests.testapp.models import Dossier


class TestDossier(BusinessModelContract):
    model = Dossier
    url_namespace = "testapp"
    api_path = "/api/v1/test-dossiers"
    list_queries = 12  # + the 所属单位 choices of the common filters

    def create_data(self):
        return {"name": "海亮集团档案", "amount": Decimal("1200.50")}

    def form_data(self):
        return {"name": "万安科技档案", "amount": "300.00", "note": "", "org_unit": ""}

    def api_create_data(self):
        return {"name": "新宜中国数字装备档案", "amount": "500000.00"}

    def api_update_data(self):
        return {"name": "新宜中国数字装备智慧供应链产业园档案"}

    def service_create(self, actor, data):
        return services.dossier_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.dossier_update(actor=actor, dossier=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.dossier_delete(actor=actor, dossier=obj, version=version)

    def service_restore(self, actor, pk):
        return services.dossier_restore(actor=actor, pk=pk)
