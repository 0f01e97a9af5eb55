"""The county's own units in a text: the intended town (意向镇街/园区) and the channel the lead came by (来源渠道).

The caller passes the org units of the user's region as ``(name, short_name, kind)`` triples (kind: town, zone,
office, department, center, city), the way it passes the enterprise library. A unit is found by its name, its
short name and the forms officers write: 店口 for 店口镇, 暨阳 for 暨阳街道, 北京办 / 驻北京联络处 for 北京办事处,
经开区 for a 经济开发区.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .document import _Doc, _field
from .enterprise import _Candidate, _library_match_ok
from .lexicon import _SITE, HOME_PLACES, INTERMEDIARY_NAMES, PLACES

SOURCES = {
    "office": "驻外办事处",
    "town": "镇街",
    "department": "部门",
    "agency": "中介机构",
    "referral": "以商招商",
    "sister_city": "友城",
    "fair": "展会",
    "online": "网络",
    "superior": "上级推送",
}
_CHANNEL_OF_KIND = {"office": "office", "town": "town", "zone": "town", "department": "department"}
_TOWN_SUFFIX_RE = re.compile(r"(?:镇|街道|乡|社区)$")
_OFFICE_SUFFIX_RE = re.compile(r"(?:驻外)?(?:招商引智|招商)?(?:办事处|联络处|招商组|联络组)$")


class _Units:
    """Aliases → (unit name, kind), longest alias first."""

    __slots__ = ("aliases", "lengths")

    def __init__(self, units: Iterable[tuple[str, str, str]]) -> None:
        aliases: dict[str, tuple[str, str]] = {}
        roots = [_bare_root(name) for name, _short, kind in units if kind == "city"]
        for name, short, kind in units:
            if kind not in _CHANNEL_OF_KIND:
                continue
            for alias in _aliases(name, short or "", kind, roots):
                if len(alias) >= 2:
                    aliases.setdefault(alias, (name, kind))
        self.aliases = aliases
        self.lengths = sorted({len(a) for a in aliases}, reverse=True)

    def matches(self, doc: _Doc):
        """(start, end, unit name, kind) of each alias in the text, longest first, never cutting a dictionary
        word (大唐 is not in 大唐电信's name when jieba knows the word)."""
        norm, i = doc.norm, 0
        while i < len(norm):
            for size in self.lengths:
                unit = self.aliases.get(norm[i : i + size])
                if unit is not None and _library_match_ok(doc, i, i + size):
                    yield i, i + size, *unit
                    i += size - 1
                    break
            i += 1


def _bare_root(name: str) -> str:
    return re.sub(r"(?:市|县|区)$", "", name)


def _aliases(name: str, short: str, kind: str, roots: list[str]) -> set[str]:
    out = {name, short}
    for root in roots:
        if root and name.startswith(root) and len(name) > len(root) + 1:
            out.add(name[len(root) :].lstrip("市县区"))
    if kind == "town":
        for form in list(out):
            bare = _TOWN_SUFFIX_RE.sub("", form)
            if len(bare) >= 2:
                out.add(bare)
    elif kind == "zone":
        for form in list(out):
            out.add(form.replace("经济开发区", "经开区").replace("高新技术产业开发区", "高新区"))
    elif kind == "office":
        for form in list(out):
            place = _OFFICE_SUFFIX_RE.sub("", form)
            if place != form and 2 <= len(place) <= 4:
                out.update({f"{place}办", f"驻{place}办", f"驻{place}办事处", f"驻{place}联络处", f"{place}联络处"})
    return {a for a in out if a}


_EMPTY = _Units(())
_UNITS_CACHE: dict[tuple, _Units] = {}


def _units(units: Iterable[tuple[str, str, str]]) -> _Units:
    key = tuple(tuple(u) for u in units or ())
    if not key:
        return _EMPTY
    cached = _UNITS_CACHE.get(key)
    if cached is None:
        if len(_UNITS_CACHE) > 16:
            _UNITS_CACHE.clear()
        cached = _UNITS_CACHE[key] = _Units(key)
    return cached


# --- the header: who reports the lead --------------------------------------------------------------------------------

_HEADER_RE = re.compile(
    r"^\s*(?:【(?P<bracket>[^】\n]{1,24})】|(?:from|发件人)\s*[:：]\s*(?P<sender>[^\n，。]{1,30})|"
    r"(?P<plain>[^\n：:，。,]{1,24}?)\s*[：:])",
    re.IGNORECASE,
)
_REPORT_WORDS = r"(?:消息|报送|上报|推荐|反馈|提供|转来|转交|转|推送|交办|来电|来函|获悉|报告|线索|摸排|对接)"
_REPORTING_RE = re.compile(r"^\s*" + _REPORT_WORDS)
_REPORT_TAIL_RE = re.compile(_REPORT_WORDS + r"+$")
_OFFICE_RE = re.compile(
    r"驻([\u4e00-\u9fff]{1,6}?)(?:招商)?(?:联络处|办事处|联络组|招商组|办)|([\u4e00-\u9fff]{2,4}?)(?:办事处|联络处|办)"
)
_TOWN_RE = re.compile(r"([\u4e00-\u9fffXx*＊×]{2,4}?)(?:镇|街道|乡)(?:政府|人民政府)?")
_DEPARTMENT_RE = re.compile(r"([\u4e00-\u9fff]{1,10}?)(?:局|委员会|委|办公室|管委会|厅|部)")
_SUPERIOR_RE = re.compile(r"^(?:省|浙江|国家|商务部|上级)|上级|交办|下发")
_HEADER_CUES = (
    ("agency", re.compile("|".join((*INTERMEDIARY_NAMES, "中介", "咨询", "顾问", "商会", "协会", "猎头", "代理")))),
    ("referral", re.compile(r"以商招商|引荐|企业推荐|客商推荐|老乡介绍|朋友介绍|配套商|供应商|客户介绍")),
    ("sister_city", re.compile(r"友城|友好城市|友好交流城市")),
    ("fair", re.compile(r"展会|博览会|交易会|洽谈会|推介会|进博会|广交会|高交会|服贸会|展览会|峰会|招商会|论坛")),
    ("online", re.compile(r"网站|官网|网上|留言|公众号|小程序|网络|邮箱来信")),
)
# In the body only unambiguous cues count (咨询 or 网络 there is mostly about the project itself).
_BODY_CUES = (
    ("referral", re.compile(r"以商招商|引荐|牵线")),
    ("agency", re.compile("|".join((*INTERMEDIARY_NAMES, "中介机构", "中介推荐", "中介介绍")))),
    ("sister_city", re.compile(r"友城|友好城市|友好交流城市")),
    ("fair", re.compile(r"展会|博览会|交易会|洽谈会|推介会|进博会|广交会|高交会|服贸会|展览会|招商会")),
    ("online", re.compile(r"网站留言|官网留言|网上留言|在线留言|留言板|公众号留言|网络平台留言")),
    ("superior", re.compile(r"上级推送|上级交办|省商务厅推送|省投促中心推送")),
)
_REFERRER_RE = re.compile(r"(?:经|由|通过)([^\s，。；;,:：]{2,20}?)(?:的)?(?:引荐|推荐|介绍|牵线)")


def _source(doc: _Doc, units: _Units, unit_hits: list[tuple[int, int, str, str]]) -> dict | None:
    """The channel from a header (北京办消息：, 【驻上海联络处】, 发改局转：, 店口镇报送, From: 世邦魏理仕), else
    from a cue in the text (以商招商, 展会上, 网站留言, 中介推荐)."""
    norm = doc.norm
    m = _HEADER_RE.match(norm)
    header = None
    if m is not None:
        group = next(g for g in ("bracket", "sender", "plain") if m.group(g) is not None)
        header = (m.start(group), m.end(group))
    else:
        first = re.match(r"^\s*([^\n，。,]{2,16}?)" + _REPORT_WORDS, norm)
        if first is not None:
            header = (first.start(1), first.end(1))
    # The header, then the first clause after it (【招商快报】据驻上海联络处消息，…).
    spans = [header] if header is not None else []
    after = header[1] + 1 if header is not None else 0
    clause = re.match(r"[^，。,；;:：\n]{2,24}", norm[after:])
    if clause is not None:
        spans.append((after + clause.start(), after + clause.end()))
    for start, end in spans:
        found = _channel_in(doc, start, end, unit_hits, header=(start, end) == header)
        if found is not None:
            return found
    for channel, pattern in _BODY_CUES:
        cue = pattern.search(norm)
        if cue is not None:
            detail = ""
            if channel == "referral" and (m := _REFERRER_RE.search(norm, max(0, cue.start() - 24), cue.end())):
                detail = m.group(1)
            elif channel == "agency":
                detail = cue.group(0) if cue.group(0) in INTERMEDIARY_NAMES else ""
            return _field(channel, cue.start(), cue.end(), unit=None, detail=detail)
    return None


def _channel_in(doc: _Doc, start: int, end: int, unit_hits, *, header: bool) -> dict | None:
    """The channel a header names; in the first clause of the text only a unit or office that reports
    (据驻上海联络处消息, 店口镇反馈) counts."""
    norm = doc.norm
    text = norm[start:end]
    for s, e, name, kind in unit_hits:
        if start <= s and e <= end and (header or _REPORTING_RE.search(norm[e : e + 4])):
            return _field(_CHANNEL_OF_KIND[kind], s, e, unit=name, detail="")
    if not header:
        m = _OFFICE_RE.search(text)
        if m is not None and m.group(1) and _REPORTING_RE.search(norm[start + m.end() : start + m.end() + 4]):
            return _field("office", start + m.start(), start + m.end(), unit=None, detail=m.group(0))
        return None
    written = _REPORT_TAIL_RE.sub("", text).strip()
    if _SUPERIOR_RE.search(text) or any(text.startswith(h) for h in HOME_PLACES if h != "浙江"):
        return _field("superior", start, end, unit=None, detail=written)
    for channel, pattern in _HEADER_CUES:
        if pattern.search(text):
            return _field(channel, start, end, unit=None, detail=written)
    m = _OFFICE_RE.search(text)
    if m is not None:
        place = m.group(1) or m.group(2)
        if m.group(1) or PLACES.get(place, _SITE) != _SITE:
            return _field("office", start + m.start(), start + m.end(), unit=None, detail=m.group(0))
    m = _TOWN_RE.search(text)
    if m is not None and PLACES.get(m.group(1), _SITE) == _SITE:
        return _field("town", start + m.start(), start + m.end(), unit=None, detail=m.group(0))
    m = _DEPARTMENT_RE.search(text)
    if m is not None:
        return _field("department", start + m.start(), start + m.end(), unit=None, detail=m.group(0))
    return None


# --- the intended town -----------------------------------------------------------------------------------------------

_TOWN_BEFORE_RE = re.compile(
    r"(?:在|到|落户|落地|落在|选址|意向|入驻|放在|看中|看好|考察|回到|回|选在|位于|安排在|定在|倾向于?|首选)\s*$"
)
_TOWN_AFTER_RE = re.compile(r"^\s*(?:落户|落地|建设|投资|选址|建厂|设厂|拿地|供地|用地|的?地块|的?厂房|园区|工业区)")


def _town(doc: _Doc, unit_hits, source: dict | None, candidates: list[_Candidate]) -> dict | None:
    """The town or zone the project would go to: a town after 在/落户/选址 … wins, then one followed by 落户/建设/
    地块 …, then any town named outside the report header and outside an enterprise's name."""
    norm = doc.norm
    best = None
    for s, e, name, kind in unit_hits:
        if kind not in ("town", "zone"):
            continue
        if any(c.prefix_start <= s and e <= c.end for c in candidates):
            continue  # 诸暨店口铜业有限公司: a name, not a place to go
        if source is not None and source.get("unit") == name and source["start"] <= s < source["end"]:
            continue  # 店口镇报送: who reports, not where the project goes
        if source is not None and source["start"] <= s < source["end"]:
            continue
        score = 1
        if _TOWN_BEFORE_RE.search(norm[max(0, s - 4) : s]):
            score = 3
        elif _TOWN_AFTER_RE.match(norm[e : e + 4]):
            score = 2
        if best is None or score > best[0]:
            best = (score, _field(name, s, e))
    return best[1] if best else None


def _unit_fields(doc: _Doc, org_units, candidates: list[_Candidate]) -> tuple[dict | None, dict | None]:
    """(source_channel, preferred_town) of one document."""
    units = _units(org_units)
    hits = list(units.matches(doc)) if units.aliases else []
    source = _source(doc, units, hits)
    return source, _town(doc, hits, source, candidates)
