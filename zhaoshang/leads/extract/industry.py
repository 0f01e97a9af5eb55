"""The industry: built-in product keywords first, else term overlap with the GB/T 4754-2017 classes."""

from __future__ import annotations

import re

from .document import _Doc, _field
from .enterprise import _Candidate
from .lexicon import _BOUGHT_RE, _KEYWORDS, _MATERIAL_HEADS, _PART_WORDS, _PROCESS_WORDS, _TOPIC_WORDS

_GB_MIN_SCORE = 5.0


def _industry(doc: _Doc, candidates: list[_Candidate]) -> dict | None:
    res = doc.res
    norm = doc.norm
    name_spans = [(c.start, c.end) for c in candidates]

    def in_name(s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in name_spans)

    hits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(norm):
        for word in res.keywords_by_first.get(norm[i], ()):
            if norm.startswith(word, i):
                end = i + len(word)
                if word.isascii() and (
                    norm[i - 1 : i].isascii()
                    and norm[i - 1 : i].isalpha()
                    or norm[end : end + 1].isascii()
                    and norm[end : end + 1].isalpha()
                ):
                    continue  # LED is not in OLED
                if word in _TOPIC_WORDS and re.match(r"产业园|园区|产业|小镇|基地", norm[end : end + 3]):
                    break
                if _BOUGHT_RE.search(norm, max(0, i - 5), i):
                    break  # 购置智能袜机: equipment the enterprise buys, not what it makes
                hits.append((i, end, word))
                break
        i += 1
    # Overlapping hits: keep both (电池回收 inside 动力电池回收); a hit inside a longer one is dropped.
    hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o != h for o in hits)]
    if hits:
        outside = [h for h in hits if not in_name(h[0], h[1])]
        chosen = _choose_keyword_compound(norm, outside or hits)
        if chosen is not None:
            (start, end, word), chain = chosen
            code, _ = _KEYWORDS[word]
            if code in res.classes:
                value = {"code": code, "name": res.classes[code][0]}
                if chain:
                    value["chain"] = chain
                return _field(value, start, end)
    return _industry_from_gb(doc, in_name)


def _choose_keyword_compound(norm: str, hits: list[tuple[int, int, str]]):
    """Group adjacent/overlapping keyword hits into compounds; the first compound's head (its last keyword,
    Chinese compounds being head-final) is the product, unless a parts word follows (飞机复合材料结构件: parts of
    an aircraft) or the later keyword is only a topic word."""
    hits = sorted(hits)
    compounds: list[list[tuple[int, int, str]]] = []
    for hit in hits:
        if (
            compounds
            and hit[0] <= compounds[-1][-1][1] + 1
            and not re.search(r"[及和、,，与或]", norm[compounds[-1][-1][1] : hit[0]])
        ):
            compounds[-1].append(hit)
        else:
            compounds.append([hit])
    compound = compounds[0]
    specific = [h for h in compound if h[2] not in _TOPIC_WORDS] or compound
    head = specific[-1]
    if len(specific) > 1 and head[2] in _PROCESS_WORDS:
        head = specific[-2]  # 传感器封测: sensors are the product
    tail = norm[compound[-1][1] : compound[-1][1] + 3]
    if len(specific) > 1 and head[2] in _MATERIAL_HEADS and tail.startswith(_PART_WORDS):
        head = specific[0]
    chain = _KEYWORDS[head[2]][1]
    if chain is None:
        chain = next((_KEYWORDS[h[2]][1] for h in reversed(compound) if _KEYWORDS[h[2]][1]), None)
    return head, chain


def _industry_from_gb(doc: _Doc, in_name) -> dict | None:
    """Keyword overlap with GB/T 4754 class names and notes: each term found scores weight × length for its classes
    (terms outside enterprise names count double); the best class wins if its score is high enough."""
    res, norm = doc.res, doc.norm
    scores: dict[str, float] = {}
    spans: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(norm):
        matched = 0
        for term, codes in res.gb_terms.get(norm[i], ()):
            if norm.startswith(term, i):
                factor = 1.0 if in_name(i, i + len(term)) else 2.0
                for code, weight in codes:
                    scores[code] = scores.get(code, 0.0) + weight * len(term) * factor / len(codes) ** 0.5
                    spans.setdefault(code, (i, i + len(term)))
                matched = len(term)
                break
        i += matched or 1
    if not scores:
        return None
    code = max(scores, key=lambda c: (scores[c], c))
    if scores[code] < _GB_MIN_SCORE:
        return None
    start, end = spans[code]
    return _field({"code": code, "name": res.classes[code][0]}, start, end)
