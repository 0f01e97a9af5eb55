"""What a search matched, for display: the character spans of a result's text to highlight."""

import re

from .text import pinyin_full

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that the query matched: literal pieces, or the characters whose
    pinyin (full or initials) a Latin query piece spells."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for piece in query.lower().split():
        start = lowered.find(piece)
        if start >= 0:
            spans.append((start, start + len(piece)))
            continue
        if re.fullmatch(r"[a-z]+", piece):
            spans.extend(_pinyin_span(text, piece))
        else:
            spans.extend(_bigram_spans(lowered, piece))
    return _merge(spans)


def _pinyin_span(text: str, piece: str) -> list[tuple[int, int]]:
    syllables = [pinyin_full(ch) if _CJK.fullmatch(ch) else ch.lower() for ch in text]
    for start in range(len(text)):
        spelled = initials = ""
        for end in range(start, len(text)):
            if not syllables[end]:
                break
            spelled += syllables[end]
            initials += syllables[end][0]
            if spelled.startswith(piece) or initials == piece:
                return [(start, end + 1)]
            if not (piece.startswith(spelled) or piece.startswith(initials)):
                break
    return []


def _bigram_spans(lowered: str, piece: str) -> list[tuple[int, int]]:
    spans = []
    for i in range(len(piece) - 1):
        start = lowered.find(piece[i : i + 2])
        if start >= 0:
            spans.append((start, start + 2))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
