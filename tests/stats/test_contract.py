from datetime import date
from decimal import Decimal

from django.urls import reverse

from tests.base import ApiListContract, CreateContract, ListPageContract, ScopeContract
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.stats import services
from zhaoshang.stats.models import FDIRecord


class TestFDIRecord(ListPageContract, ApiListContract, ScopeContract, CreateContract):
    """FDI records are listed by the records page (the drill-down behind the figures) and the API,
    and only ever added, each for an enterprise."""

    model = FDIRecord
    api_path = "/api/v1/fdi-records"
    list_queries = 12
    text_field = "country"

    def create_data(self):
        return {
            "date": date(2026, 3, 2),
            "kind": "actual",
            "form": "new",
            "amount": Decimal("800.00"),
            "country": "德国",
        }

    def parent_data(self, owner):
        return {"enterprise": enterprise_create(actor=owner, data={"name": f"{owner.username}示例外资企业有限公司"})}

    def list_url(self):
        return reverse("stats:records")

    def listed_ids(self, response):
        return [record.pk for record in response.context["page_obj"]]

    def service_create(self, actor, data):
        data = dict(data)
        return services.record_create(actor=actor, enterprise=data.pop("enterprise"), data=data)

    def test_api_create_for_enterprise_outside_scope_is_422_and_changes_nothing(self, users, other_county):
        from tests.factories import make_user

        foreign = self.parent_data(make_user("foreign", "officer", other_county.diankou))["enterprise"]
        data = {"date": "2026-03-02", "enterprise_id": foreign.pk, "kind": "actual", "form": "new", "amount": "800"}
        response = self.api_for(users["diankou"]).post(self.api_path, data, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["fields"] == {"enterprise_id": ["企业不存在或不在您的数据范围内"]}
        assert self.state() == ([], [])
