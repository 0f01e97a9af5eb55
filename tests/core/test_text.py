import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.core.text import (
    USCC_CHARSET,
    mask_phone,
    normalize_company_name,
    pinyin_full,
    pinyin_initials,
    uscc_errors,
    uscc_generate,
    uscc_is_generated,
    uscc_is_valid,
    uscc_normalize,
)

# ---------------------------------------------------------------------------------------------------------------------
# 统一社会信用代码
# ---------------------------------------------------------------------------------------------------------------------

# An independent reference for the two check characters, written from the standards' tables rather than from the
# module: GB 11714 values letters over the full alphabet (int(c, 36)), GB 32100 uses its own 31-character set.
_GB11714_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def _reference_code(first16: str) -> str:
    """Complete 16 characters with the GB 11714 check (position 17) and the GB 32100 check (position 18)."""
    c9 = 11 - sum(int(c, 36) * w for c, w in zip(first16[8:16], _GB11714_WEIGHTS, strict=True)) % 11
    first17 = first16 + {10: "X", 11: "0"}.get(c9, str(c9))
    c18 = 31 - sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _GB32100_WEIGHTS, strict=True)) % 31
    return first17 + USCC_CHARSET[0 if c18 == 31 else c18]


# Codes printed on real business licences, recalled from public sources. Each was kept only because it passes both
# check characters (a mistyped code passes both with probability 1/341); codes that failed were dropped.
PUBLISHED_CODES = [
    "91110000100006485K",
    "914403001922038216",
    "91110108551385082Q",
    "91440300708461136T",
    "91330100716105852F",
    "9144030071526726XG",
    "91110000710925462X",
    "91310000717854505W",
    "91350200776049653A",
    "91350200MA31E12PXF",
    "91440101MA5CJQ4N59",
    "913502000728319549",
    "123502001549897397",
    "9135021359498494XQ",
]

# Computed with _reference_code and checked against the module. They cover a check digit X at 17 with a check
# character 0 at 18 (worked by hand: GB 11714 sum 496, 496 mod 11 = 1, 11 - 1 = 10 → X; GB 32100 sum 2666 = 86 × 31,
# 31 - 0 = 31 → 0), a check digit 0 at 17 and the A, N and Y registration departments.
COMPUTED_CODES = [
    "91330681MA2K04Q3X0",
    "91330681MA2JR7P03B",
    "52330681000000X003",
    "Y1330681ABCDEFGH5G",
    "A9330681123456QW5N",
    "N2330681LMNPQRTU36",
]

uscc_first16 = st.builds(
    lambda department, category, region, body: department + category + region + body,
    st.sampled_from(sorted("123456789ANY")),
    st.sampled_from(USCC_CHARSET),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=USCC_CHARSET, min_size=8, max_size=8),
)


@pytest.mark.parametrize("code", PUBLISHED_CODES + COMPUTED_CODES)
def test_valid_codes_have_no_errors(code):
    assert uscc_errors(code) == []
    assert uscc_is_valid(code)


@pytest.mark.parametrize("code", PUBLISHED_CODES + COMPUTED_CODES)
def test_valid_codes_agree_with_the_independent_reference(code):
    assert _reference_code(code[:16]) == code


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  91110108551385082q\t", "91110108551385082Q"),
        ("９１１１０１０８５５１３８５０８２Ｑ", "91110108551385082Q"),
        ("\u300091110108551385082Q\u3000", "91110108551385082Q"),
        ("91 1101", "91 1101"),
    ],
)
def test_normalize_strips_halves_and_upper_cases(raw, normalized):
    assert uscc_normalize(raw) == normalized


def test_lower_case_full_width_and_padded_input_is_accepted():
    assert uscc_is_valid(" 91110108551385082q ")
    assert uscc_is_valid("９１１１０１０８５５１３８５０８２Ｑ")


@pytest.mark.parametrize("code", ["", "   ", "\u3000"])
def test_empty_code(code):
    assert uscc_errors(code) == ["统一社会信用代码不能为空"]


def test_wrong_length_is_reported_with_the_length():
    assert uscc_errors("9133068") == ["统一社会信用代码应为 18 位，当前为 7 位"]
    assert uscc_errors("91110108551385082QQ") == ["统一社会信用代码应为 18 位，当前为 19 位"]


def test_wrong_length_and_bad_characters_are_both_reported():
    assert uscc_errors("9I33") == [
        "统一社会信用代码应为 18 位，当前为 4 位",
        "第 2 位“I”不是允许的字符（不使用 I、O、Z、S、V）",
    ]


def test_excluded_letter_is_named_with_its_position():
    assert uscc_errors("91110108551O85082Q") == ["第 12 位“O”不是允许的字符（不使用 I、O、Z、S、V）"]


def test_excluded_letter_in_the_region_also_breaks_the_region_rule():
    assert uscc_errors("9111I108551385082Q") == [
        "第 5 位“I”不是允许的字符（不使用 I、O、Z、S、V）",
        "登记管理机关行政区划码（第 3–8 位）应为 6 位数字，实际为“11I108”",
    ]


def test_several_bad_characters_are_listed_together():
    assert uscc_errors("91110108551S8508-Q") == [
        "第 12 位“S”、第 17 位“-”不是允许的字符（只能是数字 0–9 和除 I、O、Z、S、V 外的大写字母）"
    ]


def test_registration_department_must_be_known():
    code = _reference_code("B1330681MA2JR7P0")
    assert uscc_errors(code) == ["登记管理部门代码（第 1 位）不能为“B”，应为 1–9、A、N 或 Y"]
    assert uscc_errors(_reference_code("01330681MA2JR7P0")) == [
        "登记管理部门代码（第 1 位）不能为“0”，应为 1–9、A、N 或 Y"
    ]


def test_region_must_be_six_digits():
    assert uscc_errors(_reference_code("9133A681MA2JR7P0")) == [
        "登记管理机关行政区划码（第 3–8 位）应为 6 位数字，实际为“33A681”"
    ]


def test_organisation_code_check_digit():
    # Position 17 should be X; with 1 there and position 18 recomputed, only the GB 11714 rule fails.
    first17 = "91330681MA2K04Q31"
    c18 = 31 - sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _GB32100_WEIGHTS, strict=True)) % 31
    code = first17 + USCC_CHARSET[c18 % 31]
    assert uscc_errors(code) == ["组织机构代码校验位（第 17 位）应为 X，实际为 1"]


def test_final_check_character():
    assert uscc_errors("91110108551385082R") == ["校验位（第 18 位）应为 Q，实际为 R"]
    assert uscc_errors("91330681MA2K04Q3XY") == ["校验位（第 18 位）应为 0，实际为 Y"]


def test_both_check_characters_wrong():
    assert uscc_errors("91330681146230012Y") == [
        "组织机构代码校验位（第 17 位）应为 X，实际为 2",
        "校验位（第 18 位）应为 R，实际为 Y",
    ]


@given(uscc_first16)
def test_reference_built_codes_are_valid(first16):
    assert uscc_errors(_reference_code(first16)) == []


@given(uscc_first16, st.integers(0, 17), st.sampled_from(USCC_CHARSET))
def test_any_single_substitution_is_detected(first16, position, replacement):
    code = _reference_code(first16)
    altered = code[:position] + replacement + code[position + 1 :]
    assert (altered == code) or uscc_errors(altered)


@given(uscc_first16, st.integers(0, 15))
def test_any_adjacent_transposition_in_the_first_17_is_detected(first16, position):
    code = _reference_code(first16)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert (swapped == code) or uscc_errors(swapped)


def test_generated_codes_are_exact_valid_and_marked():
    assert uscc_generate(0) == "91330681YYYY00004K"
    assert uscc_generate(12345) == "91330681YYYY0CT79L"
    assert uscc_generate(31**4 - 1) == "91330681YYYYYYYY77"
    assert uscc_generate(7, region="110000", prefix="52") == _reference_code("52110000YYYY0007")
    for code in (uscc_generate(0), uscc_generate(12345), uscc_generate(31**4 - 1)):
        assert uscc_errors(code) == []
        assert uscc_is_generated(code)


@given(st.integers(0, 31**4 - 1))
def test_generated_code_encodes_its_seed(seed):
    code = uscc_generate(seed)
    assert code == _reference_code(code[:16])
    assert code[8:12] == "YYYY"
    decoded = 0
    for c in code[12:16]:
        decoded = decoded * 31 + USCC_CHARSET.index(c)
    assert decoded == seed  # so distinct seeds give distinct codes


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, "seed must be in 0..923520"),
        ({"seed": 31**4}, "seed must be in 0..923520"),
        ({"seed": 1, "region": "33068"}, "region must be 6 digits"),
        ({"seed": 1, "region": "33068A"}, "region must be 6 digits"),
        ({"seed": 1, "prefix": "B1"}, "prefix must be"),
        ({"seed": 1, "prefix": "9I"}, "prefix must be"),
        ({"seed": 1, "prefix": "911"}, "prefix must be"),
    ],
)
def test_generate_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        uscc_generate(**kwargs)


def test_real_and_invalid_codes_are_not_generated():
    assert not any(uscc_is_generated(code) for code in PUBLISHED_CODES)
    assert not uscc_is_generated("91330681YYYY00004A")  # marker present but check character wrong
    assert uscc_is_generated(uscc_generate(5).lower())


# ---------------------------------------------------------------------------------------------------------------------
# Company-name keys
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("浙江万安科技股份有限公司", "万安科技"),
        ("海亮集团有限公司", "海亮"),
        ("海亮集团", "海亮"),
        ("浙江海亮股份有限公司", "海亮"),
        ("世邦魏理仕（中国）有限公司", "世邦魏理仕"),
        ("世邦魏理仕(中国)有限公司", "世邦魏理仕"),
        ("世邦魏理仕 （ 中国 ） 有限公司", "世邦魏理仕"),
        ("ＡＢＣ科技有限公司", "abc科技"),
        ("诸暨市店口镇铜材有限公司", "店口镇铜材"),
        ("浙江省公司", "浙江省"),
        ("Hailiang Group Co., Ltd.", "hailiang"),
        ("HAILIANG GROUP CO.,LTD", "hailiang"),
        ("Siemens AG", "siemens"),
        ("Costco Wholesale Corporation", "costcowholesale"),
        ("Zinc Inc", "zinc"),
        ("ABC (China) Co.,Ltd", "abc"),
        ("ABC Ltd 有限公司", "abc"),
        ("浙江省绍兴市诸暨市华东铜业有限公司", "华东铜业"),
        ("阿里巴巴（中国）网络技术有限公司", "阿里巴巴网络技术"),
        ("海亮（集团）有限公司", "海亮"),
        ("某某贸易(上海)有限公司", "某某贸易"),
        ("【上海】某某", "某某"),
        ("杭州某某投资合伙企业（有限合伙）", "某某投资合伙企业"),
        ("杭州某某投资有限合伙", "某某投资"),
        ("某某（诸暨）智能科技有限公司", "某某智能科技"),
        ("某某（滨湖）科技有限公司", "某某滨湖科技"),
        ("北京 字节 跳动", "字节跳动"),
        ("海亮集团有限公司诸暨分公司", "海亮集团有限公司诸暨分公司"),
        ("某某研究院", "某某研究院"),
        ("某某株式会社", "某某"),
        ("某某总公司", "某某"),
        ("浙江科技发展有限公司", "浙江科技发展"),
        ("浙江省绍兴市科技有限公司", "绍兴市科技"),
        ("浙江3D打印有限公司", "3d打印"),
        ("浙江3D有限公司", "浙江3d"),
        ("有限公司", "有限公司"),
        ("（中国）", "中国"),
        ("浙江", "浙江"),
        ("", ""),
        ("   ", ""),
        ("!!!（）", ""),
    ],
)
def test_company_name_keys(name, key):
    assert normalize_company_name(name) == key


def test_variants_of_one_company_share_a_key():
    names = ["浙江海亮股份有限公司", "海亮集团有限公司", "海亮集团", "海亮 集团 有限 公司", "Hailiang Group Co., Ltd."]
    keys = {normalize_company_name(n) for n in names}
    assert keys == {"海亮", "hailiang"}  # Chinese and English names are not matched to each other


_REGIONS = ["浙江", "浙江省", "绍兴市", "诸暨市", "北京市", "上海", "（中国）", "(上海)", "杭州"]
_SUFFIXES = ["有限公司", "股份有限公司", "集团", "集团有限公司", "分公司", "（有限合伙）", " Co., Ltd.", " Inc", "公司"]
_cores = st.text(alphabet=st.sampled_from("海亮万安科技铜材诸暨集团公司有限ABCxyz12 ()（）·-"), max_size=8)
company_like = st.builds(
    lambda regions, core, suffixes: "".join(regions) + core + "".join(suffixes),
    st.lists(st.sampled_from(_REGIONS), max_size=3),
    _cores,
    st.lists(st.sampled_from(_SUFFIXES), max_size=3),
)


def _has_letters_or_digits(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in unicodedata.normalize("NFKC", text))


@given(st.text())
def test_normalize_is_idempotent_on_any_text(name):
    key = normalize_company_name(name)
    assert normalize_company_name(key) == key
    assert (key == "") == (not _has_letters_or_digits(name))


@given(company_like)
def test_normalize_is_idempotent_on_company_like_names(name):
    key = normalize_company_name(name)
    assert normalize_company_name(key) == key
    assert (key == "") == (not _has_letters_or_digits(name))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_key_holds_only_letters_and_digits_without_upper_case_ascii(name):
    key = normalize_company_name(name)
    assert all(unicodedata.category(c)[0] in "LN" for c in key)
    assert not any("A" <= c <= "Z" for c in key)


# ---------------------------------------------------------------------------------------------------------------------
# Pinyin
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "full", "initials"),
    [
        ("海亮集团", "hailiangjituan", "hljt"),
        ("诸暨", "zhuji", "zj"),
        ("重庆银行", "chongqingyinhang", "cqyh"),
        ("绿色ABC 12", "lvseabc12", "lsabc12"),
        ("ＡＢＣ科技-2号!", "abckeji2hao", "abckj2h"),
        ("安吉", "anji", "aj"),
        ("", "", ""),
        ("·—！!", "", ""),
    ],
)
def test_pinyin(text, full, initials):
    assert pinyin_full(text) == full
    assert pinyin_initials(text) == initials


# ---------------------------------------------------------------------------------------------------------------------
# Phone masking
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        (" 138 1234 5678 ", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("0575-87012345", "0575-****2345"),
        ("010-12345678", "010-****5678"),
        ("0571 8701234", "0571 ***1234"),
        ("057587012345", "0575****2345"),
        ("+8613812345678", "+86*******5678"),
        ("400-800-8888", "400*****8888"),
        ("87012345", "870*2345"),
        ("1234567", "*****67"),
        ("12345", "***45"),
        ("12", "12"),
        ("١٣٨١٢٣٤٥٦٧٨", "١٣٨****٥٦٧٨"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_full_pinyin_and_initials_from_one_conversion_equal_pypinyins_own_styles():
    """pinyin_full and pinyin_initials share one pypinyin call; the initials must equal Style.FIRST_LETTER's."""
    from pypinyin import Style, lazy_pinyin

    from demo.enterprises import NEAR_DUPLICATES, PLACES_DOMESTIC, REAL
    from zhaoshang.core.text import _ascii_words, pinyin_full, pinyin_initials

    names = [
        "海亮集团有限公司",
        "浙江万安科技股份有限公司",
        "ABC（中国）投资有限公司",
        "绿色能源3D打印",
        "重庆长安汽车",
        "女装 Lvyou",
        "𠮷野家",
        "",
    ]
    names += [row[0] for row in REAL] + [row[0] for row in NEAR_DUPLICATES] + [str(p) for p in PLACES_DOMESTIC]
    for name in names:
        first = lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.FIRST_LETTER, errors=_ascii_words)
        normal = lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.NORMAL, errors=_ascii_words)
        assert pinyin_initials(name) == _ascii_words("".join(first)), name
        assert pinyin_full(name) == _ascii_words("".join(normal)), name


# Characters that make pypinyin's word splitting matter: phrases with polyphones (银行, 重庆, 长安, 行长, 朝阳 …),
# letters, digits, punctuation and spaces between them.
_PINYIN_ALPHABET = "重庆银行长安朝阳都会乐音调和平了解数据科技有限公司集团浙江诸暨海亮〇𠮷 Ab1-（）·ＡＢ"


@given(st.text(alphabet=_PINYIN_ALPHABET, max_size=16))
def test_pinyin_by_words_equals_pypinyin(text):
    """The word-by-word conversion with a cache gives exactly what pypinyin gives for the whole text."""
    from pypinyin import Style, lazy_pinyin

    from zhaoshang.core.text import _ascii_words

    normal = lazy_pinyin(unicodedata.normalize("NFKC", text), style=Style.NORMAL, errors=_ascii_words)
    first = lazy_pinyin(unicodedata.normalize("NFKC", text), style=Style.FIRST_LETTER, errors=_ascii_words)
    assert pinyin_full(text) == _ascii_words("".join(normal))
    assert pinyin_initials(text) == _ascii_words("".join(first))
