"""Policies and clauses made through the services, for the policy tests."""

from decimal import Decimal

from zhaoshang.policies import services
from zhaoshang.policies.models import Policy
from zhaoshang.projects import services as project_services

INVESTMENT_CONDITION = {"and": [{">=": [{"var": "investment"}, 5000]}]}


def current_policy(actor, title="诸暨市促进外资高质量发展若干政策", **extra):
    return services.policy_create(
        actor=actor, data={"title": title, "status": Policy.Status.CURRENT, "number": "诸政发〔2026〕1号", **extra}
    )


def published_clause(actor, policy=None, *, condition=None, formula="investment * 0.01", examples=None, **extra):
    policy = policy or current_policy(actor)
    clause = services.clause_create(
        actor=actor,
        data={
            "policy": policy,
            "article": extra.pop("article", "第三条"),
            "title": extra.pop("title", "外资落户奖励"),
            "condition": INVESTMENT_CONDITION if condition is None else condition,
            "formula": formula,
            "examples": examples or [{"name": "示例", "inputs": {"investment": 60000}, "expected": "600"}],
            **extra,
        },
    )
    return services.clause_publish(actor=actor, clause=clause, version=clause.version)


def project(actor, **data):
    values = {"name": "德国精密轴承外资项目", "total_investment": Decimal("60000"), "land_mu": Decimal("80"), **data}
    return project_services.project_create(actor=actor, data=values)
