"""From the extractor's fields to the lead form: initial values and the text with the source words marked."""

import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.html import format_html

from zhaoshang.core.models import Industry
from zhaoshang.core.text import mask_phone
from zhaoshang.enterprises import selectors as enterprise_selectors

from .extract import extract_any

LABELS = {
    "enterprise_name": "投资主体",
    "investment_amount": "投资额",
    "project_type": "项目类型",
    "industry": "行业",
    "location": "投资方所在地",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "contact_title": "职务",
    "site_area_mu": "用地",
}


def _endpoint() -> dict | None:
    url = getattr(settings, "ZHAOSHANG_LLM_URL", "")
    if not url:
        return None
    return {
        "url": url,
        "api_key": getattr(settings, "ZHAOSHANG_LLM_KEY", ""),
        "model": getattr(settings, "ZHAOSHANG_LLM_MODEL", ""),
    }


_DICTIONARY: dict[int, tuple[float, list[str]]] = {}


def enterprise_dictionary(region_id: int) -> list[str]:
    """Names (and short names) of the county's enterprises for the extractor, cached for ten minutes."""
    cached = _DICTIONARY.get(region_id)
    if cached is None or cached[0] < time.monotonic():
        names = enterprise_selectors.region_enterprise_names(region_id=region_id, limit=200_000)
        words = sorted({w for pair in names for w in pair if w and len(w) >= 2})
        cached = (time.monotonic() + 600, words)
        _DICTIONARY[region_id] = cached
    return cached[1]


def _dictionary(user) -> list[str]:
    return enterprise_dictionary(user.org_unit.region_id) if user.org_unit_id else []


def extract_for_api(text: str, *, user) -> dict:
    """The extractor's answer as the API gives it (fields with their values and where they were found)."""
    return extract_any(text, enterprise_names=_dictionary(user), endpoint=_endpoint())


def extract_for_form(text: str, *, user) -> tuple[dict, str]:
    fields = extract_any(text, enterprise_names=_dictionary(user), endpoint=_endpoint())["fields"]
    # The pasted text is kept as the description, but a phone number in it is personal information: it goes
    # to the encrypted phone field and the description keeps only the masked form.
    description = text
    if (phone := fields.get("contact_phone")) is not None:
        description = text[: phone["start"]] + mask_phone(text[phone["start"] : phone["end"]]) + text[phone["end"] :]
    initial: dict = {"description": description}
    if (f := fields.get("enterprise_name")) is not None:
        initial["enterprise_name"] = f["value"]
        initial["title"] = f"{f['value']}投资项目"
    if (f := fields.get("investment_amount")) is not None:
        try:
            amount = Decimal(str(f["value"]))
        except (InvalidOperation, TypeError):
            amount = None
        if amount is not None:
            initial["investment_fdi" if f.get("unit") == "万美元" else "investment_rmb"] = amount
    if (f := fields.get("project_type")) is not None:
        initial["project_type"] = f["value"]
    if (f := fields.get("industry")) is not None:
        value = f["value"] or {}
        if Industry.objects.filter(code=value.get("code", "")).exists():
            initial["industry_code"] = value["code"]
        if value.get("chain"):
            initial["chain"] = value["chain"]
    if (f := fields.get("location")) is not None:
        initial["investor_country"] = f["value"]
    for key, target in (
        ("contact_name", "contact_name"),
        ("contact_title", "contact_title"),
        ("contact_phone", "phone"),
    ):
        if (f := fields.get(key)) is not None:
            initial[target] = f["value"]
    if (f := fields.get("site_area_mu")) is not None:
        initial["land_mu"] = f["value"]
    return initial, _marked(text, fields)


def _marked(text: str, fields: dict) -> str:
    spans = sorted(
        (f["start"], f["end"], LABELS[name])
        for name, f in fields.items()
        if f is not None and name in LABELS and f.get("end", 0) > f.get("start", 0)
    )
    out, last = [], 0
    for start, end, label in spans:
        if start < last:
            continue
        out.append(
            format_html(
                '{}<mark title="{}">{}</mark><sup class="text-secondary">{}</sup>',
                text[last:start],
                label,
                text[start:end],
                label,
            )
        )
        last = end
    out.append(format_html("{}", text[last:]))
    return format_html("{}" * len(out), *out)
