"""One text as the field extractors read it: the normalised copy and jieba's tokens."""

from __future__ import annotations

from decimal import Decimal

from .resources import _Resources
from .text import _normalise


def _field(value, start: int, end: int, **extra) -> dict:
    return {"value": value, **extra, "start": start, "end": end}


def _decimal_str(value: Decimal) -> str:
    """30000, 0.5, 12.75: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


class _Doc:
    """One text: the normalised copy and jieba's tokens (start offsets, end offsets)."""

    def __init__(self, text: str, res: _Resources) -> None:
        self.text = text
        self.norm = _normalise(text)
        self.res = res
        tokens = []
        pos = 0
        for word in res.tokenizer.cut(self.norm, HMM=False):
            tokens.append((word, pos, pos + len(word)))
            pos += len(word)
        self.tokens = tokens
        self.starts = {s for _, s, _ in tokens}
        self.ends = {e for _, _, e in tokens}
        self.token_at_start = {s: i for i, (_, s, _) in enumerate(tokens)}
        self.token_at_end = {e: i for i, (_, _, e) in enumerate(tokens)}

    def token_covering(self, pos: int) -> int | None:
        """Index of the token that contains ``pos`` strictly inside (not at its start)."""
        for i, (_, s, e) in enumerate(self.tokens):
            if s < pos < e:
                return i
            if s >= pos:
                return None
        return None
