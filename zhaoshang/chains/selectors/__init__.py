"""Reads of the chains app: chains, nodes, links and relations in the user's region and scope."""

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import VIEW
from zhaoshang.enterprises import selectors as enterprises

from ..classify import classify, index_for
from ..filters import ChainFilter, RelationFilter
from ..models import Chain, ChainNode, EnterpriseRelation, NodeLink
from ..services.common import may_edit_chains

__all__ = [
    "chain_get",
    "chain_of_text",
    "chain_list",
    "chains_of",
    "fdi_relations",
    "node_get",
    "node_links",
    "relation_get",
    "relation_list",
]


def _region_id(user) -> int | None:
    if user is None or not user.is_authenticated or user.org_unit_id is None:
        return None
    if user.has_capability(Cap.VIEW_ASSIGNED_ONLY):
        return None  # an expert sees only what is assigned to them
    if user.has_capability(Cap.BUSINESS_VIEW) or may_edit_chains(user):
        return user.org_unit.region_id
    return None


def chains_of(user):
    """The chains of the user's county (everyone with business view sees the county's chain map)."""
    region = _region_id(user)
    return Chain.objects.filter(region_id=region) if region else Chain.objects.none()


def chain_list(*, user, filters) -> ListResult:
    return filtered_list(ChainFilter, chains_of(user).select_related("responsible_unit", "leader"), filters, user=user)


def chain_get(*, user, pk: int, action: str = VIEW) -> Chain:
    chain = chains_of(user).select_related("responsible_unit", "leader").filter(pk=pk).first()
    if chain is None or (action != VIEW and not may_edit_chains(user)):
        raise NotFound()
    return chain


def node_get(*, user, pk: int, action: str = VIEW) -> ChainNode:
    node = ChainNode.objects.filter(chain__in=chains_of(user), pk=pk).select_related("chain", "parent").first()
    if node is None or (action != VIEW and not may_edit_chains(user)):
        raise NotFound()
    return node


def node_links(*, node: ChainNode, subject: str = NodeLink.Subject.ENTERPRISE, states=None):
    links = NodeLink.objects.filter(node=node, subject=subject)
    return links.filter(state__in=states) if states else links


def relation_list(*, user, filters) -> ListResult:
    queryset = EnterpriseRelation.objects.restrict(user).select_related("org_unit", "enterprise")
    return filtered_list(RelationFilter, queryset, filters, user=user)


def relation_get(*, user, pk: int, action: str = VIEW) -> EnterpriseRelation:
    relation = EnterpriseRelation.objects.restrict(user, action).filter(pk=pk).select_related("enterprise").first()
    if relation is None:
        raise NotFound()
    return relation


def fdi_relations(*, user) -> list[EnterpriseRelation]:
    """Foreign-related relations of local enterprises in scope: FDI opportunities (返程投资 by overseas
    subsidiaries, 合资 with foreign distributors, 利润再投资 of foreign shareholders)."""
    region = _region_id(user)
    if region is None:
        return []
    local = enterprises.region_enterprise_ids(region_id=region, kind="local")
    rows = (
        EnterpriseRelation.objects.restrict(user)
        .filter(enterprise_id__in=local)
        .exclude(country__in=["", "中国", "中国大陆"])
        .select_related("enterprise", "org_unit")
        .order_by("enterprise__name", "kind")
    )
    return list(rows[:500])


LEAD_CHAIN_CONFIDENCE = 0.5


def chain_of_text(*, region_id: int, text: str) -> dict | None:
    """The chain of a free text (a lead's message) by the chain classifier: {"chain", "node", "confidence",
    "keyword"} for the best node at or above 0.5, else None. Used by the lead extractor (public read)."""
    if not text.strip() or not Chain.objects.filter(region_id=region_id).exists():
        return None
    hits = classify(region_id=region_id, business_scope=text, index=index_for(region_id))
    if not hits or hits[0]["confidence"] < LEAD_CHAIN_CONFIDENCE:
        return None
    best = hits[0]
    keyword = best["evidence"].split("“", 1)[1].split("”", 1)[0] if "“" in best["evidence"] else ""
    return {"chain": best["chain"], "node": best["node"], "confidence": best["confidence"], "keyword": keyword}
