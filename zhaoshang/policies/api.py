"""The policy library's API: policies and clauses (list, detail, create, update), the rule check, the calculator,
saved calculations and 兑现 items (lists)."""

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.schemas import ERRORS, ErrorOut, InDate
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE

from . import calculation as calc
from . import selectors, services, specs
from .engine.conditions import describe_all
from .filters import CalculationFilter, ClauseFilter, FulfilmentFilter, PolicyFilter
from .models import Clause, Policy

router = Router(tags=["政策"])

MONEY = {"ge": 0, "max_digits": 14, "decimal_places": 2}


class PolicyOut(Schema):
    id: int
    number: str
    title: str
    issuer: str
    level: str
    status: str
    effective_from: date | None
    effective_to: date | None
    summary: str
    department_id: int | None
    org_unit_id: int
    version: int


class PolicyIn(Schema):
    number: str = Field(default="", max_length=60)
    title: str = Field(min_length=1, max_length=200)
    issuer: str = Field(default="", max_length=100)
    level: Policy.Level = Policy.Level.COUNTY
    status: Policy.Status = Policy.Status.DRAFT
    effective_from: InDate | None = None
    effective_to: InDate | None = None
    summary: str = ""


class PolicyPatch(Schema):
    number: str | None = Field(default=None, max_length=60)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    issuer: str | None = Field(default=None, max_length=100)
    level: Policy.Level | None = None
    status: Policy.Status | None = None
    effective_from: InDate | None = None
    effective_to: InDate | None = None
    summary: str | None = None
    version: int


class ClauseOut(Schema):
    id: int
    policy_id: int
    article: str
    title: str
    text: str
    condition: Any
    formula: str
    minimum: Decimal | None
    cap: Decimal | None
    yearly_cap: Decimal | None
    exclusivity_group: str
    timing: str
    installments: int
    paying_department_id: int | None
    materials: str
    examples: list
    examples_ok: bool
    status: str
    current_version_id: int | None
    org_unit_id: int
    version: int


class ClauseIn(Schema):
    policy_id: int
    article: str = Field(min_length=1, max_length=30)
    title: str = Field(min_length=1, max_length=100)
    text: str = ""
    condition: dict = Field(default_factory=dict)
    formula: str = Field(min_length=1, max_length=500)
    minimum: Decimal | None = Field(default=None, **MONEY)
    cap: Decimal | None = Field(default=None, **MONEY)
    yearly_cap: Decimal | None = Field(default=None, **MONEY)
    exclusivity_group: str = Field(default="", max_length=50)
    timing: Clause.Timing = Clause.Timing.SIGNING
    installments: int = Field(default=1, ge=1, le=10)
    materials: str = ""
    examples: list = Field(default_factory=list)


class ClausePatch(Schema):
    article: str | None = Field(default=None, min_length=1, max_length=30)
    title: str | None = Field(default=None, min_length=1, max_length=100)
    text: str | None = None
    condition: dict | None = None
    formula: str | None = Field(default=None, min_length=1, max_length=500)
    minimum: Decimal | None = Field(default=None, **MONEY)
    cap: Decimal | None = Field(default=None, **MONEY)
    yearly_cap: Decimal | None = Field(default=None, **MONEY)
    exclusivity_group: str | None = Field(default=None, max_length=50)
    timing: Clause.Timing | None = None
    installments: int | None = Field(default=None, ge=1, le=10)
    materials: str | None = None
    examples: list | None = None
    effective_from: InDate | None = None
    version: int


class RuleCheckIn(Schema):
    condition: Any = None
    formula: str = Field(default="0", max_length=2000)


class RuleCheckOut(Schema):
    valid: bool
    conditions: list[str]


class CalculateIn(Schema):
    project_id: int | None = None
    lead_id: int | None = None
    enterprise_id: int | None = None
    variables: dict[str, Any] = Field(default_factory=dict)


class PolicyClauseRef(Schema):
    id: int
    policy: str
    article: str
    title: str = ""
    version: int = 0


class PolicyConditionOut(Schema):
    text: str
    met: bool
    actual: str
    required: str
    gap: str = ""


class PolicyClauseResult(Schema):
    clause: PolicyClauseRef
    met: bool
    conditions: list[PolicyConditionOut]
    amount: str
    steps: list[str]
    capped: bool
    excluded: bool = False


class PolicyNearMiss(Schema):
    clause: PolicyClauseRef
    missing: list[PolicyConditionOut]


class CalculateOut(Schema):
    clauses: list[PolicyClauseResult]
    near_misses: list[PolicyNearMiss]
    total: str
    by_year: dict[str, str]


class CalculationOut(Schema):
    id: int
    title: str
    project_id: int | None
    total: Decimal | None
    org_unit_id: int
    version: int


class FulfilmentOut(Schema):
    id: int
    title: str
    kind: str
    amount: Decimal | None
    year: int
    due_on: date
    status: str
    org_unit_id: int
    version: int


list_endpoint(
    router,
    selector=selectors.policy_list,
    filterset=PolicyFilter,
    out=PolicyOut,
    summary="政策列表",
    name="policy_list",
)


@router.get("/{int:pk}", response={200: PolicyOut, **ERRORS}, summary="政策详情")
def policy_get(request, pk: int):
    return selectors.policy_get(user=request.user, pk=pk)


@router.post("", response={201: PolicyOut, **ERRORS}, summary="新建政策")
def policy_create(request, payload: PolicyIn):
    return Status(201, services.policy_create(actor=request.user, data=payload.dict()))


@router.patch("/{int:pk}", response={200: PolicyOut, 409: ErrorOut, **ERRORS}, summary="修改政策")
def policy_update(request, pk: int, payload: PolicyPatch):
    policy = selectors.policy_get(user=request.user, pk=pk, action=CHANGE)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return services.policy_update(actor=request.user, policy=policy, data=data, version=payload.version)


list_endpoint(
    router,
    selector=selectors.clause_list,
    filterset=ClauseFilter,
    out=ClauseOut,
    summary="政策条款列表",
    name="clause_list",
    path="/clauses",
)


@router.get("/clauses/{int:pk}", response={200: ClauseOut, **ERRORS}, summary="政策条款详情")
def clause_get(request, pk: int):
    return selectors.clause_get(user=request.user, pk=pk)


@router.post("/clauses", response={201: ClauseOut, **ERRORS}, summary="新建政策条款")
def clause_create(request, payload: ClauseIn):
    if not request.user.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    data = payload.dict()
    policy = selectors.policies_visible(request.user, CHANGE).filter(pk=data.pop("policy_id")).first()
    if policy is None:
        raise ValidationFailed(fields={"policy_id": ["所属政策不存在或不在您的数据范围内"]})
    return Status(201, services.clause_create(actor=request.user, data={**data, "policy": policy}))


@router.patch("/clauses/{int:pk}", response={200: ClauseOut, 409: ErrorOut, **ERRORS}, summary="修改政策条款")
def clause_update(request, pk: int, payload: ClausePatch):
    clause = selectors.clause_get(user=request.user, pk=pk, action=CHANGE)
    data = payload.dict(exclude_unset=True, exclude={"version", "effective_from"})
    return services.clause_update(
        actor=request.user, clause=clause, data=data, version=payload.version, effective_from=payload.effective_from
    )


@router.post("/clauses/validate", response={200: RuleCheckOut, **ERRORS}, summary="校验条件与公式")
def clause_validate(request, payload: RuleCheckIn):
    """200 when both are valid; 422 with ``position`` (a column of the formula or a path in the condition),
    ``field`` and ``reason`` otherwise."""
    catalogue = selectors.catalogue_for(request.user.region_id)
    parsed = specs.validate_rules(payload.condition or {}, payload.formula, catalogue)
    return {"valid": True, "conditions": describe_all(parsed, catalogue)}


@router.post("/calculate", response={200: CalculateOut, **ERRORS}, summary="政策计算器")
def calculate(request, payload: CalculateIn):
    values, _, project = calc.source_values(
        user=request.user, project_id=payload.project_id, lead_id=payload.lead_id, enterprise_id=payload.enterprise_id
    )
    region = project.region_id if project is not None else request.user.region_id
    given = calc.coerce(region, payload.variables)
    merged = {k: v for k, v in {**values, **given}.items() if v not in (None, "", [])}
    return calc.run(region_id=region, values=merged)


list_endpoint(
    router,
    selector=selectors.calculation_list,
    filterset=CalculationFilter,
    out=CalculationOut,
    summary="政策测算列表",
    name="calculation_list",
    path="/calculations",
)
list_endpoint(
    router,
    selector=selectors.fulfilment_list,
    filterset=FulfilmentFilter,
    out=FulfilmentOut,
    summary="兑现事项列表",
    name="fulfilment_list",
    path="/fulfilments",
)

routers = [("/policies", router)]
