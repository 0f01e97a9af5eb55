"""The offline extractor: each field in turn over one document."""

from __future__ import annotations

from collections.abc import Iterable

from .contact import _contact, _phone
from .document import _Doc, _field
from .enterprise import _choose_investor, _enterprise_candidates
from .figures import _amount, _project_type, _site_area
from .industry import _industry
from .location import _location
from .resources import _library, _resources
from .text import FIELDS


def extract(text: str, *, enterprise_names: Iterable[str] = ()) -> dict:
    """Extract the lead fields from ``text``. See the package docstring for the rules."""
    res = _resources()
    doc = _Doc(text or "", res)
    fields: dict[str, dict | None] = dict.fromkeys(FIELDS)
    if not doc.norm.strip():
        return {"fields": fields, "source": "offline"}
    library = _library(enterprise_names)

    candidates = _enterprise_candidates(doc, library)
    fields["investment_amount"] = _amount(doc)
    investor = _choose_investor(doc, candidates, fields["investment_amount"])
    if investor is not None:
        fields["enterprise_name"] = _field(text[investor.start : investor.end], investor.start, investor.end)
    fields["project_type"] = _project_type(doc)
    fields["industry"] = _industry(doc, candidates)
    fields["location"] = _location(doc, investor, candidates)
    name, title = _contact(doc)
    fields["contact_name"], fields["contact_title"] = name, title
    fields["contact_phone"] = _phone(doc, name)
    fields["site_area_mu"] = _site_area(doc)
    return {"fields": fields, "source": "offline"}
