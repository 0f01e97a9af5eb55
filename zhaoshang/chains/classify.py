"""The chain classifier: which nodes an enterprise (lead, project) belongs to, with a confidence and the evidence.

Industry class first: a node listing the subject's GB/T 4754 class is a candidate (weaker the more nodes share
the class). Then keywords: each node's products and technologies found in the name, the business scope and the
products, on jieba's word boundaries (the node keywords are added to a private jieba dictionary, so that
"锂电池" is one word and the keyword "电池" does not fire inside "锂电池隔膜" on its own). Evidence combines as
independent cues: confidence = 1 − Π(1 − cᵢ). An ancestor of a candidate node is dropped (the deeper node says
more), and a node far behind the subject's best node is demoted (c × (c / best)⁸), so that the second guesses
of an enterprise rarely reach 自动. Links shown as 自动 are those at or above the county's ``auto_confidence``
(docs/benchmarks.md).

Pure reads: the index is built from the nodes once per (region, chains' versions) and cached in memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .models import Chain, ChainNode

# Cue weights (tuned on the labelled set's "tune" split only; docs/benchmarks.md).
NAME_CUE = 0.72
SCOPE_HEAD_CUE = 0.66  # in the first clause of the business scope: the main business
SCOPE_CUE = 0.42
LONG_BONUS = 0.08  # a keyword of 4+ characters is specific
INDUSTRY_CUE = 0.5  # divided by √(nodes sharing the class)
MIN_CONFIDENCE = 0.3  # below this nothing is returned
RELATIVE_POWER = 8  # a node well behind the best one is demoted: c × (c / best)^8 (a close second stays close)

_lock = threading.RLock()
_cache: dict[tuple, Index] = {}


@dataclass
class NodeInfo:
    id: int
    code: str
    name: str
    chain_id: int
    chain_code: str
    chain_name: str
    level: int
    ancestors: tuple[int, ...]


@dataclass
class Index:
    nodes: dict[int, NodeInfo] = field(default_factory=dict)
    by_keyword: dict[str, list[int]] = field(default_factory=dict)
    by_industry: dict[str, list[int]] = field(default_factory=dict)
    tokenizer: object = None
    first_chars: dict[str, list[str]] = field(default_factory=dict)


def _signature(region_id: int) -> tuple:
    return (region_id, tuple(Chain.objects.filter(region_id=region_id).order_by("pk").values_list("pk", "version")))


def index_for(region_id: int) -> Index:
    """The classifier's index for a region's chains (rebuilt when a chain's version changes)."""
    key = _signature(region_id)
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            for old in [k for k in _cache if k[0] == region_id]:
                del _cache[old]
            cached = _cache[key] = build_index(region_id)
    return cached


def build_index(region_id: int) -> Index:
    rows = ChainNode.objects.filter(chain__region_id=region_id).values_list(
        "pk",
        "code",
        "name",
        "chain_id",
        "chain__code",
        "chain__name",
        "level",
        "parent_id",
        "keywords",
        "industry_codes",
    )
    return index_from_rows(list(rows))


def index_from_data(data: dict) -> Index:
    """An index straight from the reference format (no database): node ids are positions, chain ids too."""
    rows, ids = [], {}
    for chain_id, chain in enumerate(data["chains"], start=1):
        for node in chain["nodes"]:
            ids[(chain["code"], node["code"])] = len(ids) + 1
        for node in chain["nodes"]:
            parent = ids[(chain["code"], node["parent"])] if node.get("parent") else None
            rows.append((
                ids[(chain["code"], node["code"])], node["code"], node["name"], chain_id, chain["code"], chain["name"],
                node["level"], parent, node.get("keywords") or [], node.get("industry_codes") or [],
            ))  # fmt: skip
    return index_from_rows(rows)


def index_from_rows(rows: list[tuple]) -> Index:
    """rows: (id, code, name, chain id, chain code, chain name, level, parent id, keywords, industry codes)."""
    index = Index()
    parents = {r[0]: r[7] for r in rows}
    for pk, code, name, chain_id, chain_code, chain_name, level, _parent, keywords, classes in rows:
        ancestors, walk = [], parents.get(pk)
        while walk is not None:
            ancestors.append(walk)
            walk = parents.get(walk)
        index.nodes[pk] = NodeInfo(pk, code, name, chain_id, chain_code, chain_name, level, tuple(ancestors))
        for word in {*(keywords or []), name if level >= 2 else ""}:
            word = word.strip().upper()
            if len(word) >= 2:
                index.by_keyword.setdefault(word, []).append(pk)
        for cls in classes or []:
            index.by_industry.setdefault(str(cls), []).append(pk)
    tokenizer = _fresh_tokenizer()
    for word in index.by_keyword:
        tokenizer.add_word(word, freq=200000)
        index.first_chars.setdefault(word[0], []).append(word)
    for words in index.first_chars.values():
        words.sort(key=len, reverse=True)
    index.tokenizer = tokenizer
    return index


_base: list = []


def _fresh_tokenizer():
    """A jieba tokenizer with the default dictionary, loaded once per process and copied (20 ms) per index."""
    import jieba  # lazy: see build_index

    with _lock:
        if not _base:
            base = jieba.Tokenizer()
            base.initialize()
            _base.append(base)
    base = _base[0]
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(base.FREQ), base.total
    tokenizer.initialized = True
    return tokenizer


def _boundaries(index: Index, text: str) -> tuple[set[int], set[int]]:
    starts, ends, position = {0}, set(), 0
    for token in index.tokenizer.cut(text, HMM=False):
        starts.add(position)
        position += len(token)
        ends.add(position)
    return starts, ends


WINDOW = 8  # characters of context either side of a candidate keyword that jieba segments


def _on_boundaries(index: Index, text: str, start: int, end: int) -> bool:
    """Whether jieba, segmenting the keyword with a few characters of context, starts and ends a word there."""
    left = max(0, start - WINDOW)
    starts, ends = _boundaries(index, text[left : end + WINDOW])
    return (start - left) in starts and (end - left) in ends


def _keyword_hits(index: Index, text: str) -> list[tuple[int, str]]:
    """(position, keyword) found on word boundaries; a keyword inside a longer one found there is dropped. jieba
    runs only for a text with a candidate keyword (most of a library's texts have none)."""
    if not text:
        return []
    text = text.upper()
    found: list[tuple[int, int, str]] = []
    first_chars = index.first_chars
    for i, char in enumerate(text):
        words = first_chars.get(char)
        if words:
            found.extend((i, i + len(w), w) for w in words if text.startswith(w, i))
    if not found:
        return []
    hits = [(s, e, w) for s, e, w in found if len(w) >= 4 or _on_boundaries(index, text, s, e)]
    return [(s, w) for s, e, w in hits if not any(o[0] <= s and e <= o[1] and (o[0], o[1]) != (s, e) for o in hits)]


def classify(
    *,
    region_id: int,
    name: str = "",
    business_scope: str = "",
    products: str = "",
    industry: str = "",
    index: Index | None = None,
) -> list[dict]:
    """Nodes for this text, best first: [{chain_id, chain, chain_code, node_id, node, node_code, confidence,
    source, evidence}]. Empty when it fits no chain."""
    index = index or index_for(region_id)
    cues: dict[int, list[tuple[float, str, str]]] = {}
    if industry:
        sharing = index.by_industry.get(industry[:4], [])
        for pk in sharing:
            cues.setdefault(pk, []).append((INDUSTRY_CUE / len(sharing) ** 0.5, "industry", f"行业 {industry[:4]}"))
    scope = business_scope or ""
    head_end = min((p for p in (scope.find("；"), scope.find(";"), scope.find("。")) if p >= 0), default=len(scope))
    for text, where in ((name, "name"), (scope, "scope"), (products, "products")):
        for position, word in _keyword_hits(index, text):
            if where == "name":
                weight, label = NAME_CUE, "名称"
            elif where == "products" or position < max(head_end, 12):
                weight, label = SCOPE_HEAD_CUE, "主营"
            else:
                weight, label = SCOPE_CUE, "经营范围"
            if len(word) >= 4:
                weight += LONG_BONUS
            for pk in index.by_keyword[word]:
                cues.setdefault(pk, []).append((weight, "keyword", f"{label}含“{word}”"))
    return _rank(index, cues)


def _rank(index: Index, cues: dict[int, list[tuple[float, str, str]]]) -> list[dict]:
    scored = []
    for pk, own in cues.items():
        # A parent's class is evidence for its products too (行业 3841 on 动力电池 backs 电芯 under it).
        inherited = [c for a in index.nodes[pk].ancestors for c in cues.get(a, ()) if c[1] == "industry"]
        items = own + inherited
        seen, remaining = set(), 1.0
        for weight, _source, evidence in sorted(items, reverse=True):
            if evidence in seen:
                continue
            seen.add(evidence)
            remaining *= 1 - min(weight, 0.95)
        confidence = 1 - remaining
        if confidence >= MIN_CONFIDENCE:
            source = "keyword" if any(s == "keyword" for _, s, _ in items) else "industry"
            scored.append((confidence, pk, source, "；".join(sorted(seen))))
    chosen = {pk for _, pk, _, _ in scored}
    hidden = {a for pk in chosen for a in index.nodes[pk].ancestors}
    best = max((s[0] for s in scored if s[1] not in hidden), default=1.0)
    scored = [(c * (c / best) ** RELATIVE_POWER, pk, src, ev) for c, pk, src, ev in scored]
    scored = [s for s in scored if s[0] >= MIN_CONFIDENCE]
    result = []
    for confidence, pk, source, evidence in sorted(scored, key=lambda s: (-s[0], s[1])):
        if pk in hidden:
            continue
        node = index.nodes[pk]
        result.append(
            {
                "chain_id": node.chain_id,
                "chain": node.chain_name,
                "chain_code": node.chain_code,
                "node_id": pk,
                "node": node.name,
                "node_code": node.code,
                "confidence": round(confidence, 3),
                "source": source,
                "evidence": evidence[:200],
            }
        )
    return result
