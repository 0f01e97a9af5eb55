"""Resources built once, lazily: jieba with the place names, the GB/T 4754-2017 index, the enterprise library."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path

from zhaoshang.core.reference import INDUSTRY_ERRATA

from .lexicon import _KEYWORDS, PLACES
from .text import _normalise, _words

GB_PATH = Path(__file__).resolve().parent.parent.parent / "core" / "data" / "gbt4754-2017.json"


class _Resources:
    """jieba, the GB/T 4754 classes and the keyword indexes: built once on first use."""

    def __init__(self) -> None:
        import jieba  # lazy: ~0.1 s to import, and only the extractor (built on first use) needs it

        tokenizer = jieba.Tokenizer()
        # Build the prefix dictionary in memory (Tokenizer.initialize() would write a cache file to the temp dir),
        # keeping jieba's part-of-speech tags of its words on the way (nr = person name, ns = place …).
        freq, total, tags = _read_jieba_dictionary(tokenizer)
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
        for name in PLACES:
            tokenizer.add_word(name, max(freq.get(name) or 0, 3000), "ns")
        for word in (
            "有限公司",
            "股份有限公司",
            "有限责任公司",
            "株式会社",
            "以商招商",
            "返程投资",
            "利润再投资",
            "需地",
        ):
            tokenizer.add_word(word, max(freq.get(word) or 0, 3000))
        for word in ("中方代表", "政府事务"):
            tokenizer.add_word(word, 3000)
        self.tokenizer = tokenizer
        self.freq = tokenizer.FREQ
        self.tags = tags

        rows = json.loads(GB_PATH.read_text(encoding="utf-8"))
        classes: dict[str, tuple[str, str]] = {}
        for row in rows:
            code = row["class"] if row["level"] == 4 else INDUSTRY_ERRATA.get((row["level"], row["group"], row["name"]))
            if code:
                classes[code] = (row["name"].strip(), (row.get("note") or "").strip())
        self.classes = classes
        self.gb_terms = _gb_term_index(classes, tokenizer.FREQ)
        self.keywords_by_first = _by_first(_KEYWORDS)


def _read_jieba_dictionary(tokenizer) -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's dictionary as ``Tokenizer.gen_pfdict`` reads it (word → frequency, every prefix at 0) plus the tags."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    with tokenizer.get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").strip().split(" ")
            if len(parts) < 2:
                continue
            word, count = parts[0], int(parts[1])
            freq[word] = count
            total += count
            if len(parts) > 2:
                tags[word] = parts[2]
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
    return freq, total, tags


def _by_first(words: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for word in words:
        index.setdefault(word[0], []).append(word)
    for bucket in index.values():
        bucket.sort(key=len, reverse=True)
    return index


_GB_SPLIT_RE = re.compile(r"[、，,；;。：:（）()及和与或等的]")
_GB_STRIP_RE = re.compile(
    r"^(?:指|包括|其他|主要|用于|以|对|各种|各类|专用|专业|普通|一般)+|(?:制造|加工|生产|服务|活动|批发|零售|修理|"
    r"种植|养殖|开发|设计|制品|产品|设备|器材|专用设备|生产活动|制作)+$"
)
_GB_GENERIC_TERMS = frozenset(
    _words(
        "其他 制造 加工 设备 产品 材料 服务 专用 金属 电子 机械 汽车 零件 配件 部件 技术 工程 建筑 工业 生产 项目 "
        "投资 管理 信息 科技 智能 装备 设计 研发 销售 基地 公司 企业 集团 中心 系统 装置 元件 器件 仪器 仪表 用品 "
        "日用 工具 器具 车辆 运输 能源 环境 资源 化学 医疗 电池 电机 通信 航空 互联网 软件 数据 新型 高端 精密 模组 "
        "组件 整机 零部件 原料 制剂 工艺 环保 节能 家用 商业 公共 网络 平台 电力 相关 类似 未列明 上述"
    )
)


def _gb_term_index(
    classes: dict[str, tuple[str, str]], freq: dict[str, int]
) -> dict[str, list[tuple[str, list[tuple[str, float]]]]]:
    """Terms of the class names (weight 2) and notes (weight 1) → classes, indexed by first character. Words common
    in any text (计划, 方式, 电话 in jieba's counts) are left out: they say nothing about the industry."""
    terms: dict[str, dict[str, float]] = {}
    for code, (name, note) in classes.items():
        for text, weight in ((name, 2.0), (note, 1.0)):
            for part in _GB_SPLIT_RE.split(text):
                term = _GB_STRIP_RE.sub("", part.strip())
                if (
                    len(term) < 2
                    or len(term) > 12
                    or term in _GB_GENERIC_TERMS
                    or not re.search("[\u4e00-\u9fff]", term)
                ):
                    continue
                if (freq.get(term) or 0) > (8000 if weight > 1 else 2000):
                    continue
                bucket = terms.setdefault(term, {})
                bucket[code] = max(bucket.get(code, 0.0), weight)
    index: dict[str, list[tuple[str, list[tuple[str, float]]]]] = {}
    for term, codes in terms.items():
        index.setdefault(term[0], []).append((term, sorted(codes.items())))
    for bucket in index.values():
        bucket.sort(key=lambda item: len(item[0]), reverse=True)
    return index


_RESOURCES: _Resources | None = None
_LOCK = threading.Lock()


def _resources() -> _Resources:
    global _RESOURCES
    if _RESOURCES is None:
        with _LOCK:
            if _RESOURCES is None:
                _RESOURCES = _Resources()
    return _RESOURCES


def warm_up() -> None:
    """Build the cached resources now (the first ``extract`` call does it otherwise)."""
    _resources()


class _Library:
    """The caller's enterprise names as a set per length: a text is scanned with one set lookup per position and
    length (longest first), whatever the size of the library."""

    __slots__ = ("names", "lengths")

    def __init__(self, names: Iterable[str]) -> None:
        self.names = {_normalise(n.strip()) for n in names if n and len(n.strip()) >= 2}
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)

    def matches(self, norm: str):
        for i in range(len(norm)):
            for size in self.lengths:
                if norm[i : i + size] in self.names:
                    yield i, i + size
                    break


_LIBRARY_CACHE: dict[object, tuple[object, _Library]] = {}
_EMPTY_LIBRARY = _Library(())


def _library(names: Iterable[str]) -> _Library:
    """The index of ``names``, cached: by identity for the same list object (the views pass one cached list), else
    by content."""
    if not names:
        return _EMPTY_LIBRARY
    cached = _LIBRARY_CACHE.get(id(names))
    if cached is not None and cached[0] is names:
        return cached[1]
    key = tuple(names)
    cached = _LIBRARY_CACHE.get(key)
    if cached is None:
        cached = (key, _Library(key))
        if len(_LIBRARY_CACHE) > 16:
            _LIBRARY_CACHE.clear()
        _LIBRARY_CACHE[key] = cached
    if not isinstance(names, tuple | frozenset | str):
        _LIBRARY_CACHE[id(names)] = (names, cached[1])
    return cached[1]
