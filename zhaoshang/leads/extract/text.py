"""The fields the extractor fills, the project types and units, and the text normalisation they read."""

from __future__ import annotations

# The fields read from the words of the text (an endpoint answers these too) …
CORE_FIELDS = (
    "enterprise_name",
    "investment_amount",
    "project_type",
    "industry",
    "location",
    "contact_name",
    "contact_phone",
    "contact_title",
    "site_area_mu",
)
# … and the proposals made from them and from the county's own units, always offline.
PROPOSED_FIELDS = ("anonymous_investor", "preferred_town", "source_channel", "title")
FIELDS = CORE_FIELDS + PROPOSED_FIELDS

PROJECT_TYPES = {
    "new": "新建",
    "capital_increase": "增资",
    "reinvestment": "利润再投资",
    "merger": "并购",
    "joint_venture": "合资",
    "return": "返程投资",
    "referral": "以商招商",
}

UNITS = ("万元", "万美元")
# ---------------------------------------------------------------------------------------------------------------------
# Text normalisation: full-width ASCII → half-width, index for index (so spans found in the normalised text are
# spans of the original). The Chinese comma stays: "1，500万" is a list, not a thousands separator.
# ---------------------------------------------------------------------------------------------------------------------

_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_HALF_WIDTH[0x3000] = 0x20


def _normalise(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def _words(text: str) -> list[str]:
    """The space-separated words of ``text`` (long word lists read better as one string)."""
    return text.split()
