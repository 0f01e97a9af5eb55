"""Where the investor is: places ranked by cues, never the 诸暨 site."""

from __future__ import annotations

import re

from .document import _Doc, _field
from .enterprise import _Candidate
from .lexicon import _CITY, _PLACE_RANK, _PROVINCE, _SITE, HOME_PLACES, PLACES
from .text import _words

_CUE_BEFORE_RE = re.compile(r"(?:来自|总部位于|总部在|总部设在|一家|一位|籍贯|老家)$")
_CUE_AFTER_RE = re.compile(
    r"^(?:工业园区|高新区|开发区|经开区|新区|[\u4e00-\u9fff]{2}(?=一家|某))?(?:的)?(?:一家|一位|某|(?:知名|本地|当地)?"
    r"(?:企业|客商|客户|公司|商人|老板|朋友|籍|资|龙头|上市|老乡|团队|投资者|投资人|外商))"
)
_SITE_VERBS = frozenset(
    _words("在 到 赴 至 往 去 落户 落地 选址 来 回 布局 比选 进入 来到 前往 回到 考察 走访 拜访 出差")
)
_PLACE_TAILS = ("工业园区", "高新区", "开发区", "经开区", "新区", "地区", "园区", "硅谷", "特别行政区")
_SITE_AFTER_RE = re.compile(r"^(?:子公司|分公司|代表处|工厂|基地|厂|设立|设厂|建厂|投资|布局|有工厂|两地)")
_OFFICE_BEFORE_RE = re.compile(r"驻$")
_GAP_TO_NAME_RE = re.compile(r"^\s*(?:地区)?(?:的)?(?:一家|知名|龙头|上市)?(?:企业|公司|客户|客商|集团)?\s*$")
_OFFICE_AFTER_RE = re.compile(r"^(?:招商)?(?:联络处|办事处|联络组|招商组)")


def _location(doc: _Doc, investor: _Candidate | None, candidates: list[_Candidate]) -> dict | None:
    norm, tokens = doc.norm, doc.tokens
    # Runs of adjacent place tokens (江苏常州, 宁波北仑).
    runs: list[list[tuple[int, int, str, str]]] = []
    previous: dict[int, str] = {}
    for index, (word, s, e) in enumerate(tokens):
        place = _place_in_token(word)
        after_province = runs and runs[-1][-1][1] == s and runs[-1][-1][3] == _PROVINCE
        if place is None and after_province and doc.res.tags.get(word) == "ns" and 2 <= len(word) <= 3:
            place = (word, _CITY)  # a city missing from the table, after its province
        if place is None:
            continue
        word, kind = place
        e = s + len(word)
        if e == tokens[index][2] and index + 1 < len(tokens) and tokens[index + 1][0] in ("市", "区", "县"):
            word, e = word + tokens[index + 1][0], e + 1  # 黄岩 + 区
        previous[s] = tokens[index - 1][0] if index else ""
        item = (s, e, word, kind)
        if runs and runs[-1][-1][1] == s:
            runs[-1].append(item)
        else:
            runs.append([item])
    best = None
    for run in runs:
        if all(item[3] == _SITE for item in run):
            continue
        run = [item for item in run if item[3] != _SITE]
        if not run:
            continue
        start, end = run[0][0], run[-1][1]
        inside = None
        for cand in candidates:
            if cand.prefix_start <= start < cand.end:
                inside = cand
                break
        bracketed = norm[start - 1 : start] == "(" and norm[end : end + 1] == ")"
        if inside is not None and start > inside.prefix_start and not bracketed:
            continue  # a place inside a name that is not its first word (钱塘 in 杭州钱塘新能源) is the brand
        chosen = _descend(run)
        s, e, word, kind = chosen
        before = norm[max(0, start - 6) : start]
        after = norm[end : end + 8]
        score = 0.0
        if inside is not None:
            score = 4.0 if inside is investor else 1.0
            if inside.prefix_start < inside.start and inside is investor:
                score = 4.5  # the foreign country written before the investor's name
            elif inside.prefix_start < inside.start and start < inside.start:
                score = 2.5  # the country of a parent named too (日本丸和化学… 在华子公司丸和化学（苏州）…)
            elif bracketed:
                score = 2.0 if inside is investor else 0.5  # 中科智感（北京）科技: where the company is registered
        elif (
            investor is not None
            and end <= investor.prefix_start
            and _GAP_TO_NAME_RE.match(norm[end : investor.prefix_start])
        ):
            score = 4.0  # 以色列的AquaPure Ltd., 台湾地区企业宏铭…, 台州市黄岩区的黄岩精塑…
        elif investor is not None and norm[investor.end : investor.end + 1] in "(（" and 0 < start - investor.end <= 2:
            score = 3.5  # Nordic Battery Systems AB（瑞典）
        elif _CUE_BEFORE_RE.search(before) or _CUE_AFTER_RE.match(after):
            score = 3.0
        elif _OFFICE_BEFORE_RE.search(before) or _OFFICE_AFTER_RE.match(after):
            score = 1.0
        if inside is None and (previous[start] in _SITE_VERBS or _SITE_AFTER_RE.match(after) and score < 3):
            score = -1.0  # 在杭州参加…, 在越南有工厂, 其上海子公司
        if score < 0 or word in HOME_PLACES and (score < 3 or inside is not None):
            continue
        key = (score, -start)
        if best is None or key > best[0]:
            best = (key, _field(doc.text[s:e], s, e))
    return best[1] if best else None


def _place_in_token(word: str) -> tuple[str, str] | None:
    """(place, kind) when a jieba word is a place or starts with one (台湾地区, 苏州工业园区, 美国硅谷 are one word)."""
    kind = PLACES.get(word)
    if kind is not None:
        return word, kind
    for size in (4, 3, 2):
        head = word[:size]
        if len(word) > size and head in PLACES and word[size:] in _PLACE_TAILS:
            return head, PLACES[head]
    return None


def _descend(run: list[tuple[int, int, str, str]]):
    """The most specific place of a run (江苏常州 → 常州, 绍兴柯桥 → 柯桥)."""
    chosen = run[0]
    for item in run[1:]:
        rank_now, rank_next = _PLACE_RANK.get(chosen[3], 0), _PLACE_RANK.get(item[3], 0)
        if rank_next <= rank_now:
            break
        chosen = item
    return chosen
