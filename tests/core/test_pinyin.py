import pytest

from zhaoshang.core.pinyin import SYLLABLES, syllable_count
from zhaoshang.core.search import INNER_LIMIT, document_tokens, parse_query
from zhaoshang.core.text import pinyin_inner


def test_the_syllable_table_is_pypinyins():
    """Every toneless reading pypinyin gives a character of the basic block, less the interjections."""
    from pypinyin import Style, pinyin

    readings = {
        r
        for cp in range(0x4E00, 0x9FA6)
        for r in pinyin(chr(cp), style=Style.NORMAL, heteronym=True)[0]
        if r.isascii() and r.isalpha()
    }
    assert readings - SYLLABLES == {"hm", "hng", "m", "n", "ng"}
    assert readings >= SYLLABLES


@pytest.mark.parametrize(
    ("word", "partial", "count"),
    [
        ("hai", False, 1),
        ("hailiang", False, 2),
        ("xian", False, 1),  # fewest: xian, not xi + an
        ("jituan", False, 2),
        ("xinc", False, 0),
        ("xinc", True, 2),
        ("zhuangzhuang", False, 2),
        ("group", True, 0),
        ("cbre", True, 0),
        ("ngji", True, 0),
        ("3d", True, 0),
        ("", True, 0),
    ],
)
def test_syllable_count(word, partial, count):
    assert syllable_count(word, partial_end=partial) == count


def test_inner_pinyin_starts_at_each_character_after_the_first_and_spans_two_syllables():
    assert pinyin_inner("某某新材料", 16) == ["mouxincailiao", "xincailiao", "cailiao"]
    assert pinyin_inner("海亮", 16) == []
    assert pinyin_inner("绿色3D打印科技", 8) == ["se3ddayi", "dayinkej", "yinkeji", "keji"]


def test_inner_tokens_are_marked_and_only_for_inner_names():
    document = document_tokens(names=["浙江某某新材料有限公司"], inner_names=["某某新材料"])
    assert [t for t in document.names if t.startswith("0")] == ["0mouxincailiao", "0xincailiao", "0cailiao"]
    assert not any(t.startswith("0") for t in document_tokens(names=["浙江某某新材料有限公司"]).names)


@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("si", [["si"]]),
        ("xincai", [["xincai", "0xincai"]]),
        ("Hai Liang", [["hailiang", "0hailiang", "hai"], ["hailiang", "0hailiang", "liang"]]),
        ("hailiang group", [["hailiang", "0hailiang"], ["group"]]),
        # A word that spells no pinyin ends a run; CJK between words too.
        ("hai group liang", [["hai"], ["group"], ["liang"]]),
        ("海亮 ji tuan", [["海亮"], ["jituan", "0jituan", "ji"], ["jituan", "0jituan", "tuan"]]),
        # Only the last word may be a syllable still being typed.
        ("hai lia", [["hailia", "0hailia", "hai"], ["hailia", "0hailia", "lia"]]),
        ("xinc ai", [["xinc", "0xinc"], ["ai"]]),
        ("a" * 30 + " ", [["a" * 30, "0" + "a" * INNER_LIMIT]]),
    ],
)
def test_parse_query_latin_words(query, groups):
    assert [[token for token, _ in group] for group in parse_query(query).groups] == groups
    assert all(prefix == token.isascii() for group in parse_query(query).groups for token, prefix in group)


def test_a_prefix_group_is_estimated_from_the_listed_lexemes_it_starts():
    from zhaoshang.core.search import _group_share

    frequencies = {"0kejifazhan": 0.2, "0keji": 0.3, "0kejia": 0.01, "科技": 0.4, "hailiang": 0.001}
    lexemes = sorted(frequencies)
    assert _group_share((("0keji", True),), frequencies, 0.0005, lexemes) == pytest.approx(0.51)
    assert _group_share((("keji", True), ("0keji", True)), frequencies, 0.0005, lexemes) == pytest.approx(0.51)
    assert _group_share((("xyz", True),), frequencies, 0.0005, lexemes) is None  # unknown, not rare
    assert _group_share((("海亮", False),), frequencies, 0.0005, lexemes) == 0.0005  # unlisted exact: below the floor
    assert _group_share((("科技", False), ("0keji", True)), frequencies, 0.0005, lexemes) == 0.91
    assert _group_share((("科技", False), ("0kejifazhan", True)), frequencies, 0.0005, lexemes) == pytest.approx(0.6)
