"""The chain of a lead from the chain map (``zhaoshang.chains``) when that app is installed: its classifier (the one
that links enterprises to chain nodes) names the chain instead of the built-in product keywords of
:data:`lexicon.CHAINS`. ``classify(text) -> {"chain", "node", "confidence", "keyword"} | None`` is passed in by
the caller, so this package stays free of the database."""

from __future__ import annotations

from collections.abc import Callable


def apply_chain(result: dict, text: str, classify: Callable[[str], dict | None]) -> dict:
    """Put the classifier's chain on the ``industry`` field (creating the field, spanning the keyword, when the
    extractor found no class); leaves the result as it is when the classifier finds no chain."""
    found = classify(text)
    if not found:
        return result
    fields = result["fields"]
    industry = fields.get("industry")
    if industry is not None:
        industry["value"] = {**(industry.get("value") or {}), "chain": found["chain"], "chain_node": found["node"]}
        return result
    keyword = found.get("keyword") or ""
    start = text.upper().find(keyword.upper()) if keyword else -1
    if start < 0:
        return result
    fields["industry"] = {
        "value": {"code": "", "name": "", "chain": found["chain"], "chain_node": found["node"]},
        "start": start,
        "end": start + len(keyword),
    }
    return result
