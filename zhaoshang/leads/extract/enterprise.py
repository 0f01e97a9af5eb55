"""The investing enterprise: name candidates (organisation forms, Latin names, the library) and the investor."""

from __future__ import annotations

import re

from .document import _Doc
from .lexicon import (
    _AFTER_REFERRER_RE,
    _BEFORE_TARGET_RE,
    _BODY_CUTS,
    _CONJUNCTION_CHARS,
    _ESTABLISH,
    _GENERIC_BODY,
    _INTERMEDIARY_RE,
    _LATIN_NAME_RE,
    _LOCAL_BEFORE_RE,
    _ORG_RE,
    _SEGMENT_BREAKS,
    _SITE_PREFIXES,
    _STOP_CHARS,
    _STOP_TOKENS,
    ANONYMOUS_MARK_RE,
    FOREIGN,
    INTERMEDIARY_NAMES,
    PLACES,
)
from .resources import _Library


class _Candidate:
    __slots__ = ("start", "end", "kind", "prefix_start", "stopped_by", "score")

    def __init__(self, start: int, end: int, kind: str, prefix_start: int | None = None, stopped_by: str = "") -> None:
        self.start, self.end, self.kind = start, end, kind
        self.prefix_start = start if prefix_start is None else prefix_start  # before a stripped foreign prefix
        self.stopped_by = stopped_by
        self.score = 0.0  # set by _choose_investor: below 0 for a referrer, parent, target or local enterprise

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.kind} {self.start}:{self.end}>"


def _is_name_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch.isascii() and (ch.isalnum() or ch in "&·-")


def _enterprise_candidates(doc: _Doc, library: _Library) -> list[_Candidate]:
    norm = doc.norm
    found: list[_Candidate] = []
    for m in _ORG_RE.finditer(norm):
        cand = _scan_name_back(doc, m.start(), m.end())
        if cand is not None:
            found.append(cand)
    for m in _LATIN_NAME_RE.finditer(norm):
        found.append(_Candidate(m.start(), m.end(), "latin"))
    for start, end in library.matches(norm):
        if _library_match_ok(doc, start, end):
            found.append(_Candidate(start, end, "library"))
    found = [
        c
        for c in found
        if not _is_intermediary(norm[c.start : c.end])
        and not ANONYMOUS_MARK_RE.search(norm[max(0, c.prefix_start - 3) : c.end])
    ]
    # Longest match wins: drop candidates inside a longer one.
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Candidate] = []
    for cand in found:
        if any(k.start <= cand.start and cand.end <= k.end for k in kept):
            continue
        kept = [k for k in kept if not (cand.start <= k.start and k.end <= cand.end)]
        kept.append(cand)
    return kept


def _library_match_ok(doc: _Doc, start: int, end: int) -> bool:
    norm = doc.norm
    if norm[start].isascii():
        return not (start > 0 and norm[start - 1].isascii() and norm[start - 1].isalpha()) and not (
            end < len(norm) and norm[end].isascii() and norm[end].isalpha()
        )
    # A dictionary word of jieba must not be cut (上海亮点 does not contain 海亮).
    for pos in (start, end):
        i = doc.token_covering(pos)
        if i is not None and len(doc.tokens[i][0]) > 1 and doc.tokens[i][0] in doc.res.freq:
            return False
    return True


def _is_intermediary(name: str) -> bool:
    return any(n in name for n in INTERMEDIARY_NAMES) or bool(_INTERMEDIARY_RE.search(name))


def _scan_name_back(doc: _Doc, suffix_start: int, suffix_end: int) -> _Candidate | None:
    """The name before an organisation form: walk back over jieba's words until a stop word or punctuation, drop a
    foreign country written before it, and refuse descriptions (该科技公司, 成立工业机器人公司). When the words
    before a conjunction character are only descriptive (丸和|化学工业株式会社), the conjunction was part of the
    name and the walk goes on past it."""
    # The form must start a word: 公司 inside 子公司, 分公司, 上市公司 is no organisation form.
    if suffix_start not in doc.starts:
        return None
    skip: frozenset[str] = frozenset()
    for _ in range(3):
        start, stopped_by = _walk_back(doc, suffix_start, skip)
        if start is None:
            return None
        candidate = _name_body(doc, start, suffix_start, suffix_end, stopped_by)
        if candidate is not None or stopped_by not in _CONJUNCTION_CHARS:
            return candidate
        skip = skip | {stopped_by}
    return None


def _walk_back(doc: _Doc, suffix_start: int, skip: frozenset[str]) -> tuple[int | None, str]:
    norm, tokens = doc.norm, doc.tokens
    pos = start = suffix_start
    latin_before = False
    while pos > 0:
        i = doc.token_at_end.get(pos)
        word, s = (norm[pos - 1], pos - 1) if i is None else tokens[i][:2]
        if word == ")" or word.endswith(")"):
            # A place in brackets inside the name: 中科智感(北京)科技有限公司, 航天科宇（北京）卫星技术有限公司.
            opening = _bracketed_place_start(norm, pos)
            if opening is None or opening == 0:
                break
            start = pos = opening
            continue
        if word.isspace():
            # Spaces only inside Latin names (Kessler Holding 集团).
            if s > 0 and norm[s - 1].isascii() and norm[s - 1].isalpha() and latin_before:
                pos = s
                continue
            break
        if not all(_is_name_char(c) for c in word) or re.fullmatch(r"\d+年?", word):
            break
        if (word in _STOP_TOKENS or len(word) == 1 and word in _STOP_CHARS) and word not in skip:
            return start, word
        latin_before = word[:1].isascii()
        start = pos = s
        if suffix_start - start > 30:
            return None, ""
    return start, ""


_BRACKET_SUFFIXES = ("市", "省")


def _bracketed_place_start(norm: str, end: int) -> int | None:
    """Where ``(place)`` ending at ``end`` opens, when what is inside is a province, city or country (北京, 北京市,
    四川省, 日本, 中国香港); None for any other bracket (a remark, an abbreviation)."""
    opening = norm.rfind("(", max(0, end - 9), end)
    if opening < 0 or norm[end - 1] != ")":
        return None
    inside = norm[opening + 1 : end - 1]
    if inside in PLACES or inside in FOREIGN or inside in ("中国", "香港", "澳门", "台湾"):
        return opening
    if inside.endswith(_BRACKET_SUFFIXES) and inside[:-1] in PLACES:
        return opening
    return None


def _name_body(doc: _Doc, start: int, suffix_start: int, suffix_end: int, stopped_by: str) -> _Candidate | None:
    norm, tokens = doc.norm, doc.tokens
    while start < suffix_start and norm[start] in " -·":
        start += 1
    prefix_start = start
    # A foreign country or 中国台湾 written before the name is not part of it.
    i = doc.token_at_start.get(start)
    if i is not None and tokens[i][0] in FOREIGN:
        start = tokens[i][2] + (1 if norm.startswith("的", tokens[i][2]) else 0)
    for cut in _BODY_CUTS:
        at = norm.rfind(cut, start, suffix_start)
        if at >= 0:
            tail_start = at + len(cut)
            tail = _body_words(doc, tail_start, suffix_start)
            if tail_start < suffix_start and not all(_is_generic(w) for w in tail):
                start = prefix_start = tail_start
    body = norm[start:suffix_start]
    if body.startswith("("):
        return None  # only a bracketed place before the form: （北京）科技有限公司 names no one
    if not body or body in PLACES or (len(body) < 2 and not (body.isascii() and body.isalpha())):
        return None
    words = _body_words(doc, start, suffix_start)
    if all(_is_generic(w) for w in words):
        return None
    if stopped_by in _ESTABLISH and all(w in doc.res.freq and len(w) > 1 for w in words):
        return None
    return _Candidate(start, suffix_end, "pattern", prefix_start, stopped_by)


def _is_generic(word: str) -> bool:
    """A descriptive word (科技, 化学工业) or a place, not a brand."""
    if word in _GENERIC_BODY or word in PLACES:
        return True
    return len(word) == 4 and word[:2] in _GENERIC_BODY and word[2:] in _GENERIC_BODY


def _body_words(doc: _Doc, start: int, end: int) -> list[str]:
    return [w for w, s, e in doc.tokens if s >= start and e <= end] or [doc.norm[start:end]]


def _choose_investor(doc: _Doc, candidates: list[_Candidate], amount: dict | None) -> _Candidate | None:
    """The investor among the named enterprises: not a referrer (X引荐, X的配套商), a parent (X旗下, X在华子公司),
    an acquisition target (收购…X, X被…收购) or a descriptor followed by the name (初创公司VisionLoop Inc.);
    a local enterprise (诸暨…, 本地企业…) only when no outside one is named; then the one in the same sentence as
    the investment amount; then the first."""
    norm = doc.norm
    amount_segment = _segment_of(norm, amount["start"]) if amount else None
    best, best_key = None, None
    for cand in candidates:
        score = 0.0
        after = norm[cand.end : cand.end + 8]
        before = norm[max(0, cand.prefix_start - 14) : cand.prefix_start]
        if _AFTER_REFERRER_RE.match(after) or before.endswith("经"):
            score -= 3
        if _BEFORE_TARGET_RE.search(before) or after.lstrip().startswith("被"):
            score -= 2
        if any(
            other.start >= cand.end and not norm[cand.end : other.start].strip(" :")
            for other in candidates
            if other is not cand
        ):
            score -= 2  # a descriptor right before the name
        if _LOCAL_BEFORE_RE.search(before) or norm.startswith(_SITE_PREFIXES, cand.start):
            score -= 1
        if amount_segment is not None and _segment_of(norm, cand.start) == amount_segment:
            score += 0.5
        cand.score = score
        key = (score, -cand.start)
        if best_key is None or key > best_key:
            best, best_key = cand, key
    return best


def _segment_of(norm: str, pos: int) -> int:
    """Index of the sentence or list item holding ``pos``."""
    return sum(1 for ch in norm[:pos] if ch in _SEGMENT_BREAKS)
