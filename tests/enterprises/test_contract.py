from tests.base import BusinessModelContract
from zhaoshang.enterprises.models import Enterprise


class TestEnterprisePagesAndApi(BusinessModelContract):
    model = Enterprise
    url_namespace = "enterprises"
    api_path = "/api/v1/enterprises"
    list_queries = 15

    def create_data(self):
        return {"name": "浙江示例智能装备有限公司", "kind": "target", "origin": "domestic"}

    def form_data(self):
        return {
            "name": "诸暨示例铜业有限公司",
            "credit_code": "",
            "kind": "local",
            "origin": "domestic",
            "org_unit": "",
        }

    def api_create_data(self):
        return {"name": "新宜中国数字装备有限公司", "kind": "target"}

    def api_update_data(self):
        return {"name": "新宜中国数字装备智慧供应链有限公司"}
