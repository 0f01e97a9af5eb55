from decimal import Decimal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.api.lists import list_endpoint
from zhaoshang.api.schemas import ERRORS, ErrorOut
from zhaoshang.core.errors import NotFound, PermissionDenied
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE, sees_region
from zhaoshang.enterprises import selectors as enterprises

from . import services
from .classify import classify
from .filters import ChainFilter, RelationFilter
from .models import EnterpriseRelation
from .selectors import chain_get, chain_list, chains_of, node_get, relation_get, relation_list
from .selectors.strength import chain_strength
from .selectors.targets import node_targets

router = Router(tags=["产业链"])
relations = Router(tags=["企业关系"])


class ChainOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    version: int


class ChainNodeCounts(Schema):
    enterprises: int
    capital: Decimal
    large: int
    tagged: int
    fdi: int
    pipeline: int
    landed: int
    leads: int


class ChainNodeOut(Schema):
    id: int
    code: str
    name: str
    segment: str
    level: int
    parent_id: int | None
    status: str
    action: str
    reason: str
    county: ChainNodeCounts
    town: ChainNodeCounts | None = None


class ChainDetailOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    version: int
    town: str | None = None
    nodes: list[ChainNodeOut]


class ChainClassifyIn(Schema):
    name: str = Field("", max_length=200)
    business_scope: str = Field("", max_length=5000)
    industry: str = Field("", max_length=4)


class ChainClassifyOut(Schema):
    chain: str
    node: str
    node_id: int
    confidence: float
    source: str


class ChainTargetEnterprise(Schema):
    id: int
    name: str


class ChainTargetFactor(Schema):
    name: str
    points: float


class ChainTargetOut(Schema):
    enterprise: ChainTargetEnterprise
    score: float
    factors: list[ChainTargetFactor]
    reason: str
    in_pipeline: bool


class ChainTargetLeadIn(Schema):
    enterprise_id: int
    unit_id: int | None = None


class ChainTargetLeadOut(Schema):
    id: int
    code: str
    title: str
    org_unit_id: int


list_endpoint(router, selector=chain_list, filterset=ChainFilter, out=ChainOut, summary="产业链列表", name="chain_list")


def town_of(user):
    """The user's own town (a town's officer sees its strength beside the county's), or None."""
    unit = user.org_unit
    return unit if unit is not None and not sees_region(user) and unit.kind in ("town", "zone") else None


@router.get("/{int:pk}", response={200: ChainDetailOut, **ERRORS}, summary="产业链节点与强弱")
def chain_detail(request, pk: int):
    chain = chain_get(user=request.user, pk=pk)
    town = town_of(request.user)
    result = chain_strength(chain=chain, town=town)
    return {
        "id": chain.pk,
        "code": chain.code,
        "name": chain.name,
        "kind": chain.kind,
        "version": chain.version,
        "town": town.name if town else None,
        "nodes": result["nodes"],
    }


@router.post("/classify", response={200: list[ChainClassifyOut], **ERRORS}, summary="企业归链")
def chain_classify(request, payload: ChainClassifyIn):
    if not chains_of(request.user).exists():
        return []
    return classify(
        region_id=request.user.org_unit.region_id,
        name=payload.name,
        business_scope=payload.business_scope,
        industry=payload.industry,
    )


@router.get("/nodes/{int:pk}/targets", response={200: list[ChainTargetOut], **ERRORS}, summary="招商靶向")
def node_target_list(request, pk: int, limit: int = Query(50, ge=1, le=200)):
    return node_targets(node=node_get(user=request.user, pk=pk), limit=limit)


@router.post("/nodes/{int:pk}/targets/lead", response={201: ChainTargetLeadOut, **ERRORS}, summary="靶向企业转线索")
def node_target_lead(request, pk: int, payload: ChainTargetLeadIn):
    node = node_get(user=request.user, pk=pk)
    unit = None
    if payload.unit_id is not None:
        unit = OrgUnit.objects.filter(pk=payload.unit_id, region_id=node.chain.region_id, is_active=True).first()
        if unit is None:
            raise NotFound()
    lead = services.target_to_lead(actor=request.user, node=node, enterprise_id=payload.enterprise_id, unit=unit)
    return Status(201, lead)


# --- enterprise relations (对内深挖) ----------------------------------------------------------------


class EnterpriseRelationOut(Schema):
    id: int
    enterprise_id: int
    kind: str
    counterpart_id: int | None
    counterpart_name: str
    country: str
    org_unit_id: int
    version: int


class EnterpriseRelationIn(Schema):
    enterprise_id: int
    kind: EnterpriseRelation.Kind
    counterpart_name: str = Field(min_length=1, max_length=200)
    counterpart_id: int | None = None
    country: str = Field("", max_length=40)
    note: str = Field("", max_length=200)


class EnterpriseRelationPatch(Schema):
    kind: EnterpriseRelation.Kind | None = None
    counterpart_name: str | None = Field(default=None, min_length=1, max_length=200)
    country: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=200)
    version: int


list_endpoint(
    relations,
    selector=relation_list,
    filterset=RelationFilter,
    out=EnterpriseRelationOut,
    summary="企业关系列表",
    name="relation_list",
)


@relations.get("/{int:pk}", response={200: EnterpriseRelationOut, **ERRORS})
def relation_detail(request, pk: int):
    return relation_get(user=request.user, pk=pk)


def _visible(user, pk: int | None):
    if pk is None:
        return None
    found = enterprises.visible_enterprise(user=user, pk=pk)
    if found is None:
        raise NotFound()
    return found


@relations.post("", response={201: EnterpriseRelationOut, **ERRORS})
def relation_create(request, payload: EnterpriseRelationIn):
    if not request.user.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    data = payload.dict()
    data["enterprise"] = _visible(request.user, data.pop("enterprise_id"))
    counterpart_id = data.pop("counterpart_id")
    data["counterpart"] = _visible(request.user, counterpart_id) if counterpart_id else None
    return Status(201, services.relation_create(actor=request.user, data=data))


@relations.patch("/{int:pk}", response={200: EnterpriseRelationOut, 409: ErrorOut, **ERRORS})
def relation_update(request, pk: int, payload: EnterpriseRelationPatch):
    relation = relation_get(user=request.user, pk=pk, action=CHANGE)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return services.relation_update(actor=request.user, relation=relation, data=data, version=payload.version)


routers = [("/chains", router), ("/enterprise-relations", relations)]
