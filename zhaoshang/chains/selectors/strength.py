"""Strength and gaps per node: local enterprises (count, registered capital, 规上 and tagged), projects in the
pipeline and landed, FDI enterprises — for the county and for one town — and the status 强 / 弱 / 缺 against the
county's thresholds, with the action it calls for (强链 / 补链 / 延链) and the reason in words.

Counts are aggregates and every officer of the county sees the county's; a town's officer also sees its own
town's. Which enterprises stand behind a number (the node panel) is read through the owning app's scope.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q

from zhaoshang.enterprises import selectors as enterprises
from zhaoshang.leads import selectors as leads
from zhaoshang.projects import selectors as projects

from ..models import Chain, NodeLink
from ..services.config import settings_for

KEY_TAGS = frozenset(
    {"世界500强", "中国500强", "民营500强", "上市", "专精特新", "专精特新“小巨人”", "独角兽", "高新技术企业", "链主"}
)
LARGE_SCALES = frozenset({"large", "medium"})  # 规上 (规模以上工业企业) as the library records it: 大型 / 中型
FOREIGN = frozenset({"foreign", "hmt"})
STRONG, WEAK, MISSING = "强", "弱", "缺"


ENTERPRISE_TOTALS = ("enterprises", "capital", "large", "tagged", "large_or_tagged", "fdi")


@dataclass
class Counts:
    """A node's numbers: the local enterprises' totals (from the database's aggregate), and the projects and
    leads (few: counted from their ids)."""

    enterprises: int = 0
    capital: Decimal = Decimal("0")
    large: int = 0
    tagged: int = 0
    large_or_tagged: int = 0
    fdi: int = 0
    pipeline: set = field(default_factory=set)
    landed: set = field(default_factory=set)
    leads: set = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "enterprises": self.enterprises,
            "capital": Decimal(self.capital).quantize(Decimal("0.01")),
            "large": self.large,
            "tagged": self.tagged,
            "fdi": self.fdi,
            "pipeline": len(self.pipeline),
            "landed": len(self.landed),
            "leads": len(self.leads),
        }


def accepted(links, threshold: float):
    """Links that count: confirmed ones, and automatic ones shown as 自动 (at or above the county's threshold)."""
    return links.filter(Q(state=NodeLink.State.CONFIRMED) | Q(state=NodeLink.State.AUTO, confidence__gte=threshold))


def local_among(region_id: int, ids: set[int], chunk: int = 5000) -> set[int]:
    """The local enterprises among ``ids`` (by primary key, a chunk at a time: never a scan of the library)."""
    ordered, found = sorted(ids), set()
    for start in range(0, len(ordered), chunk):
        part = ordered[start : start + chunk]
        rows = enterprises.region_enterprise_ids(region_id=region_id, kind="local").filter(pk__in=part)
        found.update(rows.values_list("pk", flat=True))
    return found


def _rollup_pairs(chain: Chain, threshold: float, depth: int):
    """One row per counted enterprise link of a local enterprise: the enterprise, its node and the node's
    ancestors (``g0`` the node, ``g1`` its parent …) — a node counts its own and its descendants' enterprises.
    The chain's links are read once; the non-local are left out here by primary key."""
    local = enterprises.region_enterprise_ids(region_id=chain.region_id, kind="local").filter(pk=OuterRef("subject_id"))
    links = accepted(NodeLink.objects.filter(chain=chain, subject=NodeLink.Subject.ENTERPRISE), threshold)
    columns = {f"g{up}": F("node" + "__parent" * up) for up in range(depth)}
    return links.filter(Exists(local)).annotate(eid=F("subject_id"), **columns).values("eid", *columns)


def _enterprise_totals(chain: Chain, threshold: float, by_id: dict, town_units: set[int]) -> dict[int, dict]:
    """node id → the local enterprise totals of the node and its descendants (county, and ``town_*`` for the
    town's units): one aggregate query in the database, no enterprise read into Python."""
    depth = max((len(_self_and_ancestors(pk, by_id)) for pk in by_id), default=1)
    return enterprises.local_totals_by_group(
        region_id=chain.region_id,
        pairs=_rollup_pairs(chain, threshold, depth),
        groups=[f"g{up}" for up in range(depth)],
        large_scales=LARGE_SCALES,
        foreign_origins=FOREIGN,
        key_tags=KEY_TAGS,
        unit_ids=sorted(town_units),
    )


def enterprise_totals_by_profiles(chain: Chain, threshold: float, by_id: dict, town_units: set[int]) -> dict:
    """The same totals as ``_enterprise_totals`` computed in Python from each linked enterprise's profile: the
    former path, kept as the reference the aggregate is tested against (tests/chains/test_strength.py)."""
    links = accepted(NodeLink.objects.filter(chain=chain, subject=NodeLink.Subject.ENTERPRISE), threshold)
    linked = list(links.values_list("node_id", "subject_id"))
    local = local_among(chain.region_id, {pk for _, pk in linked})
    profiles = enterprises.enterprise_profiles(ids=local)
    sets: dict[int, dict[str, set]] = {}
    capital: dict[tuple[int, str], Decimal] = {}
    for node_id, pk in linked:
        profile = profiles.get(pk)
        if profile is None:
            continue
        for t in _self_and_ancestors(node_id, by_id):
            for prefix, take in (("", True), ("town_", profile["org_unit_id"] in town_units)):
                bucket = sets.setdefault(t, {})
                seen = bucket.setdefault(prefix + "enterprises", set())
                if not take or pk in seen:
                    continue
                seen.add(pk)
                capital[(t, prefix)] = capital.get((t, prefix), Decimal("0")) + (
                    profile["registered_capital"] or Decimal("0")
                )
                large = profile["scale"] in LARGE_SCALES
                tagged = bool(KEY_TAGS & set(profile["tags"]))
                for key, flag in (
                    ("large", large),
                    ("tagged", tagged),
                    ("large_or_tagged", large or tagged),
                    ("fdi", profile["origin"] in FOREIGN),
                ):
                    if flag:
                        bucket.setdefault(prefix + key, set()).add(pk)
    out = {}
    for t, bucket in sets.items():
        row = {}
        for prefix in ("", "town_") if town_units else ("",):
            for key in ENTERPRISE_TOTALS:
                row[prefix + key] = (
                    capital.get((t, prefix), Decimal("0")) if key == "capital" else len(bucket.get(prefix + key, ()))
                )
        out[t] = row
    return out


def _subjects(chain: Chain, threshold: float) -> dict[str, dict[int, set[int]]]:
    """subject → node id → subject ids, of the chain's counted lead and project links."""
    links = accepted(NodeLink.objects.filter(chain=chain), threshold)
    out: dict[str, dict[int, set[int]]] = {}
    for subject in ("lead", "project"):
        out[subject] = {}
        for node_id, pk in links.filter(subject=subject).values_list("node_id", "subject_id"):
            out[subject].setdefault(node_id, set()).add(pk)
    return out


def chain_strength(*, chain: Chain, town=None, by_profiles: bool = False) -> dict:
    """{"nodes": [...], "settings": …, "town": town} — per node: tree fields, county counts, town counts (when a town
    is given), status, action and reason. Counts roll up: a node counts its own and its descendants' subjects.
    The enterprises' totals are one aggregate in the database (``by_profiles``: the Python reference path)."""
    settings = settings_for(chain.region_id)
    nodes = list(
        chain.nodes.order_by("level", "sort_order", "id").values("id", "code", "name", "parent_id", "segment", "level")
    )
    town_units = set(town.subtree_ids()) if town is not None else set()
    by_id = {n["id"]: n for n in nodes}
    totals = (enterprise_totals_by_profiles if by_profiles else _enterprise_totals)(
        chain, settings.auto_confidence, by_id, town_units
    )
    subjects = _subjects(chain, settings.auto_confidence)
    project_ids = set().union(*subjects["project"].values()) if subjects["project"] else set()
    lead_ids = set().union(*subjects["lead"].values()) if subjects["lead"] else set()
    project_rows = (
        {p["id"]: p for p in projects.project_facts(region_id=chain.region_id, ids=project_ids)} if project_ids else {}
    )
    lead_rows = {r["id"]: r for r in leads.lead_facts(region_id=chain.region_id, ids=lead_ids)} if lead_ids else {}
    county, local = {}, {}
    for node in nodes:
        row = totals.get(node["id"], {})
        county[node["id"]] = Counts(**{k: row.get(k, 0) for k in ENTERPRISE_TOTALS})
        local[node["id"]] = Counts(**{k: row.get(f"town_{k}", 0) for k in ENTERPRISE_TOTALS})
    for node in nodes:
        targets = _self_and_ancestors(node["id"], by_id)
        for pk in subjects["project"].get(node["id"], ()):
            row = project_rows.get(pk)
            if row is None or row["is_dormant"]:
                continue
            in_town = row["town_id"] in town_units or (row["town_id"] is None and row["org_unit_id"] in town_units)
            for t in targets:
                for counts, take in ((county[t], True), (local[t], in_town)):
                    if take:
                        (counts.landed if row["landed"] else counts.pipeline).add(pk)
        for pk in subjects["lead"].get(node["id"], ()):
            row = lead_rows.get(pk)
            if row is None or not row["open"]:
                continue
            for t in targets:
                county[t].leads.add(pk)
                if row["org_unit_id"] in town_units:
                    local[t].leads.add(pk)
    return {
        "nodes": _classify_nodes(chain, nodes, county, local if town is not None else None, settings),
        "settings": settings,
        "town": town,
    }


def _self_and_ancestors(pk: int, by_id: dict) -> list[int]:
    out = []
    while pk is not None:
        out.append(pk)
        pk = by_id[pk]["parent_id"]
    return out


def _status(counts: Counts, settings) -> str:
    n = counts.enterprises
    if n >= settings.strong_count or (n and counts.large_or_tagged >= settings.strong_large):
        return STRONG
    return WEAK if n >= settings.weak_count else MISSING


def _classify_nodes(chain, nodes, county, local, settings) -> list[dict]:
    """Status per node, then the action: 强 → 强链; 缺 at an end of the supply edges → 延链; 缺 or 弱 → 补链."""
    edges = list(chain.edges.values_list("source_id", "target_id"))
    has_in = {b for _, b in edges}
    has_out = {a for a, _ in edges}
    on_edges = has_in | has_out
    children = {n["parent_id"] for n in nodes if n["parent_id"]}
    status = {n["id"]: _status(county[n["id"]], settings) for n in nodes}
    names = {n["id"]: n["name"] for n in nodes}
    out = []
    for node in nodes:
        pk, counts = node["id"], county[node["id"]]
        c = counts.as_dict()
        st = status[pk]
        suppliers = [names[a] for a, b in edges if b == pk and status[a] != MISSING]
        buyers = [names[b] for a, b in edges if a == pk and status[b] != MISSING]
        is_end = pk not in children and (
            (pk in on_edges and (pk not in has_in or pk not in has_out))
            or (pk not in on_edges and node["segment"] != "midstream")
        )
        if st == STRONG:
            action = "强链"
            reason = (
                f"本地{c['enterprises']}家企业（规上{c['large']}家、重点标签{c['tagged']}家），"
                f"达到强链门槛（{settings.strong_count}家或规上/重点{settings.strong_large}家）：围绕链主深化配套、引进高端环节"
            )
        elif st == MISSING and is_end and node["level"] > 1:
            action = "延链"
            if pk in on_edges:
                side = "上游" if pk not in has_in else "下游"
            else:
                side = "上游" if node["segment"] == "upstream" else "下游"
            near = "、".join(buyers or suppliers)
            reason = f"链条端点尚无本地企业：向{side}延伸" + (f"，与本地已有的{near}衔接" if near else "")
        elif st == MISSING:
            action = "补链"
            gap = f"（{'、'.join(suppliers)}供给本节点，本节点供给{'、'.join(buyers)}）" if suppliers and buyers else ""
            reason = f"本地无企业，链条在此断开{gap}：优先招引"
        else:
            action = "补链"
            reason = f"本地仅{c['enterprises']}家企业，低于强链门槛{settings.strong_count}家：补强本环节"
        if c["pipeline"] or c["leads"]:
            reason += f"；在谈项目{c['pipeline']}个、在办线索{c['leads']}条"
        out.append(
            {
                **node,
                "status": st,
                "action": action,
                "reason": reason,
                "county": c,
                "town": local[pk].as_dict() if local is not None else None,
            }
        )
    return out
