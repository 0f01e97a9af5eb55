from datetime import date
from decimal import Decimal

import pytest

from tests.base import (
    ApiListContract,
    BusinessModelContract,
    CreateContract,
    DeleteContract,
    DeleteRestoreContract,
    DetailPageContract,
    ListPageContract,
    ScopeContract,
    UpdateContract,
)
from tests.policies import helpers
from zhaoshang.policies import services
from zhaoshang.policies.models import Calculation, Clause, Commitment, Fulfilment, Policy

EXAMPLE = [{"name": "示例一", "inputs": {"investment": 60000}, "expected": "600"}]


class TestPolicy(BusinessModelContract):
    """Drafts (what the contract makes) stay in the owner's scope; 现行 policies are public in the county
    (tests/policies/test_library.py)."""

    model = Policy
    url_namespace = "policies"
    api_path = "/api/v1/policies"
    text_field = "title"
    list_queries = 12

    def create_data(self):
        return {"title": "诸暨市促进外资高质量发展若干政策", "number": "诸政发〔2026〕1号"}

    def form_data(self):
        return {"title": "诸暨市“1+9”产业政策", "level": "county", "status": "draft", "org_unit": ""}

    def api_create_data(self):
        return {"title": "关于加快智能视觉产业发展的专项政策", "level": "county"}

    def api_update_data(self):
        return {"title": "关于加快智能视觉产业发展的专项激励政策"}

    def service_create(self, actor, data):
        return services.policy_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.policy_update(actor=actor, policy=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.policy_delete(actor=actor, policy=obj, version=version)

    def service_restore(self, actor, pk):
        return services.policy_restore(actor=actor, pk=pk)


class TestClause(BusinessModelContract):
    model = Clause
    url_namespace = "policies"
    api_path = "/api/v1/policies/clauses"
    text_field = "title"
    list_queries = 12

    def create_data(self):
        return {"article": "第三条", "title": "外资落户奖励", "formula": "investment * 0.01", "examples": EXAMPLE}

    def parent_data(self, owner):
        policy = services.policy_create(actor=owner, data={"title": f"外资政策（{owner.username}）"})
        return {"policy": policy}

    @pytest.fixture(autouse=True)
    def _policy_owner(self, users):
        self._owner, self._policy = users["diankou"], None

    def policy(self):
        if self._policy is None:
            self._policy = services.policy_create(actor=self._owner, data={"title": "店口镇招商政策"})
        return self._policy

    def form_data(self):
        return {
            "policy": str(self.policy().pk),
            "article": "第四条",
            "title": "亩均税收奖励",
            "formula": "min(land_mu * 2, 100)",
            "condition": "",
            "examples": "",
            "timing": "signing",
            "installments": "1",
        }

    def api_create_data(self):
        return {
            "policy_id": self.policy().pk,
            "article": "第五条",
            "title": "外资到资奖励",
            "formula": "foreign_actual_usd * 0.02",
        }

    def api_update_data(self):
        return {"title": "外资实际到资奖励"}

    def service_create(self, actor, data):
        return services.clause_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.clause_update(actor=actor, clause=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.clause_delete(actor=actor, clause=obj, version=version)

    def service_restore(self, actor, pk):
        return services.clause_restore(actor=actor, pk=pk)


class TestCalculation(
    ScopeContract,
    ListPageContract,
    DetailPageContract,
    CreateContract,
    UpdateContract,
    DeleteRestoreContract,
    ApiListContract,
):
    """Saved in the calculator (no add page): the services and the list, detail and scope."""

    model = Calculation
    url_namespace = "policies"
    api_path = "/api/v1/policies/calculations"
    text_field = "title"
    list_queries = 12

    def create_data(self):
        return {"title": "精密轴承项目政策测算"}

    def parent_data(self, owner):
        return {"project": helpers.project(owner)} if owner.has_capability("business.change") else {}

    def service_create(self, actor, data):
        data = dict(data)
        values = {"investment": Decimal("60000")}
        return services.calculation_save(actor=actor, project=data.pop("project", None), values=values, **data)

    def service_update(self, actor, obj, data, version):
        return services.calculation_update(actor=actor, calculation=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.calculation_delete(actor=actor, calculation=obj, version=version)

    def service_restore(self, actor, pk):
        return services.calculation_restore(actor=actor, pk=pk)


class _Payable:
    """A published clause paid by the actor's own unit and a project of the actor's unit."""

    def parent_data(self, owner):
        return {"owner": owner}

    def commitment(self, actor, owner, project_name="德国精密轴承外资项目", **data):
        clause = helpers.published_clause(owner, paying_department=owner.org_unit)
        project = helpers.project(owner, name=project_name)
        values = {"amount": Decimal("600"), "due_on": date(2026, 1, 1), "condition_text": "签约即兑现", **data}
        return services.commitment_create(actor=actor, project=project, clause=clause, data=values)


class TestCommitment(
    _Payable, ScopeContract, ListPageContract, DetailPageContract, CreateContract, UpdateContract, DeleteContract
):
    model = Commitment
    url_namespace = "policies"
    text_field = "condition_text"
    list_queries = 12

    def create_data(self):
        return {"condition_text": "达产后亩均税收不低于 30 万元"}

    def service_create(self, actor, data):
        data = dict(data)
        owner = data.pop("owner")
        return self.commitment(actor, owner, **data)

    def service_update(self, actor, obj, data, version):
        return services.commitment_update(actor=actor, commitment=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.commitment_delete(actor=actor, commitment=obj, version=version)


class TestFulfilment(
    _Payable,
    ScopeContract,
    ListPageContract,
    DetailPageContract,
    CreateContract,
    UpdateContract,
    DeleteContract,
    ApiListContract,
):
    """兑现 items are opened by the due check of a commitment, in the paying department."""

    model = Fulfilment
    url_namespace = "policies"
    api_path = "/api/v1/policies/fulfilments"
    text_field = "title"
    list_queries = 12

    def create_data(self):
        return {"title": "宁波精密轴承项目"}

    def service_create(self, actor, data):
        commitment = self.commitment(actor, data["owner"], project_name=data["title"])
        services.commitment_check(actor=actor, commitment=commitment, on=date(2026, 1, 5))
        return commitment.fulfilments.get()

    def service_update(self, actor, obj, data, version):
        return services.fulfilment_update(actor=actor, item=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.fulfilment_delete(actor=actor, item=obj, version=version)
