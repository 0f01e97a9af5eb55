"""Amounts as people read them: thousands separators, two decimals; totals in 万元 from 10,000 万元 on
in 亿元 (the custom of briefings and the cockpit). Used by the pages (the ``stats_format`` template
filters), the briefing and the cockpit; the API and the Excel cells keep plain numbers."""

from decimal import Decimal


def amount(value) -> str:
    """12930 → "12,930.00"; None → "—"."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


def wan_yuan(value) -> str:
    """An amount in 万元 as a leader reads it: 亿元 from 10,000 万元 on, with thousands separators."""
    value = Decimal(value or 0)
    if abs(value) >= 10000:
        return f"{value / 10000:,.2f} 亿元"
    return f"{value:,.2f} 万元"
