from datetime import date

from django.urls import reverse

from tests.base import (
    BusinessModelContract,
    CreateContract,
    DeleteContract,
    ScopeContract,
    UpdateContract,
)
from zhaoshang.core.errors import NotFound
from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Contact, Enterprise, Signal


class TestEnterprise(BusinessModelContract):
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

    def service_create(self, actor, data):
        return services.enterprise_create(actor=actor, data=data, tags=[])

    def service_update(self, actor, obj, data, version):
        return services.enterprise_update(actor=actor, enterprise=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.enterprise_delete(actor=actor, enterprise=obj, version=version)

    def service_restore(self, actor, pk):
        return services.enterprise_restore(actor=actor, pk=pk)


class EnterprisePartContract:
    """Records that belong to an enterprise: made under an enterprise of the owner's unit and shown
    on that enterprise's page (context ``context_name``); ``create_service(*, actor, enterprise, data)``."""

    context_name = ""
    create_service = None

    def parent_data(self, owner):
        enterprise = services.enterprise_create(actor=owner, data={"name": f"{owner.username}示例企业有限公司"})
        return {"enterprise": enterprise}

    def page_ids(self, user, enterprise_id: int) -> set[int]:
        response = self.client_for(user).get(reverse("enterprises:enterprise_detail", args=[enterprise_id]))
        assert response.status_code in (200, 403, 404), response.status_code
        return {row.pk for row in response.context[self.context_name]} if response.status_code == 200 else set()

    def visible_ids(self, user, among):
        return set().union(*(self.page_ids(user, enterprise_id) for enterprise_id in {o.enterprise_id for o in among}))

    def service_create(self, actor, data):
        data = dict(data)
        return self.create_service(actor=actor, enterprise=data.pop("enterprise"), data=data)

    def add_url(self, enterprise) -> str:
        return reverse(f"enterprises:{self.model._meta.model_name}_add", args=[enterprise.pk])

    def test_add_on_enterprise_page_writes_one_record(self, users):
        enterprise = self.parent_data(users["diankou"])["enterprise"]
        response = self.client_for(users["diankou"]).post(self.add_url(enterprise), self.form_data())
        assert response.status_code == 302
        assert response["Location"] == enterprise.get_absolute_url() + f"?tab={self.context_name}"
        obj = self.model.objects.get()
        assert (obj.enterprise_id, obj.org_unit_id) == (enterprise.pk, enterprise.org_unit_id)
        assert self.actions(obj) == ["create"]

    def test_add_on_enterprise_page_outside_scope_is_404_and_changes_nothing(self, users):
        enterprise = self.parent_data(users["datang"])["enterprise"]
        response = self.client_for(users["diankou"]).post(self.add_url(enterprise), self.form_data())
        assert response.status_code == 404
        assert self.state() == ([], [])


class TestContact(EnterprisePartContract, ScopeContract, CreateContract, UpdateContract, DeleteContract):
    """Contacts are shown on their enterprise's page and listed by the API under the enterprise."""

    model = Contact
    context_name = "contacts"
    create_service = staticmethod(services.contact_create)
    refused_create_error = NotFound

    def create_data(self):
        return {"name": "王经理", "title": "总经理", "phone": "13912345678"}

    def form_data(self):
        return {"name": "李主任", "title": "办公室主任", "phone": "13812345678", "email": "", "wechat": "", "note": ""}

    def test_api_add_writes_one_record_with_masked_phone(self, users):
        enterprise = self.parent_data(users["diankou"])["enterprise"]
        response = self.api_for(users["diankou"]).post(
            f"/api/v1/enterprises/{enterprise.pk}/contacts", self.create_data(), content_type="application/json"
        )
        assert response.status_code == 201
        assert response.json()["phone"] == "139****5678"
        obj = self.model.objects.get()
        assert obj.reveal_phone() == "13912345678"
        assert self.actions(obj) == ["create"]

    def test_api_add_outside_scope_is_404_and_changes_nothing(self, users):
        enterprise = self.parent_data(users["datang"])["enterprise"]
        response = self.api_for(users["diankou"]).post(
            f"/api/v1/enterprises/{enterprise.pk}/contacts", self.create_data(), content_type="application/json"
        )
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert self.state() == ([], [])

    def api_ids(self, user, enterprise_id: int) -> set[int]:
        response = self.api_for(user).get(f"/api/v1/enterprises/{enterprise_id}/contacts")
        assert response.status_code in (200, 403, 404), response.status_code
        return {row["id"] for row in response.json()} if response.status_code == 200 else set()

    def page_ids(self, user, enterprise_id):
        shown = super().page_ids(user, enterprise_id)
        assert self.api_ids(user, enterprise_id) == shown
        return shown

    def service_update(self, actor, obj, data, version):
        return services.contact_update(actor=actor, contact=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.contact_delete(actor=actor, contact=obj, version=version)


class TestSignal(EnterprisePartContract, ScopeContract, CreateContract):
    """Signals are shown on their enterprise's page; they are only ever added."""

    model = Signal
    context_name = "signals"
    create_service = staticmethod(services.signal_create)
    text_field = "title"
    refused_create_error = NotFound

    def create_data(self):
        return {"kind": "financing", "occurred_on": date(2026, 3, 2), "title": "完成 B 轮融资"}

    def form_data(self):
        return {
            "kind": "branch",
            "occurred_on": "2026-03-05",
            "title": "在杭州新设研发中心",
            "amount": "",
            "source": "",
        }
