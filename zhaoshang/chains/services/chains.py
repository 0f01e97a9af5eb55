"""Chains: the reference data, import/export, and the editor's writes (nodes, edges, keywords). Every write
stores the chain as a new ``ChainVersion`` and one change-log row."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import ValidationFailed

from ..graph import find_path
from ..models import Chain, ChainEdge, ChainNode, Segment
from .common import check_editor, save_version

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "chains.json"
NODE_FIELDS = ("name", "segment", "level", "description", "industry_codes", "keywords", "key_enterprise_names")


def read_reference(path: Path | str | None = None) -> dict:
    with open(path or REFERENCE_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _words(value, field: str, code: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(f"节点 {code} 的 {field} 应为字符串列表")
    return [v.strip() for v in value if v.strip()]


def validate_chain_data(data: dict) -> None:
    """Refuse a chain whose nodes or edges do not hold together (CHAINS_FORMAT), naming the first problem."""
    if not data.get("code") or not data.get("name"):
        raise ValidationFailed("产业链缺少代码或名称")
    nodes = data.get("nodes") or []
    codes = [n.get("code") for n in nodes]
    if len(set(codes)) != len(codes) or not all(codes):
        raise ValidationFailed("节点代码缺失或重复")
    known = set(codes)
    segments = set(Segment.values)
    for node in nodes:
        if node.get("parent") is not None and node["parent"] not in known:
            raise ValidationFailed(f"节点 {node['code']} 的上级节点 {node['parent']} 不存在")
        if node.get("segment") not in segments:
            raise ValidationFailed(f"节点 {node['code']} 的环节应为 upstream/midstream/downstream")
        if node.get("level") not in (1, 2, 3):
            raise ValidationFailed(f"节点 {node['code']} 的层级应为 1、2 或 3")
    adjacency: dict[str, list[str]] = {}
    for pair in data.get("edges") or []:
        if len(pair) != 2 or pair[0] not in known or pair[1] not in known:
            raise ValidationFailed(f"供应关系 {pair} 指向不存在的节点")
        path = find_path(adjacency, pair[1], pair[0])
        if path is not None or pair[0] == pair[1]:
            cycle = " → ".join([pair[0], *(path or [pair[1]])])
            raise ValidationFailed(f"供应关系形成循环：{cycle}")
        adjacency.setdefault(pair[0], []).append(pair[1])


def _unit_by_fragment(region: OrgUnit, fragment: str) -> OrgUnit | None:
    if not fragment:
        return None
    units = OrgUnit.objects.filter(region_id=region.pk, name__contains=fragment, is_active=True).order_by("depth", "id")
    return units.first()


def _unit(*, region: OrgUnit, value) -> OrgUnit | None:
    """A unit as the importers give it: resolved already (Excel) or a name, possibly a fragment (JSON)."""
    if isinstance(value, OrgUnit) or value is None:
        return value
    exact = OrgUnit.objects.filter(region_id=region.pk, name=value).first() if value else None
    return exact or _unit_by_fragment(region, value)


def _apply_nodes(chain: Chain, data: dict) -> None:
    """Make the chain's nodes and edges those of ``data``: nodes matched by code keep their id (and links)."""
    existing = {n.code: n for n in chain.nodes.all()}
    wanted = {n["code"]: n for n in data["nodes"]}
    by_code: dict[str, ChainNode] = {}
    for order, item in enumerate(data["nodes"]):
        node = existing.get(item["code"]) or ChainNode(chain=chain, code=item["code"])
        node.name = item["name"][:60]
        node.segment, node.level = item["segment"], item["level"]
        node.description = item.get("description") or ""
        node.industry_codes = _words(item.get("industry_codes"), "industry_codes", item["code"])
        node.keywords = _words(item.get("keywords"), "keywords", item["code"])
        node.key_enterprise_names = _words(item.get("key_enterprises"), "key_enterprises", item["code"])
        if "responsible_unit" in item:  # the JSON of the reference data names no unit per node: left as it is
            node.responsible_unit = _unit(region=chain.region, value=item["responsible_unit"])
        node.sort_order = order
        node.parent = None
        node.save()
        by_code[node.code] = node
    for item in data["nodes"]:
        if item.get("parent"):
            node = by_code[item["code"]]
            node.parent = by_code[item["parent"]]
            node.save(update_fields=["parent"])
    gone = [n.pk for code, n in existing.items() if code not in wanted]
    if gone:
        ChainNode.objects.filter(pk__in=gone).update(parent=None)
        ChainNode.objects.filter(pk__in=gone).delete()
    chain.edges.all().delete()
    ChainEdge.objects.bulk_create(
        ChainEdge(chain=chain, source=by_code[a], target=by_code[b]) for a, b in data.get("edges") or []
    )


def load_reference_chains(*, region: OrgUnit, actor=None, data: dict | None = None, replace: bool = False) -> dict:
    """Create the reference chains missing in ``region`` (a chain the county has already, edited or not, is
    left alone unless ``replace``). Returns {"created": n, "replaced": n, "kept": n}."""
    data = data if data is not None else read_reference()
    counts = {"created": 0, "replaced": 0, "kept": 0}
    for order, item in enumerate(data.get("chains") or []):
        validate_chain_data(item)
        with transaction.atomic():
            chain = Chain.objects.filter(region=region, code=item["code"]).first()
            if chain is not None and not replace:
                counts["kept"] += 1
                continue
            new = chain is None
            chain = chain or Chain(region=region, code=item["code"], sort_order=order)
            chain.name, chain.kind = item["name"][:60], item.get("kind") or Chain.Kind.STRATEGIC
            chain.description = item.get("description") or ""
            chain.leaders_note = (item.get("leaders_note") or "")[:200]
            chain.responsible_unit = _unit_by_fragment(region, item.get("responsible_unit") or "")
            chain.source_version = (data.get("version") or "")[:60]
            chain.save()
            _apply_nodes(chain, item)
            note = f"载入参考数据 {data.get('version', '')}"
            save_version(chain, actor, note, bump=not new)
            counts["created" if new else "replaced"] += 1
    return counts


def chain_import(*, actor, region: OrgUnit, data: dict, note: str = "导入链图") -> Chain:
    """Create or replace one chain from its JSON (the export's format); nodes with the same code keep their
    links. The previous version stays in the version history."""
    check_editor(actor, region_id=region.pk)
    validate_chain_data(data)
    with transaction.atomic():
        chain = Chain.objects.select_for_update().filter(region=region, code=data["code"]).first()
        new = chain is None
        chain = chain or Chain(region=region, code=data["code"])
        chain.name, chain.kind = data["name"][:60], data.get("kind") or Chain.Kind.STRATEGIC
        chain.description = data.get("description") or chain.description
        if data.get("responsible_unit"):
            chain.responsible_unit = _unit(region=region, value=data["responsible_unit"])
        chain.save()
        _apply_nodes(chain, data)
        save_version(chain, actor, note, bump=not new)
    return chain


def chain_update(*, actor, chain: Chain, data: dict[str, Any], masters=None) -> Chain:
    """Name, description, 链长, 牵头单位 and 链主 enterprises of a chain."""
    check_editor(actor, chain)
    allowed = {"name", "kind", "description", "leader", "leaders_note", "responsible_unit"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(fields={k: ["不允许修改该字段"] for k in unknown})
    with transaction.atomic():
        chain = Chain.objects.select_for_update().get(pk=chain.pk)
        for name, value in data.items():
            setattr(chain, name, value)
        chain.save()
        if masters is not None:
            chain.masters.set(masters)
        save_version(chain, actor, "修改产业链信息")
    return chain


# --- the editor: nodes and edges -------------------------------------------------------------------


def _locked(chain: Chain) -> Chain:
    return Chain.objects.select_for_update().get(pk=chain.pk)


def node_create(*, actor, chain: Chain, data: dict[str, Any]) -> ChainNode:
    check_editor(actor, chain)
    with transaction.atomic():
        chain = _locked(chain)
        parent = data.get("parent")
        if parent is not None and parent.chain_id != chain.pk:
            raise ValidationFailed(fields={"parent": ["上级节点须属于同一产业链"]})
        code = data.get("code") or f"{parent.code if parent else chain.code}.n{chain.nodes.count() + 1}"
        if chain.nodes.filter(code=code).exists():
            raise ValidationFailed(fields={"code": ["节点代码已存在"]})
        node = ChainNode(
            chain=chain,
            parent=parent,
            code=code,
            segment=parent.segment if parent else data.get("segment", Segment.MIDSTREAM),
            level=(parent.level + 1) if parent else 1,
            sort_order=chain.nodes.count(),
            **{k: v for k, v in data.items() if k in NODE_FIELDS and k not in ("segment", "level")},
        )
        if not node.name:
            raise ValidationFailed(fields={"name": ["请填写节点名称"]})
        node.save()
        save_version(chain, actor, f"新增节点「{node.name}」")
    return node


def node_update(*, actor, node: ChainNode, data: dict[str, Any]) -> ChainNode:
    """Name, description, classes, keywords, key enterprises (names) of a node."""
    check_editor(actor, node.chain)
    unknown = set(data) - {"name", "description", "industry_codes", "keywords", "key_enterprise_names"}
    if unknown:
        raise ValidationFailed(fields={k: ["不允许修改该字段"] for k in unknown})
    with transaction.atomic():
        chain = _locked(node.chain)
        node = ChainNode.objects.get(pk=node.pk)
        for name, value in data.items():
            setattr(node, name, value)
        node.save()
        save_version(chain, actor, f"修改节点「{node.name}」")
    return node


def node_move(*, actor, node: ChainNode, parent: ChainNode | None) -> ChainNode:
    """Put a node (and its subtree) under another parent of the same chain; never under itself."""
    check_editor(actor, node.chain)
    with transaction.atomic():
        chain = _locked(node.chain)
        node = ChainNode.objects.get(pk=node.pk)
        if parent is not None:
            if parent.chain_id != chain.pk:
                raise ValidationFailed(fields={"parent": ["上级节点须属于同一产业链"]})
            walk = parent
            while walk is not None:
                if walk.pk == node.pk:
                    raise ValidationFailed(fields={"parent": ["不能移到自身或其下级节点之下"]})
                walk = walk.parent
        node.parent = parent
        shift = (parent.level + 1 if parent else 1) - node.level
        segment = parent.segment if parent else node.segment
        node.level += shift
        node.segment = segment
        node.save()
        _relevel(node, shift, segment)
        save_version(chain, actor, f"移动节点「{node.name}」")
    return node


def _relevel(node: ChainNode, shift: int, segment: str) -> None:
    for child in node.children.all():
        child.level += shift
        child.segment = segment
        child.save(update_fields=["level", "segment"])
        _relevel(child, shift, segment)


def node_merge(*, actor, node: ChainNode, into: ChainNode) -> ChainNode:
    """Merge ``node`` into ``into``: keywords, classes, children, edges and links move; ``node`` is removed.
    A link already on ``into`` for the same subject keeps ``into``'s state (a rejection stays a rejection)."""
    check_editor(actor, node.chain)
    if into.chain_id != node.chain_id or into.pk == node.pk:
        raise ValidationFailed("只能合并同一产业链的两个不同节点")
    with transaction.atomic():
        chain = _locked(node.chain)
        node, into = ChainNode.objects.get(pk=node.pk), ChainNode.objects.get(pk=into.pk)
        walk = into
        while walk is not None:
            if walk.pk == node.pk:
                raise ValidationFailed("不能合并到自身的下级节点")
            walk = walk.parent
        for field in ("keywords", "industry_codes", "key_enterprise_names"):
            merged = list(getattr(into, field)) + [w for w in getattr(node, field) if w not in getattr(into, field)]
            setattr(into, field, merged)
        into.save()
        node.children.update(parent=into)
        _merge_edges(chain, node, into)
        taken = set(into.links.values_list("subject", "subject_id"))
        for link in node.links.all():
            if (link.subject, link.subject_id) not in taken:
                link.node = into
                link.save(update_fields=["node", "updated_at"])
        node.links.all().delete()
        name = node.name
        node.delete()
        save_version(chain, actor, f"将节点「{name}」合并入「{into.name}」")
    return into


def _merge_edges(chain: Chain, node: ChainNode, into: ChainNode) -> None:
    pairs = set(chain.edges.exclude(source=node).exclude(target=node).values_list("source_id", "target_id"))
    moved = [
        (into.pk if e.source_id == node.pk else e.source_id, into.pk if e.target_id == node.pk else e.target_id)
        for e in chain.edges.filter(source=node) | chain.edges.filter(target=node)
    ]
    chain.edges.filter(source=node).delete()
    chain.edges.filter(target=node).delete()
    adjacency = _adjacency(chain)
    for a, b in moved:
        if a == b or (a, b) in pairs or find_path(adjacency, b, a) is not None:
            continue  # an edge the merge would turn into a loop or a cycle is dropped
        ChainEdge.objects.create(chain=chain, source_id=a, target_id=b)
        pairs.add((a, b))
        adjacency.setdefault(a, []).append(b)


def node_delete(*, actor, node: ChainNode) -> None:
    check_editor(actor, node.chain)
    with transaction.atomic():
        chain = _locked(node.chain)
        if node.children.exists():
            raise ValidationFailed("请先删除或移走下级节点")
        name = node.name
        node.delete()
        save_version(chain, actor, f"删除节点「{name}」")


def _adjacency(chain: Chain) -> dict[int, list[int]]:
    adjacency: dict[int, list[int]] = {}
    for a, b in chain.edges.values_list("source_id", "target_id"):
        adjacency.setdefault(a, []).append(b)
    return adjacency


def edge_add(*, actor, source: ChainNode, target: ChainNode) -> ChainEdge:
    """``source`` supplies ``target``. Refused when it would close a cycle, naming the path that closes it."""
    check_editor(actor, source.chain)
    if source.chain_id != target.chain_id:
        raise ValidationFailed("供应关系的两端须属于同一产业链")
    with transaction.atomic():
        chain = _locked(source.chain)
        if source.pk == target.pk:
            raise ValidationFailed(f"供应关系形成循环：{source.name} → {source.name}")
        if chain.edges.filter(source=source, target=target).exists():
            raise ValidationFailed("该供应关系已存在")
        path = find_path(_adjacency(chain), target.pk, source.pk)
        if path is not None:
            names = dict(chain.nodes.filter(pk__in=path).values_list("pk", "name"))
            cycle = " → ".join([source.name, *(names[p] for p in path)])
            raise ValidationFailed(f"供应关系形成循环：{cycle}", extra={"cycle": [source.pk, *path]})
        edge = ChainEdge.objects.create(chain=chain, source=source, target=target)
        save_version(chain, actor, f"新增供应关系「{source.name} → {target.name}」")
    return edge


def edge_remove(*, actor, edge: ChainEdge) -> None:
    check_editor(actor, edge.chain)
    with transaction.atomic():
        chain = _locked(edge.chain)
        label = f"{edge.source.name} → {edge.target.name}"
        edge.delete()
        save_version(chain, actor, f"删除供应关系「{label}」")
