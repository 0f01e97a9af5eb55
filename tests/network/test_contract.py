"""The shared contract (tests/base.py) for the 招商网络 records, driven by the network services."""

import datetime
from decimal import Decimal

import pytest

from tests.base import (
    BusinessModelContract,
    CreateContract,
    DeleteRestoreContract,
    DetailPageContract,
    EditPagesContract,
    ScopeContract,
    UpdateContract,
)
from zhaoshang.network import services
from zhaoshang.network.models import Activity, Agreement, Event, Intermediary, OfficeProfile, SisterCity

DAY = datetime.date(2026, 3, 2)


class TestOfficeProfile(
    ScopeContract, DetailPageContract, EditPagesContract, CreateContract, UpdateContract, DeleteRestoreContract
):
    """One profile per office unit (a database constraint), so the list and API contracts — which make many
    records in one unit — are replaced by tests/network/test_pages_and_api.py."""

    model = OfficeProfile
    url_namespace = "network"

    def create_data(self):
        return {"name": "上海办", "city": "上海", "coverage": "上海、江苏"}

    def form_data(self):
        return {
            "name": "北京办",
            "city": "北京",
            "coverage": "北京、天津",
            "staff": "",
            "address": "",
            "note": "",
            "org_unit": "",
        }

    def service_create(self, actor, data):
        return services.office_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.office_update(actor=actor, office=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.office_delete(actor=actor, office=obj, version=version)

    def service_restore(self, actor, pk):
        return services.office_restore(actor=actor, pk=pk)

    @pytest.fixture(autouse=True)
    def _office_units(self, users):
        # The add page offers units of kind office; the contract's officers work in 店口镇 and 大唐街道.
        for key in ("diankou", "datang"):
            unit = users[key].org_unit
            unit.kind = "office"
            unit.save(update_fields=["kind"])


class TestActivity(BusinessModelContract):
    model = Activity
    url_namespace = "network"
    api_path = "/api/v1/network/activities"
    text_field = "topic"
    list_queries = 12

    def create_data(self):
        return {
            "kind": "visit",
            "date": DAY,
            "topic": "拜访中科智感",
            "enterprise_name": "中科智感（北京）科技有限公司",
        }

    def form_data(self):
        return {
            "kind": "visit",
            "date": "2026-03-02",
            "topic": "拜访航天科宇",
            "enterprise_name": "",
            "people_met": "",
            "content": "",
            "next_step": "",
            "org_unit": "",
        }

    def api_create_data(self):
        return {"kind": "reception", "date": "2026-03-03", "topic": "接待世邦魏理仕来访"}

    def api_update_data(self):
        return {"topic": "接待世邦魏理仕来访（第二次）"}

    def service_create(self, actor, data):
        return services.activity_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.activity_update(actor=actor, activity=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.activity_delete(actor=actor, activity=obj, version=version)

    def service_restore(self, actor, pk):
        return services.activity_restore(actor=actor, pk=pk)


class TestIntermediary(BusinessModelContract):
    model = Intermediary
    url_namespace = "network"
    api_path = "/api/v1/network/intermediaries"
    list_queries = 12

    def create_data(self):
        return {"name": "世邦魏理仕", "kind": "consultancy", "country": "美国"}

    def form_data(self):
        return {
            "name": "仲量联行",
            "kind": "consultancy",
            "country": "英国",
            "status": "active",
            "contact_name": "",
            "profile": "",
            "phone": "",
            "org_unit": "",
        }

    def api_create_data(self):
        return {"name": "德国工商大会", "kind": "chamber", "country": "德国", "phone": "13812345678"}

    def api_update_data(self):
        return {"name": "德国工商大会上海代表处"}

    def service_create(self, actor, data):
        return services.intermediary_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.intermediary_update(actor=actor, intermediary=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.intermediary_delete(actor=actor, intermediary=obj, version=version)

    def service_restore(self, actor, pk):
        return services.intermediary_restore(actor=actor, pk=pk)


class TestAgreement(BusinessModelContract):
    model = Agreement
    url_namespace = "network"
    api_path = "/api/v1/network/agreements"
    list_queries = 12

    @pytest.fixture(autouse=True)
    def _users(self, users):
        self.users = users

    def _intermediary(self, owner):
        return services.intermediary_create(actor=owner, data={"name": "世邦魏理仕", "kind": "consultancy"})

    def create_data(self):
        return {
            "name": "委托招商协议",
            "starts_on": DAY,
            "ends_on": DAY.replace(year=2028),
            "reward_kind": "fixed",
            "fixed_amount": Decimal("20"),
        }

    def parent_data(self, owner):
        return {"intermediary": self._intermediary(owner)}

    def form_data(self):
        parent = self._intermediary(self.users["diankou"])
        return {
            "intermediary": parent.pk,
            "name": "欧洲招商委托",
            "scope_chains": "",
            "scope_countries": "",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "reward_kind": "share",
            "fixed_amount": "",
            "share_percent": "0.5",
            "condition": "signed",
            "within_months": "",
            "status": "active",
            "tiers_text": "",
            "org_unit": "",
        }

    def api_create_data(self):
        parent = self._intermediary(self.users["diankou"])
        return {
            "intermediary_id": parent.pk,
            "name": "北美招商委托",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "reward_kind": "tiers",
            "tiers": [["500", "10"], ["1000", "30"]],
            "condition": "fdi_arrived",
            "within_months": 24,
        }

    def api_update_data(self):
        return {"name": "北美招商委托（续签）"}

    def service_create(self, actor, data):
        return services.agreement_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.agreement_update(actor=actor, agreement=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.agreement_delete(actor=actor, agreement=obj, version=version)

    def service_restore(self, actor, pk):
        return services.agreement_restore(actor=actor, pk=pk)


class TestSisterCity(BusinessModelContract):
    model = SisterCity
    url_namespace = "network"
    api_path = "/api/v1/network/sister-cities"
    list_queries = 12

    def create_data(self):
        return {"name": "波里市", "country": "芬兰", "partner_department": "外事办"}

    def form_data(self):
        return {
            "name": "坦佩雷",
            "country": "芬兰",
            "relation": "friendship",
            "established_on": "",
            "relationship_status": "",
            "channel_status": "",
            "partner_department": "",
            "industry_note": "",
            "industry_codes": "",
            "org_unit": "",
        }

    def api_create_data(self):
        return {"name": "瓦萨", "country": "芬兰", "relation": "friendship"}

    def api_update_data(self):
        return {"name": "瓦萨市"}

    def service_create(self, actor, data):
        return services.sister_city_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.sister_city_update(actor=actor, city=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.sister_city_delete(actor=actor, city=obj, version=version)

    def service_restore(self, actor, pk):
        return services.sister_city_restore(actor=actor, pk=pk)


class TestEvent(BusinessModelContract):
    model = Event
    url_namespace = "network"
    api_path = "/api/v1/network/events"
    list_queries = 12

    def create_data(self):
        return {"name": "智能视觉产业推介会", "kind": "promotion", "date": DAY, "cost": Decimal("12")}

    def form_data(self):
        return {
            "name": "进博会",
            "kind": "fair",
            "organiser": "",
            "date": "2026-11-05",
            "place": "上海",
            "cost": "",
            "sister_city": "",
            "note": "",
            "org_unit": "",
        }

    def api_create_data(self):
        return {"name": "云招商直播", "kind": "online", "date": "2026-04-01"}

    def api_update_data(self):
        return {"name": "云招商直播（第二场）"}

    def service_create(self, actor, data):
        return services.event_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.event_update(actor=actor, event=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.event_delete(actor=actor, event=obj, version=version)

    def service_restore(self, actor, pk):
        return services.event_restore(actor=actor, pk=pk)
