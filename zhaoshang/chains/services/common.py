"""What every chains service shares: who may edit a chain, the version snapshot, the change-log row."""

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import PermissionDenied
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates

from ..models import Chain, ChainVersion


def may_edit_chains(user) -> bool:
    """The administrator (系统设置) and the officers of the 统筹单位 edit the county's chains."""
    return (
        user is not None and user.is_authenticated and (user.has_capability(Cap.MANAGE_SETTINGS) or coordinates(user))
    )


def check_editor(actor, chain: Chain | None = None, region_id: int | None = None) -> None:
    if not may_edit_chains(actor):
        raise PermissionDenied("只有系统管理员和投资促进中心可以编辑产业链")
    region = chain.region_id if chain is not None else region_id
    if actor.org_unit_id is not None and region is not None and actor.org_unit.region_id != region:
        raise PermissionDenied()


def chain_data(chain: Chain) -> dict:
    """The chain in the reference-data format (CHAINS_FORMAT: one item of ``chains``), nodes in tree order."""
    nodes = list(chain.nodes.select_related("parent", "responsible_unit").order_by("level", "sort_order", "id"))
    edges = chain.edges.select_related("source", "target").order_by("id")
    return {
        "code": chain.code,
        "name": chain.name,
        "kind": chain.kind,
        "description": chain.description,
        "responsible_unit": chain.responsible_unit.name if chain.responsible_unit_id else "",
        "leaders_note": chain.leaders_note,
        "nodes": [
            {
                "code": n.code,
                "parent": n.parent.code if n.parent_id else None,
                "name": n.name,
                "segment": n.segment,
                "level": n.level,
                "description": n.description,
                "industry_codes": list(n.industry_codes),
                "keywords": list(n.keywords),
                "key_enterprises": list(n.key_enterprise_names),
                "responsible_unit": n.responsible_unit.name if n.responsible_unit_id else "",
            }
            for n in nodes
        ],
        "edges": [[e.source.code, e.target.code] for e in edges],
    }


def save_version(chain: Chain, actor, note: str, *, bump: bool = True) -> ChainVersion:
    """Store the chain as it now is as a new version (the previous versions stay for past reports)."""
    before = snapshot(chain)
    if bump:
        chain.version += 1
        chain.save(update_fields=["version", "updated_at"])
    version = ChainVersion.objects.create(
        chain=chain, number=chain.version, data=chain_data(chain), note=note[:200], created_by=actor
    )
    log_change(
        actor=actor,
        obj=chain,
        action=ObjectChange.Action.UPDATE if bump else ObjectChange.Action.CREATE,
        before=before if bump else None,
        after={**snapshot(chain), "note": note},
    )
    return version
