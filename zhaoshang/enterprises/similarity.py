"""Are two enterprise records one firm? A score (0–100) and the reason, in Chinese, for the duplicates page.

Names are taken apart (``core.company_names.split_company_name``) and compared part by part: the 字号 decides,
what names commonly share (region, industry words, organisation form) only qualifies it. 武汉瑞兴视觉科技 and
武汉达锦视觉科技 share 8 of 10 characters, but not their 字号: different firms. 海亮 and 浙江海亮股份有限公司
share little text but the 字号: one firm. Credit codes, when both records have valid ones, settle it.

``SHOW_THRESHOLD`` is the score from which a pair is shown as a probable duplicate; tests/enterprises/
test_similarity_benchmark.py measures its precision on a labelled set of pairs (docs/decisions.md).
"""

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from zhaoshang.core.company_names import INDUSTRY_WORDS, NameParts, split_company_name
from zhaoshang.core.text import pinyin_full, uscc_is_valid, uscc_normalize

SHOW_THRESHOLD = 85
# Industry words that say little about what a firm does: two names differing only in these still agree.
_VAGUE_INDUSTRY = frozenset(("科技", "技术", "实业", "发展", "国际", "控股", "投资", "企业", "产业", "服务", "管理"))


@dataclass(frozen=True)
class PairScore:
    score: int
    reason: str

    @property
    def shown(self) -> bool:
        return self.score >= SHOW_THRESHOLD


def _valid_code(code: str) -> str:
    code = uscc_normalize(code) if code else ""
    return code if code and uscc_is_valid(code) else ""


def score_pair(name_a: str, name_b: str, *, code_a: str = "", code_b: str = "") -> PairScore:
    """How likely two records (name, optional credit code) are one firm, and why."""
    code_a, code_b = _valid_code(code_a), _valid_code(code_b)
    if code_a and code_a == code_b:
        return PairScore(100, "同一信用代码")
    by_name = score_names(split_company_name(name_a), split_company_name(name_b))
    if code_a and code_b:  # two registered entities: at most a related firm (a subsidiary, a group member)
        return PairScore(min(by_name.score, 40), "信用代码不同")
    return by_name


def _industries_agree(a: str, b: str) -> bool:
    """Equal, one missing (a 简称), one containing the other, or sharing a word that says what the firm does."""
    if not a or not b or a in b or b in a:
        return True
    return any(word in b for word in _words(a) if word not in _VAGUE_INDUSTRY)


def _words(industry: str) -> list[str]:
    """The industry words found in ``industry`` (视觉科技 → 视觉, 科技)."""
    spans = ((i, j) for i in range(len(industry)) for j in range(i + 2, len(industry) + 1))
    return [industry[i:j] for i, j in spans if industry[i:j] in INDUSTRY_WORDS]


def _regions_agree(a: NameParts, b: NameParts) -> str:
    """ "same" (equal or one missing), "nested" (a place and a place in it: 浙江 / 诸暨, 杭州 / 余杭) or "apart"
    (two places, or a subsidiary seated elsewhere: 天能电池（江苏） / 浙江天能电池)."""
    if (a.seat and a.seat not in b.places) or (b.seat and b.seat not in a.places):
        return "apart"
    if not a.places or not b.places or a.region == b.region:
        return "same"
    return "nested" if a.places <= b.places or b.places <= a.places else "apart"


def _same_trade(a: NameParts, b: NameParts) -> PairScore:
    regions = _regions_agree(a, b)
    if not _industries_agree(a.industry, b.industry):
        vague = set(_words(a.industry) + _words(b.industry)) <= _VAGUE_INDUSTRY
        return PairScore(80 if vague else 60, "字号相同、行业表述不同" if vague else "字号相同、行业不同")
    registered = "公司" in a.form and "公司" in b.form  # both full names (大华股份, 海亮集团 are 简称)
    if registered and ("集团" in a.form) != ("集团" in b.form):
        # 正泰集团股份有限公司 / 浙江正泰电器股份有限公司: a group and one of its companies
        return PairScore(75, "字号相同、一方为集团公司")
    if registered and bool(a.industry) != bool(b.industry):
        # Both registered names, one without industry words: a holding or listed parent and an operating company
        return PairScore(75, "字号相同、一方名称无行业")
    if regions == "apart":
        return PairScore(70, f"字号相同、地区不同（{a.region}／{b.region}）")
    if (a.region, a.industry, a.form) == (b.region, b.industry, b.form):
        return PairScore(98, "名称相同（写法不同）")
    details = []
    # A name without a registered organisation form is a 简称 (海亮, 万安科技, 海亮集团, 大华股份).
    short = a.form in ("", "集团", "股份") or b.form in ("", "集团", "股份")
    if short:
        details.append("一方为简称")
    if regions == "nested":
        details.append(f"地区不同（{a.region}／{b.region}）")
    elif a.region != b.region and not short:
        details.append("一方未写地区")
    if a.industry != b.industry and not short:
        details.append("行业表述不同" if a.industry and b.industry else "一方未写行业")
    if a.form and b.form and a.form != b.form:
        details.append(f"组织形式不同（{a.form}／{b.form}）")
    return PairScore(90 if regions == "nested" else 95, "、".join(["字号相同", *details]))


def _industry_typo(a: NameParts, b: NameParts) -> bool:
    """One character apart after the 字号 one of them shows: 万安科技 / 万安科枝 (a typo in an industry word)."""
    if len(a.key) != len(b.key) or len(a.key) < 4 or Levenshtein.distance(a.key, b.key) != 1:
        return False
    at = next(i for i, (x, y) in enumerate(zip(a.key, b.key, strict=True)) if x != y)
    return any(clean.industry and 2 <= len(clean.trade) <= at for clean in (a, b))


def score_names(a: NameParts, b: NameParts) -> PairScore:
    """The name part of ``score_pair``, on names already taken apart."""
    if not a.key or not b.key:
        return PairScore(0, "名称为空")
    if a.branch != b.branch:
        return PairScore(50, "一方为分支机构" if not (a.branch and b.branch) else "分支机构不同")
    if a.trade == b.trade:
        return _same_trade(a, b)
    if _industry_typo(a, b) and _regions_agree(a, b) != "apart":
        return PairScore(88, "字号相同、行业用字有一字之差（疑似错字）")
    for short, full in ((a, b), (b, a)):
        bare = not (short.region or short.industry or short.form)
        if bare and full.trade.startswith(short.trade) and len(full.trade) - len(short.trade) >= 2:
            # 会稽山 / 会稽山绍兴酒股份有限公司: a 简称 typed alone, the start of the full name's 字号
            return PairScore(86, "一方为简称（全称字号以其开头）")
    industries = _industries_agree(a.industry, b.industry)
    if len(a.trade) == len(b.trade) and pinyin_full(a.trade) == pinyin_full(b.trade):
        # Homophone 字号 are also registered by different firms (瑞兴 / 瑞星): close, not enough to show.
        return PairScore(80 if industries else 55, "字号读音相同、用字不同")
    if a.trade in b.trade or b.trade in a.trade:
        return PairScore(60, "字号相近（一方字号包含另一方）")
    similarity = Levenshtein.normalized_similarity(a.trade, b.trade)
    return PairScore(round(50 * similarity), "字号不同")
