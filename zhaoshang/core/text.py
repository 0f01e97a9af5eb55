"""Pure text helpers: 统一社会信用代码 checks, company-name keys, pinyin and phone masking.

Nothing here touches the database or Django settings, so the functions can be used from models, forms,
importers and the demo-data generator alike.
"""

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

# ---------------------------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ---------------------------------------------------------------------------------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100-2015; a character's value is its index."""

USCC_REGISTRATION_DEPARTMENTS = frozenset("123456789ANY")
"""Allowed 登记管理部门代码 (position 1): the 2015 table plus the departments added by later amendments."""

USCC_GENERATED_MARKER = "YYYY"
"""Positions 9-12 of every code made by :func:`uscc_generate`."""

_USCC_LENGTH = 18
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 11714 predates the 2015 character set and values letters over the full alphabet (A=10 … Z=35).
_GB11714_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_EXCLUDED_LETTERS = frozenset("IOZSV")
_GENERATED_SERIAL_WIDTH = 4
_GENERATED_SEED_LIMIT = len(USCC_CHARSET) ** _GENERATED_SERIAL_WIDTH


_ASCII_LOWER_TO_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: ord(" ")}


def _fullwidth_to_halfwidth(text: str) -> str:
    """Map full-width ASCII variants (U+FF01-U+FF5E) and the ideographic space to their ASCII forms."""
    return text.translate(_HALFWIDTH)


def uscc_normalize(code: str) -> str:
    """Return ``code`` with full-width characters made half-width, surrounding whitespace removed and ASCII
    letters upper-cased. Nothing else is changed, so invalid input stays recognisably invalid."""
    half = _fullwidth_to_halfwidth(code).strip()
    return half.translate(_ASCII_LOWER_TO_UPPER)


def _gb11714_check_char(body: str) -> str:
    """The GB 11714 check character for an 8-character organisation-code body: ``0``-``9`` or ``X``."""
    remainder = 11 - sum(_GB11714_VALUES[c] * w for c, w in zip(body, _GB11714_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _uscc_check_char(first17: str) -> str:
    """The GB 32100 check character (position 18) for the first 17 characters."""
    remainder = 31 - sum(_USCC_VALUES[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True)) % 31
    return USCC_CHARSET[remainder % 31]


def _charset_error(code: str) -> str | None:
    """One message naming every character outside the GB 32100 set with its 1-based position, or None."""
    bad = [(i, c) for i, c in enumerate(code, start=1) if c not in _USCC_VALUES]
    if not bad:
        return None
    where = "、".join(f"第 {i} 位“{c}”" for i, c in bad)
    # The excluded letters are the usual mistake; anything else (punctuation, CJK) gets the full rule.
    if all(c in _USCC_EXCLUDED_LETTERS for _, c in bad):
        return f"{where}不是允许的字符（不使用 I、O、Z、S、V）"
    return f"{where}不是允许的字符（只能是数字 0–9 和除 I、O、Z、S、V 外的大写字母）"


def uscc_errors(code: str) -> list[str]:
    """Check a 统一社会信用代码 against GB 32100-2015 and return one Chinese message per broken rule.

    The input is first passed through :func:`uscc_normalize`. Rules: 18 characters from :data:`USCC_CHARSET`;
    position 1 (登记管理部门代码) in :data:`USCC_REGISTRATION_DEPARTMENTS`; position 2 (机构类别代码) from the
    character set (already covered by the character rule); positions 3-8 (行政区划码) digits; position 17 the
    GB 11714 check character of positions 9-16; position 18 the GB 32100 check character of positions 1-17.
    Position rules are only applied to an 18-character code, and the check characters only when every
    character is in the set. An empty list means the code is valid.
    """
    code = uscc_normalize(code)
    if not code:
        return ["统一社会信用代码不能为空"]
    errors: list[str] = []
    charset_error = _charset_error(code)
    if len(code) != _USCC_LENGTH:
        errors.append(f"统一社会信用代码应为 18 位，当前为 {len(code)} 位")
    if charset_error:
        errors.append(charset_error)
    if len(code) != _USCC_LENGTH:
        return errors
    # A first character outside the set was already named by the character rule.
    if code[0] in _USCC_VALUES and code[0] not in USCC_REGISTRATION_DEPARTMENTS:
        errors.append(f"登记管理部门代码（第 1 位）不能为“{code[0]}”，应为 1–9、A、N 或 Y")
    if not code[2:8].isascii() or not code[2:8].isdigit():
        errors.append(f"登记管理机关行政区划码（第 3–8 位）应为 6 位数字，实际为“{code[2:8]}”")
    if charset_error:
        return errors
    expected17 = _gb11714_check_char(code[8:16])
    if code[16] != expected17:
        errors.append(f"组织机构代码校验位（第 17 位）应为 {expected17}，实际为 {code[16]}")
    expected18 = _uscc_check_char(code[:17])
    if code[17] != expected18:
        errors.append(f"校验位（第 18 位）应为 {expected18}，实际为 {code[17]}")
    return errors


def uscc_is_valid(code: str) -> bool:
    """True when :func:`uscc_errors` finds nothing wrong with ``code``."""
    return not uscc_errors(code)


def uscc_generate(seed: int, region: str = "330681", prefix: str = "91") -> str:
    """Return a deterministic, fully valid code for demo and benchmark data.

    Fictional enterprises must not carry a real company's code, so generated codes are marked: the 主体标识码
    (positions 9-16) starts with ``YYYY``, a block the 2015 scheme is not known to issue, followed by ``seed``
    written in base 31 over :data:`USCC_CHARSET`; positions 17 and 18 are the computed check characters. No
    choice of allowed characters is collision-proof in principle, which is why the marker is documented and
    :func:`uscc_is_generated` recognises it. Seeds ``0`` … ``31**4 - 1`` give distinct codes; other seeds, a
    ``region`` that is not 6 digits or a ``prefix`` that is not a valid department and category raise ValueError.
    """
    if not 0 <= seed < _GENERATED_SEED_LIMIT:
        raise ValueError(f"seed must be in 0..{_GENERATED_SEED_LIMIT - 1}, got {seed}")
    if not (len(region) == 6 and region.isascii() and region.isdigit()):
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not (len(prefix) == 2 and prefix[0] in USCC_REGISTRATION_DEPARTMENTS and prefix[1] in _USCC_VALUES):
        raise ValueError(f"prefix must be a registration department and an organisation category, got {prefix!r}")
    serial = ""
    for _ in range(_GENERATED_SERIAL_WIDTH):
        seed, digit = divmod(seed, len(USCC_CHARSET))
        serial = USCC_CHARSET[digit] + serial
    body = USCC_GENERATED_MARKER + serial
    first17 = prefix + region + body + _gb11714_check_char(body)
    return first17 + _uscc_check_char(first17)


def uscc_is_generated(code: str) -> bool:
    """True when ``code`` is valid and carries the demo marker of :func:`uscc_generate` (``YYYY`` at 9-12)."""
    code = uscc_normalize(code)
    return uscc_is_valid(code) and code[8:12] == USCC_GENERATED_MARKER


# ---------------------------------------------------------------------------------------------------------------------
# Company-name keys
# ---------------------------------------------------------------------------------------------------------------------

# fmt: off
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
    "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_PROVINCE_FULL_NAMES = (
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区",
    "澳门特别行政区",
)
# Shenzhen is not province-level but is as common a company-name prefix as one.
_OTHER_CITIES = ("深圳",)
# Zhejiang's prefecture-level cities and, for each, its districts, county-level cities and counties.
_ZHEJIANG_COUNTIES = {
    "绍兴": ("越城", "柯桥", "上虞", "诸暨", "嵊州", "新昌"),
    "杭州": ("上城", "拱墅", "西湖", "滨江", "萧山", "余杭", "临平", "钱塘", "富阳", "临安", "桐庐", "淳安", "建德"),
    "宁波": ("海曙", "江北", "北仑", "镇海", "鄞州", "奉化", "余姚", "慈溪", "象山", "宁海"),
    "温州": ("鹿城", "龙湾", "瓯海", "洞头", "瑞安", "乐清", "龙港", "永嘉", "平阳", "苍南", "文成", "泰顺"),
    "嘉兴": ("南湖", "秀洲", "海宁", "平湖", "桐乡", "嘉善", "海盐"),
    "湖州": ("吴兴", "南浔", "德清", "长兴", "安吉"),
    "金华": ("婺城", "金东", "兰溪", "义乌", "东阳", "永康", "武义", "浦江", "磐安"),
    "衢州": ("柯城", "衢江", "江山", "常山", "开化", "龙游"),
    "舟山": ("定海", "普陀", "岱山", "嵊泗"),
    "台州": ("椒江", "黄岩", "路桥", "临海", "温岭", "玉环", "三门", "天台", "仙居"),
    "丽水": ("莲都", "龙泉", "青田", "缙云", "遂昌", "松阳", "云和", "庆元", "景宁"),
}
_ZHEJIANG_PLACES = (*_ZHEJIANG_COUNTIES, *(county for counties in _ZHEJIANG_COUNTIES.values() for county in counties))
_GENERIC_INDUSTRY_WORDS = frozenset((
    "科技", "技术", "实业", "贸易", "商贸", "投资", "控股", "发展", "建设", "建筑", "工程", "电子", "电器", "电气",
    "机械", "机电", "化工", "医药", "生物", "食品", "纺织", "服装", "服饰", "物流", "能源", "新能源", "环保", "环境",
    "信息", "网络", "软件", "数字", "智能", "制造", "建材", "置业", "房地产", "地产", "国际", "材料", "新材料",
    "五金", "铜业", "金属", "管业", "塑业", "农业", "旅游", "文化", "传媒", "教育", "咨询", "管理", "服务", "设备",
    "汽车", "汽配", "光电", "通信", "进出口", "供应链", "企业", "产业", "工业", "矿业", "钢铁", "水务", "燃气",
    "电力", "交通", "运输", "金融", "资产", "资本", "股份",
))
_CJK_SUFFIXES = (
    "集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团公司",
    "株式会社", "有限合伙", "总公司", "集团", "公司",
)
# fmt: on
# Compared after _compact, so "Co., Ltd." has become "co ltd".
_ENGLISH_SUFFIX_RE = re.compile(
    r"(?<![a-z0-9])(?:co ltd|ltd|limited|inc|incorporated|corp|corporation|gmbh|ag|group|company|co|llc|plc)$"
)
_BRACKET_GROUP_RE = re.compile(r"[(\[【〔〖]([^()\[\]【】〔〕〖〗]*)[)\]】〕〗]")
_BRACKET_CHARS_RE = re.compile(r"[()\[\]【】〔〕〖〗]")
_ASCII_UPPER_TO_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _with_suffixes(names: Iterable[str], suffixes: Iterable[str]) -> set[str]:
    suffixes = tuple(suffixes)
    return {name + suffix for name in names for suffix in ("", *suffixes)}


_REGION_PREFIXES = tuple(
    sorted(
        _with_suffixes(_PROVINCES, ("省", "市", "自治区"))
        | set(_PROVINCE_FULL_NAMES)
        | _with_suffixes(_OTHER_CITIES + _ZHEJIANG_PLACES, ("市", "县", "区")),
        key=len,
        reverse=True,
    )
)
_BRACKET_MARKERS = frozenset(_REGION_PREFIXES) | {"中国", "集团", "有限合伙", "普通合伙", "china", "group"}
# The same, by first character (longest first within each): a name is only compared with the few that can match.
_REGION_PREFIXES_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _region in _REGION_PREFIXES:
    _REGION_PREFIXES_BY_FIRST[_region[0]] = (*_REGION_PREFIXES_BY_FIRST.get(_region[0], ()), _region)
del _region


def _is_word_char(c: str) -> bool:
    """Letters (CJK included) and digits: the only characters a name key keeps."""
    return unicodedata.category(c)[0] in "LN"


def _has_word_char(text: str) -> bool:
    return any(_is_word_char(c) for c in text)


def _drop_marker_brackets(name: str) -> str:
    """Remove bracketed region/organisation markers such as ``(中国)`` or ``(上海)``, innermost first; other
    brackets become spaces so their content stays. A marker is kept when nothing else would be left."""

    def replace(match: re.Match[str]) -> str:
        content = "".join(match.group(1).split())
        if content in _BRACKET_MARKERS and _has_word_char(name[: match.start()] + name[match.end() :]):
            return " "
        return f" {match.group(1)} "

    while True:
        replaced = _BRACKET_GROUP_RE.sub(replace, name, count=1)
        if replaced == name:
            return _BRACKET_CHARS_RE.sub(" ", name)
        name = replaced


def _compact(name: str) -> str:
    """Drop everything but letters and digits, except one space between two ASCII letters/digits so English
    words keep their boundaries until the suffixes are gone."""
    out: list[str] = []
    pending_gap = False
    for c in name:
        if _is_word_char(c):
            if pending_gap and out and out[-1].isascii() and c.isascii():
                out.append(" ")
            out.append(c)
            pending_gap = False
        else:
            pending_gap = True
    return "".join(out)


def _strip_one_suffix(name: str) -> str:
    """Remove one organisation-form suffix if something with a letter or digit remains; else return ``name``."""
    for suffix in _CJK_SUFFIXES:
        # A branch (分公司) is a different entity from its parent, so its "公司" stays.
        if name.endswith(suffix) and not (suffix == "公司" and name.endswith("分公司")):
            rest = name[: -len(suffix)].rstrip()
            return rest if _has_word_char(rest) else name
    match = _ENGLISH_SUFFIX_RE.search(name)
    if match:
        rest = name[: match.start()].rstrip()
        return rest if _has_word_char(rest) else name
    return name


_GENERIC_WORD_LENGTHS = sorted({len(w) for w in _GENERIC_INDUSTRY_WORDS})
_GENERIC_WORD_CHARS = frozenset("".join(_GENERIC_INDUSTRY_WORDS))


def _only_generic_words(text: str) -> bool:
    """True when ``text`` splits entirely into generic industry words (科技, 科技发展, 国际贸易 …)."""
    if not text or not _GENERIC_WORD_CHARS.issuperset(text):
        return False
    # Dynamic programming rather than recursion: a long run of 科技科技… must neither recurse deeply nor backtrack.
    splits_at = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        splits_at[end] = any(
            n <= end and splits_at[end - n] and text[end - n : end] in _GENERIC_INDUSTRY_WORDS
            for n in _GENERIC_WORD_LENGTHS
        )
    return splits_at[-1]


def _is_distinctive(rest: str) -> bool:
    """Enough left after a region prefix to tell companies apart: at least two letters (CJK or Latin) and not
    merely a generic industry word."""
    letters = sum(1 for c in rest if unicodedata.category(c)[0] == "L")
    return letters >= 2 and not _only_generic_words(rest)


def _strip_one_region(name: str) -> str:
    """Remove the longest leading region name if what remains is distinctive; else return ``name``."""
    for region in _REGION_PREFIXES_BY_FIRST.get(name[:1], ()):
        if name.startswith(region):
            rest = name[len(region) :]
            return rest if _is_distinctive(rest) else name
    return name


def _repeat(step: Callable[[str], str], text: str) -> str:
    """Apply ``step`` until it stops changing ``text``."""
    while True:
        result = step(text)
        if result == text:
            return text
        text = result


def _normalize_once(name: str) -> str:
    """One round of the steps listed in :func:`normalize_company_name`."""
    name = unicodedata.normalize("NFKC", name).translate(_ASCII_UPPER_TO_LOWER)
    name = _compact(_drop_marker_brackets(name))
    name = _repeat(_strip_one_suffix, name)
    return _repeat(_strip_one_region, name.replace(" ", ""))


def normalize_company_name(name: str) -> str:
    """Return a key for spotting duplicate companies; keep the original name elsewhere, this is only the key.

    Steps: NFKC (full-width → half-width); ASCII letters lower-cased; bracketed region or organisation markers
    (``（中国）``, ``(上海)``, ``（集团）``, ``(有限合伙)`` …) removed, other brackets dropped but their content kept;
    everything but letters and digits removed; organisation-form suffixes (有限公司, 股份有限公司, 集团, 公司,
    Co., Ltd., Inc, GmbH, Group …) removed repeatedly, except the 公司 of 分公司; leading province-level and
    Zhejiang city/county names removed repeatedly while the rest stays distinctive (two letters or more and
    not just a generic industry word such as 科技). The steps are repeated until nothing changes, which makes
    the function idempotent. Never raises; returns "" only when ``name`` has no letters or digits after NFKC.

    >>> normalize_company_name("浙江海亮股份有限公司")
    '海亮'
    """
    # Each round only removes characters (NFKC cannot lengthen text it has already normalised), so this ends.
    return _repeat(_normalize_once, name)


def has_organisation_form(name: str) -> bool:
    """True when ``name`` ends with a Chinese organisation form (有限公司, 股份有限公司, 集团, 公司 …) after
    something else, as a full company name does: ``浙江万安科技股份有限公司`` yes, ``万安科技`` and ``有限公司`` no."""
    key = _compact(_drop_marker_brackets(unicodedata.normalize("NFKC", name))).replace(" ", "")
    suffix = next((suffix for suffix in _CJK_SUFFIXES if key.endswith(suffix)), "")
    return bool(suffix) and _has_word_char(key[: -len(suffix)])


# ---------------------------------------------------------------------------------------------------------------------
# Pinyin
# ---------------------------------------------------------------------------------------------------------------------

_NON_ASCII_WORD_RE = re.compile(r"[^a-z0-9]+")


def _ascii_words(chunk: str) -> str:
    """The lower-case ASCII letters and digits of a non-CJK chunk; everything else is dropped."""
    return _NON_ASCII_WORD_RE.sub("", chunk.lower())


_NOT_CHINESE = "\x00"  # marks what the errors callback returned: kept whole in the initials


@functools.lru_cache(maxsize=1024)  # pinyin_full and pinyin_initials of the same name follow each other
def _syllables(text: str) -> tuple[tuple[str, bool], ...]:
    """``text``'s pinyin syllables, each with whether it spells a Chinese character. One conversion serves both
    the full spelling and the initials.

    pypinyin splits the text into words (runs of non-Chinese characters, and Chinese runs cut by forward
    maximum matching on its phrase dictionary) and converts each word on its own; this does the same with the
    conversion of each word cached. Company names are made of a small vocabulary of words (regions, 科技,
    有限公司 …), so most conversions are dictionary look-ups: an import's pinyin costs a sixth of what
    converting every name whole costs. ``test_pinyin_by_words_equals_pypinyin`` checks the equivalence."""
    from pypinyin.seg.mmseg import seg as phrases  # lazy: pypinyin's dictionaries cost every process ~60 MB

    syllables: list[tuple[str, bool]] = []
    # pypinyin's own split (simpleseg.seg) tests one character at a time; one regular expression splits the same
    # runs: odd pieces are Chinese, cut into phrases; even pieces are the rest, converted whole.
    for index, piece in enumerate(_hans_runs().split(unicodedata.normalize("NFKC", text))):
        if index % 2:
            for word in phrases.cut(piece):
                syllables += _word_syllables(word)
        elif piece:
            syllables += _word_syllables(piece)
    return tuple(syllables)


@functools.cache
def _hans_runs() -> re.Pattern:
    """Runs of the characters pypinyin converts (its ``RE_HANS`` is ``^(?:[…])+$``), as a capturing split."""
    from pypinyin.constants import RE_HANS  # lazy: see _syllables

    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:") and pattern.endswith(")+$")):
        raise RuntimeError("pypinyin's RE_HANS changed shape; update _hans_runs")
    return re.compile(f"((?:{pattern[4:-3]})+)", RE_HANS.flags)


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[tuple[str, bool], ...]:
    # pypinyin loads its dictionaries on import, which only the callers of these helpers should pay for.
    from pypinyin import Style, lazy_pinyin  # lazy: see _syllables

    items = lazy_pinyin(word, style=Style.NORMAL, errors=lambda chunk: _NOT_CHINESE + _ascii_words(chunk))
    return tuple((item[1:], False) if item.startswith(_NOT_CHINESE) else (item, True) for item in items)


def _pinyin(text: str, *, initials: bool) -> str:
    syllables = _syllables(text)
    if initials:
        return _ascii_words("".join(s[:1] if chinese else s for s, chinese in syllables))
    return _ascii_words("".join(s for s, _ in syllables))


def pinyin_full(text: str) -> str:
    """Toneless lower-case pinyin of ``text`` run together (most common reading, ü as ``v``); ASCII letters and
    digits are kept lower-cased, anything else is dropped: ``海亮集团`` → ``hailiangjituan``."""
    return _pinyin(text, initials=False)


def pinyin_initials(text: str) -> str:
    """The first letter of each syllable of ``text`` (most common reading); ASCII letters and digits are kept
    lower-cased, anything else is dropped: ``海亮集团`` → ``hljt``."""
    return _pinyin(text, initials=True)


def pinyin_inner(text: str, limit: int) -> list[str]:
    """The pinyin of ``text`` from each Chinese character after the first, each cut to ``limit`` letters:
    ``某某新材料`` → ``mouxincailiao``, ``xincailiao``, ``cailiao`` (two syllables at least), so that a prefix
    match finds the pinyin of a word inside a name."""
    syllables = _syllables(text)
    return [
        _ascii_words("".join(s for s, _ in syllables[i:]))[:limit]
        for i in range(1, len(syllables) - 1)
        if syllables[i][1]
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Phone masking
# ---------------------------------------------------------------------------------------------------------------------

# re.ASCII: \d would otherwise accept digits of other scripts, which are no phone number here.
_MOBILE_RE = re.compile(r"1\d{10}", re.ASCII)
_LANDLINE_RE = re.compile(r"(0\d{2,3})([-\s]?)(\d{7,8})", re.ASCII)
_EXTENSION_RE = re.compile(r"(.+?)(转\d{1,6})", re.ASCII)


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number for display.

    A mainland mobile (11 digits starting with 1, spaces and hyphens ignored) becomes ``138****5678``; a
    landline with area code keeps the area code, separator and last 4 digits (``0575-****2345``); any other
    value of 8 or more characters with at least 7 digits keeps its first 3 and last 4 characters; anything
    shorter shows only its last 2 characters. Full-width digits are read as ASCII; empty input gives "".
    """
    phone = unicodedata.normalize("NFKC", phone).strip()
    if (split := _EXTENSION_RE.fullmatch(phone)) is not None:  # 0575-87654321转8001: the extension stays
        return mask_phone(split.group(1)) + split.group(2)
    digits_only = re.sub(r"[-\s]", "", phone)
    if _MOBILE_RE.fullmatch(digits_only):
        return f"{digits_only[:3]}****{digits_only[-4:]}"
    landline = _LANDLINE_RE.fullmatch(phone)
    if landline:
        area, separator, local = landline.groups()
        return f"{area}{separator}{'*' * (len(local) - 4)}{local[-4:]}"
    # With 7 characters, keeping 3 + 4 would hide nothing, so such values get the short rule.
    if sum(c.isdigit() for c in phone) >= 7 and len(phone) >= 8:
        return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
    return "*" * max(len(phone) - 2, 0) + phone[-2:]
