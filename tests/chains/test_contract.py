import pytest

from tests.base import BusinessModelContract
from zhaoshang.chains import services
from zhaoshang.chains.models import EnterpriseRelation
from zhaoshang.enterprises import services as enterprises


class TestEnterpriseRelation(BusinessModelContract):
    model = EnterpriseRelation
    url_namespace = "chains"
    api_path = "/api/v1/enterprise-relations"
    list_queries = 12
    text_field = "counterpart_name"

    @pytest.fixture(autouse=True)
    def _own_enterprise(self, users):
        self.own = enterprises.enterprise_create(actor=users["diankou"], data={"name": "诸暨市示例铜业有限公司"})

    def parent_data(self, owner):
        enterprise = enterprises.enterprise_create(actor=owner, data={"name": f"{owner.username}示例企业有限公司"})
        return {"enterprise": enterprise}

    def create_data(self):
        return {"kind": "subsidiary", "counterpart_name": "Hailiang America Corp.", "country": "美国"}

    def form_data(self):
        return {
            "enterprise": self.own.pk,
            "kind": "distributor",
            "counterpart": "",
            "counterpart_name": "Merbon USA LLC",
            "country": "美国",
            "note": "",
            "org_unit": "",
        }

    def api_create_data(self):
        return {
            "enterprise_id": self.own.pk,
            "kind": "shareholder",
            "counterpart_name": "某日本株式会社",
            "country": "日本",
        }

    def api_update_data(self):
        return {"counterpart_name": "某日本株式会社（更名）"}

    def service_create(self, actor, data):
        return services.relation_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.relation_update(actor=actor, relation=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.relation_delete(actor=actor, relation=obj, version=version)

    def service_restore(self, actor, pk):
        return services.relation_restore(actor=actor, pk=pk)
