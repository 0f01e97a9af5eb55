"""The chains' reference data files are well formed (pure JSON checks, no database).

zhaoshang/chains/data/chains.json: the platform's starting chain maps; tests/chains/data/labelled_enterprises.json:
the synthetic labelled set the classifier is measured on. Format: see docs/reference-data.md.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from zhaoshang.core.reference import DATA_DIR, INDUSTRY_ERRATA

ROOT = Path(__file__).resolve().parents[2]
CHAINS_PATH = ROOT / "zhaoshang" / "chains" / "data" / "chains.json"
LABELLED_PATH = Path(__file__).resolve().parent / "data" / "labelled_enterprises.json"

REQUIRED_CHAINS = {
    "smart_vision": ("智能视觉", "strategic"),
    "aerospace": ("航空航天", "strategic"),
    "nev": ("新能源汽车", "strategic"),
    "new_materials": ("新材料", "strategic"),
    "hardware_copper": ("五金/铜加工", "traditional"),
    "socks": ("袜业", "traditional"),
    "pearl": ("珍珠", "traditional"),
    "env_equipment": ("环保装备", "traditional"),
}
SEGMENT_NAMES = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
CHAIN_KEYS = {"code", "name", "kind", "description", "responsible_unit", "leaders_note", "nodes", "edges"}
NODE_KEYS = {
    "code",
    "parent",
    "name",
    "segment",
    "level",
    "description",
    "industry_codes",
    "keywords",
    "key_enterprises",
}
ITEM_KEYS = {"name", "business_scope", "industry", "expected", "split"}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc():
    return _load(CHAINS_PATH)


@pytest.fixture(scope="module")
def chains(doc):
    return {c["code"]: c for c in doc["chains"]}


@pytest.fixture(scope="module")
def labelled():
    return _load(LABELLED_PATH)


@pytest.fixture(scope="module")
def industry_classes():
    """The 4-digit classes as core.reference.load_industries files them (errata applied)."""
    rows = json.loads((DATA_DIR / "gbt4754-2017.json").read_text(encoding="utf-8"))
    classes = {row["class"] for row in rows if row["level"] == 4}
    classes.update(INDUSTRY_ERRATA.values())
    return classes


def find_cycle(codes, edges):
    """The first cycle of the directed graph as a path [a, b, ..., a], or None."""
    succ = {c: [] for c in codes}
    for src, dst in edges:
        succ[src].append(dst)
    state = dict.fromkeys(codes, 0)  # 0 new, 1 on the stack, 2 done
    for start in codes:
        if state[start]:
            continue
        stack = [(start, iter(succ[start]))]
        path = [start]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state[nxt] == 1:
                return path[path.index(nxt) :] + [nxt]
            elif state[nxt] == 0:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
                path.append(nxt)
    return None


def test_find_cycle_reports_the_closing_path():
    assert find_cycle(["a", "b", "c"], [("a", "b"), ("b", "c")]) is None
    assert find_cycle(["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "b")]) == ["b", "c", "b"]
    assert find_cycle(["a"], [("a", "a")]) == ["a", "a"]


def test_document_header(doc):
    assert set(doc) == {"version", "note", "chains"}
    assert doc["version"] == "2026.12-platform-initial"
    assert "平台初始版本" in doc["note"] and "修订" in doc["note"]


def test_required_chains_present(doc, chains):
    assert len(chains) == len(doc["chains"]), "duplicate chain codes"
    assert {code: (c["name"], c["kind"]) for code, c in chains.items()} == REQUIRED_CHAINS


@pytest.mark.parametrize("code", sorted(REQUIRED_CHAINS))
def test_chain_schema_and_tree(chains, code):
    chain = chains[code]
    assert set(chain) == CHAIN_KEYS
    assert re.fullmatch(r"[a-z][a-z0-9_]*", chain["code"])
    assert chain["description"].strip() and isinstance(chain["responsible_unit"], str)
    nodes = chain["nodes"]
    assert 30 <= len(nodes) <= 80, f"{code}: {len(nodes)} nodes"
    by_code = {n["code"]: n for n in nodes}
    assert len(by_code) == len(nodes), [c for c, k in Counter(n["code"] for n in nodes).items() if k > 1]
    for n in nodes:
        assert set(n) == NODE_KEYS, n["code"]
        assert n["name"].strip() and n["description"].strip(), n["code"]
        assert n["segment"] in SEGMENT_NAMES, n["code"]
        assert n["level"] in (1, 2, 3), n["code"]
        assert all(isinstance(k, str) and k.strip() for k in n["keywords"]), n["code"]
        assert len(set(n["keywords"])) == len(n["keywords"]), f"duplicate keyword in {n['code']}"
        assert 0 <= len(n["key_enterprises"]) <= 5, n["code"]
        if n["parent"] is None:
            assert n["level"] == 1 and n["name"] == SEGMENT_NAMES[n["segment"]], n["code"]
            continue
        parent = by_code.get(n["parent"])
        assert parent is not None, f"{n['code']}: parent {n['parent']} missing"
        assert n["level"] == parent["level"] + 1, n["code"]
        assert n["segment"] == parent["segment"], f"{n['code']}: segment differs from its top ancestor"
        assert 3 <= len(n["keywords"]) <= 12, f"{n['code']}: {len(n['keywords'])} keywords"
    tops = [n for n in nodes if n["parent"] is None]
    assert sorted(n["segment"] for n in tops) == sorted(SEGMENT_NAMES)
    for top in tops:
        subs = [n for n in nodes if n["parent"] == top["code"]]
        assert subs, f"{top['code']} has no sub-field"
        for sub in subs:
            assert any(n["parent"] == sub["code"] for n in nodes), f"{sub['code']} has no key product"


@pytest.mark.parametrize("code", sorted(REQUIRED_CHAINS))
def test_chain_edges_form_a_dag(chains, code):
    chain = chains[code]
    codes = [n["code"] for n in chain["nodes"]]
    edges = [tuple(e) for e in chain["edges"]]
    assert edges, f"{code} has no edges"
    for e in edges:
        assert len(e) == 2 and e[0] in codes and e[1] in codes, f"{code}: edge {e} names a missing node"
        assert e[0] != e[1], f"{code}: self edge {e}"
    assert len(set(edges)) == len(edges), f"{code}: duplicate edge"
    cycle = find_cycle(codes, edges)
    assert cycle is None, f"{code}: cycle " + " → ".join(cycle)


@pytest.mark.parametrize("code", sorted(REQUIRED_CHAINS))
def test_industry_codes_exist(chains, industry_classes, code):
    bad = {
        n["code"]: [c for c in n["industry_codes"] if c not in industry_classes]
        for n in chains[code]["nodes"]
        if any(c not in industry_classes for c in n["industry_codes"])
    }
    assert not bad, f"{code}: unknown GB/T 4754-2017 classes {bad}"
    for n in chains[code]["nodes"]:
        assert len(set(n["industry_codes"])) == len(n["industry_codes"]), n["code"]
        if n["level"] > 1:
            assert n["industry_codes"], f"{n['code']} has no industry class"


def test_labelled_set_shape(labelled, chains, industry_classes):
    assert isinstance(labelled, list) and len(labelled) >= 240
    nodes = {(code, n["code"]) for code, c in chains.items() for n in c["nodes"]}
    names = Counter(item["name"] for item in labelled)
    assert not [n for n, k in names.items() if k > 1], "duplicate enterprise names"
    for item in labelled:
        assert set(item) == ITEM_KEYS, item["name"]
        assert item["name"].strip() and len(item["business_scope"]) >= 10, item["name"]
        assert item["industry"] == "" or item["industry"] in industry_classes, item["name"]
        assert item["split"] in ("tune", "holdout"), item["name"]
        pairs = [(e["chain"], e["node"]) for e in item["expected"]]
        assert all(set(e) == {"chain", "node"} for e in item["expected"]), item["name"]
        assert len(set(pairs)) == len(pairs), item["name"]
        missing = [p for p in pairs if p not in nodes]
        assert not missing, f"{item['name']}: unknown nodes {missing}"


def test_labelled_set_balance(labelled, chains):
    splits = Counter(item["split"] for item in labelled)
    assert abs(splits["tune"] - splits["holdout"]) <= len(labelled) * 0.1, splits
    off_chain = sum(1 for item in labelled if not item["expected"])
    assert 0.2 <= off_chain / len(labelled) <= 0.3, off_chain
    for split in ("tune", "holdout"):
        part = [item for item in labelled if item["split"] == split]
        assert any(not item["expected"] for item in part), split
        covered = {e["chain"] for item in part for e in item["expected"]}
        assert covered == set(chains), f"{split} misses chains {set(chains) - covered}"
