"""Figures: the investment amount, the project type and the land need (亩)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .document import _decimal_str, _Doc, _field
from .lexicon import (
    _AMOUNT_CAPITAL_INCREASE_RE,
    _AMOUNT_CONVERSION_RE,
    _AMOUNT_INVESTED_AFTER_RE,
    _AMOUNT_KEYWORDS,
    _AMOUNT_NEGATIVE_RE,
    _AMOUNT_PAST_RE,
    _AMOUNT_WINDOW,
    _CLAUSE_BREAK,
    _CN_DIGITS,
    _CN_UNITS,
    _COLLOQUIAL_TAIL,
    _CURRENCY_AFTER_RE,
    _CURRENCY_BEFORE_RE,
    _MU_KEYWORD_RE,
    _MU_RE,
    _NON_MONEY_AFTER_RE,
    _NUM_RUN_RE,
    _RANGE_RE,
    _TYPE_RULES,
    _UNSUPPORTED_CURRENCY,
    _USD,
)

# --- amount ----------------------------------------------------------------------------------------------------------


def _parse_number(run: str) -> Decimal | None:
    """Value of a run of Arabic/Chinese numerals and multipliers (亿, 万, 千 …), in units (元, 亩 …)."""
    run = run.replace(",", "").replace("个", "").replace("多", "").replace("余", "")  # 一个多亿 ≥ 1 亿
    if not run:
        return None
    total = Decimal(0)  # completed 亿 sections
    wan = Decimal(0)  # completed 万 sections below 亿
    section = Decimal(0)  # below 万
    current: Decimal | None = None
    last_unit = ""
    i = 0
    try:
        while i < len(run):
            ch = run[i]
            if ch.isdigit() or ch == ".":
                j = i
                while j < len(run) and (run[j].isdigit() or run[j] == "."):
                    j += 1
                current = Decimal(run[i:j])
                i = j
                continue
            if ch in _CN_DIGITS:
                current = Decimal(_CN_DIGITS[ch])
            elif ch in _CN_UNITS:
                section += (current if current is not None else Decimal(1)) * _CN_UNITS[ch]
                current, last_unit = None, ch
            elif ch == "万":
                value = section + (current or 0)
                wan += (value if value else Decimal(1)) * 10000
                section, current, last_unit = Decimal(0), None, ch
            elif ch == "亿":
                value = wan + section + (current or 0)
                total += (value if value else Decimal(1)) * 100000000
                wan, section, current, last_unit = Decimal(0), Decimal(0), None, ch
            else:
                return None
            i += 1
    except InvalidOperation:
        return None
    if current is not None and run[-1] in _CN_DIGITS and len(run) > 1 and run[-2] == last_unit:
        # 一亿五 = 1.5 亿, 三千五 = 3500: a last digit counts in the unit below the last one written.
        current *= _COLLOQUIAL_TAIL[last_unit]
    return total + wan + section + (current or 0)


def _amount_runs(norm: str) -> list[tuple[str, int, int]]:
    """Runs of numerals and multipliers, trimmed of separators that belong to the sentence."""
    runs = []
    for m in _NUM_RUN_RE.finditer(norm):
        run, start, end = m.group(), m.start(), m.end()
        while run and run[-1] in ",.":
            run, end = run[:-1], end - 1
        while run and run[0] in ",.个多余":
            run, start = run[1:], start + 1
        if run and re.search(r"[0-9零〇一二两三四五六七八九十百千]", run):
            runs.append((run, start, end))
    return runs


def _amount(doc: _Doc) -> dict | None:
    """The investment amount: every run of numerals with a multiplier or a currency is a candidate; the one with
    the strongest investment keyword before it wins, then the largest (in RMB at 7 元 per dollar). A range
    (3000万-5000万美元) is read as its lower end with the upper end's currency."""
    norm = doc.norm
    runs = _amount_runs(norm)
    best = None
    skip_until = -1
    for index, (run, run_start, run_end) in enumerate(runs):
        if run_start < skip_until:
            continue
        end_of_expression = run_end
        if index + 1 < len(runs) and _RANGE_RE.fullmatch(norm, run_end, runs[index + 1][1]):
            upper, _, upper_end = runs[index + 1]
            if not re.search("[万亿]", run):
                run += re.search("[万亿个]*$", upper).group()
            end_of_expression = upper_end
            skip_until = upper_end
        currency_m = _CURRENCY_AFTER_RE.match(norm, end_of_expression)
        before_m = _CURRENCY_BEFORE_RE.search(norm, max(0, run_start - 4), run_start)
        if currency_m is None and (
            not ("万" in run or "亿" in run) or _NON_MONEY_AFTER_RE.match(norm, end_of_expression)
        ):
            continue
        currency = currency_m.group(1) if currency_m else before_m.group(1) if before_m else ""
        if currency in _UNSUPPORTED_CURRENCY:
            continue
        value = _parse_number(run)
        if value is None or value <= 0:
            continue
        unit = "万美元" if currency in _USD else "万元"
        wan_value = value / 10000
        start = before_m.start(1) if before_m else run_start
        end = currency_m.end() if currency_m else end_of_expression
        score = _amount_context_score(norm, start, end)
        if score is None:
            continue
        key = (score, wan_value * (7 if unit == "万美元" else 1))
        if best is None or key > best[0]:
            best = (key, _field(_decimal_str(wan_value), start, end, unit=unit))
    return best[1] if best else None


def _clause_before(norm: str, pos: int, width: int) -> str:
    window = norm[max(0, pos - width) : pos]
    for i in range(len(window) - 1, -1, -1):
        if window[i] in _CLAUSE_BREAK:
            return window[i + 1 :]
    return window


def _amount_context_score(norm: str, start: int, end: int) -> float | None:
    """How strongly the words before the amount say it is the investment; None when they say it is something else
    (产值, 注册资本 …) unless the words after it say it is invested (利润4500万元进行再投资)."""
    window = _clause_before(norm, start, _AMOUNT_WINDOW)
    if _AMOUNT_INVESTED_AFTER_RE.match(norm, end):
        return 2.0
    if _AMOUNT_CAPITAL_INCREASE_RE.search(window.rstrip()):
        return 1.5  # below an explicit 投资 amount in the same text
    if _AMOUNT_NEGATIVE_RE.search(window[-8:]):
        return None
    score = 0.0
    for pattern, weight in _AMOUNT_KEYWORDS:
        if pattern.search(window):
            score = weight
            break
    if _AMOUNT_CONVERSION_RE.search(window[-6:]):
        score -= 3
    if score and _AMOUNT_PAST_RE.search(window):
        score -= 1.5
    return score


# --- project type ----------------------------------------------------------------------------------------------------


def _project_type(doc: _Doc) -> dict | None:
    for code, pattern in _TYPE_RULES:
        m = pattern.search(doc.norm)
        if m:
            return _field(code, m.start(), m.end())
    return None


# --- land ------------------------------------------------------------------------------------------------------------


def _site_area(doc: _Doc) -> dict | None:
    norm = doc.norm
    best = None
    for m in _MU_RE.finditer(norm):
        a = m.group("a")
        if not re.search(r"[0-9一二两三四五六七八九十百千]", a):
            continue
        # The lower end of a range: the county plans land from the smallest stated need.
        value = _parse_number(a)
        if value is None or value <= 0:
            continue
        window = _clause_before(norm, m.start(), 10)
        score = 1 if _MU_KEYWORD_RE.search(window) else 0
        if best is None or score > best[0]:
            best = (score, _field(_decimal_str(value), m.start(), m.end()))
    return best[1] if best else None
