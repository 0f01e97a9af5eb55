"""A sister city's industries against the county's chains: overlap (same GB/T 4754 class, or the same group of
classes) and gaps, each explained.

The chains come through ``ChainSource``: today the center's chains as industry classes (the lead extractor's
chain keywords); once the chains app exists, its nodes — only ``county_chains`` changes (this app never imports
the chains app's models)."""

from dataclasses import dataclass, field

from zhaoshang.core.models import Industry
from zhaoshang.leads.extract import chain_classes


@dataclass
class ChainNode:
    name: str
    codes: frozenset[str]


@dataclass
class Chain:
    name: str
    nodes: list[ChainNode] = field(default_factory=list)


def county_chains(region_id: int) -> list[Chain]:
    """The county's chains with their nodes' industry classes. Until the chains app holds chain nodes, each chain
    is one node (全链) with the classes the center's chain keywords name."""
    return [Chain(name, [ChainNode("全链", codes)]) for name, codes in chain_classes().items() if codes]


def industry_fit(city) -> dict:
    """``{"chains": [{"chain", "matches": [{"industry", "node", "how"}], "gaps": [class names]}], "unmatched":
    [industries no chain covers], "has_industries": bool}`` — chains with a match first."""
    industries = list(city.industries.all())
    chains = county_chains(city.region_id)
    all_codes = {code for chain in chains for node in chain.nodes for code in node.codes}
    names = dict(Industry.objects.filter(code__in=all_codes).values_list("code", "name"))
    matched_codes: set[str] = set()
    rows = []
    for chain in chains:
        matches = []
        covered: set[str] = set()
        for industry in industries:
            for node in chain.nodes:
                if industry.code in node.codes:
                    how = f"同一行业小类（{industry.code} {industry.name}）"
                    covered.add(industry.code)
                elif any(code[:3] == industry.code[:3] for code in node.codes):
                    how = f"同一行业中类（{industry.code[:3]}）"
                    covered.update(code for code in node.codes if code[:3] == industry.code[:3])
                else:
                    continue
                matches.append({"industry": industry, "node": node.name, "how": how})
                matched_codes.add(industry.code)
                break
        gaps = sorted(
            f"{code} {names.get(code, '')}".strip()
            for node in chain.nodes
            for code in node.codes
            if code not in covered
        )
        rows.append({"chain": chain.name, "matches": matches, "gaps": gaps})
    rows.sort(key=lambda r: -len(r["matches"]))
    return {
        "chains": rows,
        "unmatched": [i for i in industries if i.code not in matched_codes],
        "has_industries": bool(industries),
    }
