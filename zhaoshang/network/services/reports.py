"""An office's weekly report pasted as text: one proposed lead per enterprise it mentions (the lead extractor on
the report's passage about that enterprise); the officer confirms each proposal, which registers the lead with
this office as its source."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import Industry
from zhaoshang.leads import extraction
from zhaoshang.leads import services as lead_services
from zhaoshang.leads.extract import extract

from ..models import LeadSource
from .common import require_change
from .offices import office_of_unit, source_link

_SEGMENT_RE = re.compile(r"[^。；;！!\n]+[。；;！!]?")
_ITEM_RE = re.compile(r"(?=(?:[一二三四五六七八九十]是|[（(]?[1-9一二三四五六七八九十][)）、.．]))")
MAX_REPORT = 20_000
# What a proposal may carry into the lead (the lead form's names).
LEAD_KEYS = (
    "title",
    "enterprise_name",
    "investment_rmb",
    "investment_fdi",
    "project_type",
    "chain",
    "investor_country",
    "investor_province",
    "investor_city",
    "contact_name",
    "contact_title",
    "land_mu",
    "description",
)


def _segments(text: str) -> list[str]:
    out = []
    for m in _SEGMENT_RE.finditer(text):
        out += [part for part in _ITEM_RE.split(m.group()) if part.strip()]
    return out


def _passages(text: str, names: list[str]) -> list[tuple[str, str]]:
    """(enterprise, passage): consecutive sentences about one enterprise, a sentence naming none belonging to the
    enterprise before it; the passages of one enterprise joined."""
    passages: dict[str, list[str]] = {}
    current = None
    for segment in _segments(text):
        field = extract(segment, enterprise_names=names)["fields"]["enterprise_name"]
        if field is not None:
            current = field["value"]
        if current is not None:
            passages.setdefault(current, []).append(segment.strip())
    return [(name, "".join(parts)) for name, parts in passages.items()]


def report_proposals(*, user, text: str) -> list[dict[str, Any]]:
    """One proposal per enterprise named in the report: the lead form's initial values and notes to check."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(fields={"text": ["请粘贴报告内容"]})
    if len(text) > MAX_REPORT:
        raise ValidationFailed(fields={"text": [f"报告过长（不超过 {MAX_REPORT} 字）"]})
    names = extraction.enterprise_dictionary(user.org_unit.region_id) if user.org_unit_id else []
    proposals = []
    for name, passage in _passages(text, names):
        initial, _marked, notes = extraction.extract_for_form(passage, user=user)
        initial["enterprise_name"] = name
        initial.setdefault("title", f"{name}项目")
        proposals.append({"enterprise_name": name, "passage": passage, "initial": initial, "notes": notes})
    return proposals


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationFailed("金额格式有误") from exc


def report_confirm(*, actor, proposal: dict[str, Any], on: date | None = None):
    """Register one confirmed proposal as a lead of the actor's unit, channel 驻外办事处, source this office."""
    require_change(actor)
    data = {k: proposal[k] for k in LEAD_KEYS if proposal.get(k) not in (None, "")}
    for key in ("investment_rmb", "investment_fdi", "land_mu"):
        if key in data:
            data[key] = _decimal(data[key])
    if proposal.get("industry_code"):
        data["industry"] = Industry.objects.filter(code=proposal["industry_code"]).first()
    data.update(source="office", source_unit=actor.org_unit)
    with transaction.atomic():
        lead = lead_services.lead_register(actor=actor, data=data, phone=proposal.get("phone") or "", on=on)
        office = office_of_unit(actor.org_unit_id)
        if office is not None:
            source_link(actor=actor, lead=lead, kind=LeadSource.Kind.OFFICE, office=office)
    return lead
