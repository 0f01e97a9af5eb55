"""The offline extractor: each field in turn over one document, then the proposals made from them."""

from __future__ import annotations

from collections.abc import Iterable

from .contact import _contact, _phone
from .document import _Doc, _field
from .enterprise import _Candidate, _choose_investor, _enterprise_candidates
from .figures import _amount, _project_type, _site_area
from .geography import place_parts
from .industry import _industry
from .location import _location
from .proposals import _anonymous_investor, _title
from .resources import _library, _resources
from .text import FIELDS
from .units import _unit_fields


def extract(text: str, *, enterprise_names: Iterable[str] = (), org_units: Iterable[tuple[str, str, str]] = ()) -> dict:
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
    anonymous = _anonymous_investor(doc) if investor is None or investor.score < 0 else None
    if anonymous is not None:
        investor = None  # 经海亮集团引荐，宁波某铜业有限公司…: the named one only refers the anonymised investor
    # Words inside an anonymised name (杭州某新材料科技…) describe the investor, like a name's words do.
    named = candidates + ([_Candidate(anonymous["start"], anonymous["end"], "anonymous")] if anonymous else [])
    if investor is not None:
        fields["enterprise_name"] = _field(text[investor.start : investor.end], investor.start, investor.end)
    fields["project_type"] = _project_type(doc)
    fields["industry"] = _industry(doc, named)
    fields["location"] = _location(doc, investor, candidates)
    name, title = _contact(doc)
    fields["contact_name"], fields["contact_title"] = name, title
    fields["contact_phone"] = _phone(doc, name)
    fields["site_area_mu"] = _site_area(doc)
    fields["anonymous_investor"] = anonymous
    propose(doc, fields, candidates, org_units)
    return {"fields": fields, "source": "offline"}


def propose(doc: _Doc, fields: dict, candidates: list[_Candidate], org_units) -> None:
    """Fill the proposed fields (and the location's country or province/city) from the core fields, in place."""
    if (location := fields.get("location")) is not None:
        location.update(place_parts(location["value"]))
    if fields.get("enterprise_name") is None and fields.get("anonymous_investor") is None:
        fields["anonymous_investor"] = _anonymous_investor(doc)
    fields["source_channel"], fields["preferred_town"] = _unit_fields(doc, org_units, candidates)
    fields["title"] = _title(doc, fields)
