"""Proposals built from the other fields: an anonymised investor (杭州某新材料科技有限公司) and the lead's title."""

from __future__ import annotations

import re

from .document import _Doc, _field
from .lexicon import _GENERIC_BODY, _LATIN_FORMS, _ORG_FORMS, PLACES

_PLACE_ALTERNATION = "|".join(sorted((p for p in PLACES if len(p) >= 2), key=len, reverse=True))
_ANONYMOUS_RE = re.compile(
    r"(?P<place>(?:(?:" + _PLACE_ALTERNATION + r")(?:工业园区|高新区|开发区|经开区|新区|地区)?){1,2}(?:的)?)?"
    r"(?P<mark>某某?|[Xx]{2,3}|[×Ｘ]{2,3}|\*{2,}|＊{2,}|○{2,})"
    r"(?P<body>[\u4e00-\u9fffA-Za-z]{0,14}?)"
    r"(?P<form>" + "|".join(_ORG_FORMS) + r"|企业|工厂|厂)"
)
_MARK_RE = re.compile(r"某|[Xx]{2}|[×Ｘ]{2}|\*{2}|＊{2}|○{2}")
_NOT_A_BODY_RE = re.compile(r"[的在拟将和与及是为等]")


def _anonymous_investor(doc: _Doc) -> dict | None:
    """The first anonymised name written with an organisation form: 杭州某新材料科技有限公司, XX科技有限公司,
    浙江**集团, 德国某汽车零部件企业. A bare 某企业 / 某公司 (nothing but the mark) names nobody and is passed over."""
    if not _MARK_RE.search(doc.norm):  # the place alternation is tried at every position: only when worth it
        return None
    for m in _ANONYMOUS_RE.finditer(doc.norm):
        body = m.group("body")
        if _NOT_A_BODY_RE.search(body):
            continue
        if not body and not m.group("place"):
            continue
        if m.group("form") in ("企业", "工厂", "厂") and len(body) < 2:
            continue
        start = m.start("place") if m.group("place") else m.start("mark")
        if m.group("place") and m.group("place").endswith("的"):
            start = m.start("mark")
        return _field(doc.text[start : m.end()], start, m.end(), anonymous=True)
    return None


# --- title -----------------------------------------------------------------------------------------------------------

_FORM_TAIL_RE = re.compile(
    r"(?:[(（](?:中国|香港|上海|杭州|苏州)[)）])?(?:" + "|".join(_ORG_FORMS) + r")$|\s+(?:" + _LATIN_FORMS + r")$"
)
_FILLER_TAIL = ("科技", "实业", "发展", "投资", "控股", "国际", "集团", "股份", "技术", "贸易", "商贸", "工业", "企业")
_ANONYMOUS_FILLER = ("科技", "实业", "发展", "股份", "技术", "国际", "集团")
_PROJECT_VERB_RE = re.compile(
    r"(?:投资建设|新建|扩建|建设|实施|打造|上马|引进|落地|启动|推进|开工|投建|投资|建|做|上|搞)"
)
_PROJECT_RE = re.compile(r"([^，。；;,、：:\s（）()]{2,30}?)项目")
# Inside a project phrase, what comes before these is not the project (跟进X有限公司的五金管件扩产项目).
_PHRASE_CUT_RE = re.compile(r"的|(?:" + "|".join(_ORG_FORMS) + r")(?=.)")
# Words before 项目 that rate or count it, not name it (重大项目线索).
_NOT_A_PROJECT = frozenset(("重大", "重点", "招商", "签约", "意向", "储备", "这个", "该", "此", "好", "大", "新"))
_FACILITY_RE = re.compile(
    r"(?:新建|建设|投资建设|投建|扩建|建|设立|设|筹建|布局|打造|搞|做)(?:一个|一座|个)?([^，。；;,、：:\s（）()]{2,16}?)"
    r"(生产基地|制造基地|研发中心|研发基地|产业园|基地|工厂|生产线|产线|车间|总部|中心|厂)"
)


def _short_investor(name: str, anonymous: bool, tokenizer=None) -> str:
    """澜拓 for 上海澜拓精密机械有限公司, 海亮 for 海亮集团有限公司, 杭州某新材料 for 杭州某新材料科技有限公司."""
    short = name.strip()
    for _ in range(2):
        short = _FORM_TAIL_RE.sub("", short).strip()
    if anonymous:
        short = re.sub(r"(?:企业|工厂|厂)$", "", short)
        while short[-2:] in _ANONYMOUS_FILLER and len(short) > 4:
            short = short[:-2]
        return short
    # A leading place (上海, 江苏常州) is where the brand is registered, not the brand.
    for _ in range(2):
        place = next((p for p in sorted(PLACES, key=len, reverse=True) if short.startswith(p)), None)
        if place is None or len(short) - len(place) < 2:
            break
        short = short[len(place) :]
    # Trailing descriptive words (精密机械, 新能源汽车) after the brand.
    changed = True
    while changed:
        changed = False
        for word in sorted(_GENERIC_BODY | set(_FILLER_TAIL), key=len, reverse=True):
            if len(word) >= 2 and short.endswith(word) and len(short) - len(word) >= 2:
                short, changed = short[: -len(word)], True
                break
    # A two-character brand before a descriptive word: 皖能 of 皖能新能源汽车零部件.
    if tokenizer is not None and len(short) >= 5 and re.fullmatch(r"[\u4e00-\u9fff]+", short):
        first = next(iter(tokenizer.cut(short[2:], HMM=False)), "")
        if len(first) >= 2 and tokenizer.FREQ.get(first):
            short = short[:2]
    return short


def _project_phrase(doc: _Doc, industry: dict | None) -> tuple[str, int, int] | None:
    """The project as the text names it: 年产5万吨高性能复合材料项目 from 建设年产5万吨高性能复合材料项目, else a
    facility (空气轴承生产基地 → 空气轴承生产基地项目), else the product the industry was read from."""
    norm = doc.norm
    for m in _PROJECT_RE.finditer(norm):
        phrase, start = m.group(1), m.start(1)
        cuts = [v.end() for v in _PROJECT_VERB_RE.finditer(phrase)] + [c.end() for c in _PHRASE_CUT_RE.finditer(phrase)]
        if cuts:
            phrase = phrase[max(cuts) :]
        phrase = re.sub(r"^(?:一个|一期|二期|的|个)", "", phrase)
        start = m.end(1) - len(phrase)
        if len(phrase) >= 2 and phrase not in _NOT_A_PROJECT and not re.search(r"[在于到拟将]|亿|万元|美元", phrase):
            return phrase + "项目", start, m.end()
    for m in _FACILITY_RE.finditer(norm):
        if m.start() in doc.starts and not re.search(r"[在于到拟将]|亿|万元|美元", m.group(1)):
            return m.group(1) + m.group(2) + "项目", m.start(1), m.end(2)
    if industry is not None and industry["end"] > industry["start"]:
        return doc.text[industry["start"] : industry["end"]] + "项目", industry["start"], industry["end"]
    return None


def _title(doc: _Doc, fields: dict) -> dict | None:
    """``<investor short><project>``: 澜拓空气轴承生产基地项目, 杭州某新材料年产5万吨高性能复合材料项目; without a named
    investor the investor's place stands for it (成都客商复合材料项目); None when the text names neither an investor
    nor a project."""
    investor = fields.get("enterprise_name") or fields.get("anonymous_investor")
    who, source = "", None
    if investor is not None:
        who, source = _short_investor(investor["value"], bool(investor.get("anonymous")), doc.res.tokenizer), investor
    elif fields.get("location") is not None:
        who, source = fields["location"]["value"] + "客商", fields["location"]
    project = _project_phrase(doc, fields.get("industry"))
    if project is None:
        if source is None:
            return None
        return _field(f"{who}投资项目", source["start"], source["end"])
    phrase, start, end = project
    if who and phrase.startswith(who):
        who = ""
    # The investor's words the project repeats are said once: 织锦袜业 + 袜业项目 → 织锦袜业项目,
    # 汽悦热管理系统 + 热管理系统生产基地项目 → 汽悦热管理系统生产基地项目.
    core = phrase.removesuffix("项目")
    overlap = next((k for k in range(len(core), 1, -1) if who.endswith(core[:k])), 0)
    return _field((who + phrase[overlap:])[:60], start, end)
