"""From the extractor's fields to the lead form: initial values and the text with the source words marked."""

import time
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.conf import settings
from django.utils.html import format_html

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import Industry
from zhaoshang.core.text import mask_phone
from zhaoshang.enterprises import selectors as enterprise_selectors

from .extract import extract_any
from .extract.chain_hook import apply_chain

LABELS = {
    "enterprise_name": "投资主体",
    "anonymous_investor": "投资主体（匿名）",
    "preferred_town": "意向镇街",
    "source_channel": "来源",
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


def _org_units(user) -> list[tuple[str, str, str]]:
    """The units of the user's county as (name, short name, kind): the towns a project may go to, the offices and
    departments a lead may come from."""
    if not user.org_unit_id:
        return []
    units = OrgUnit.objects.filter(region_id=user.org_unit.region_id).order_by("id")
    return [tuple(row) for row in units.values_list("name", "short_name", "kind")]


def _extract(text: str, user) -> dict:
    limit = settings.ZHAOSHANG_EXTRACT_MAX_CHARS
    if len(text) > limit:
        message = f"文字过长：最多 {limit} 个字符（当前 {len(text)} 个），请只粘贴与线索有关的部分"
        raise ValidationFailed(message, fields={"text": [message]})
    result = extract_any(text, enterprise_names=_dictionary(user), org_units=_org_units(user), endpoint=_endpoint())
    if apps.is_installed("zhaoshang.chains") and user is not None and user.org_unit_id:
        from zhaoshang.chains import selectors as chains  # lazy: the chain map is an optional app

        result = apply_chain(result, text, lambda t: chains.chain_of_text(region_id=user.org_unit.region_id, text=t))
    return result


def extract_for_api(text: str, *, user) -> dict:
    """The extractor's answer as the API gives it (fields with their values and where they were found)."""
    return _extract(text, user)


def extract_for_form(text: str, *, user) -> tuple[dict, str, list[str]]:
    """The form's initial values, the text with the source words marked, and notes the officer should check."""
    fields = _extract(text, user)["fields"]
    # The pasted text is kept as the description, but a phone number in it is personal information: it goes
    # to the encrypted phone field and the description keeps only the masked form.
    description = text
    if (phone := fields.get("contact_phone")) is not None:
        description = text[: phone["start"]] + mask_phone(text[phone["start"] : phone["end"]]) + text[phone["end"] :]
    initial: dict = {"description": description}
    notes: list[str] = []
    if (f := fields.get("enterprise_name")) is not None:
        initial["enterprise_name"] = f["value"]
    elif (f := fields.get("anonymous_investor")) is not None:
        initial["enterprise_name"] = f["value"]
        notes.append(f"投资主体「{f['value']}」为匿名写法，请核实企业全称后修改。")
    if (f := fields.get("title")) is not None:
        initial["title"] = f["value"]
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
        # A place in China is the investor's province/city, never its 国别（地区）.
        for key, target in (
            ("country", "investor_country"),
            ("province", "investor_province"),
            ("city", "investor_city"),
        ):
            if f.get(key):
                initial[target] = f[key]
    initial.update(_unit_initial(fields, user))
    for key, target in (
        ("contact_name", "contact_name"),
        ("contact_title", "contact_title"),
        ("contact_phone", "phone"),
    ):
        if (f := fields.get(key)) is not None:
            initial[target] = f["value"]
    if (f := fields.get("site_area_mu")) is not None:
        initial["land_mu"] = f["value"]
    return initial, _marked(text, fields), notes


def _unit_initial(fields: dict, user) -> dict:
    """意向镇街 and 来源渠道/来源单位/来源说明 from the units the text names (ids of the user's county's units)."""
    out: dict = {}
    names = [f["value"] for f in (fields.get("preferred_town"),) if f] + [
        f["unit"] for f in (fields.get("source_channel"),) if f and f.get("unit")
    ]
    ids = {}
    if names and user.org_unit_id:
        ids = dict(OrgUnit.objects.filter(region_id=user.org_unit.region_id, name__in=names).values_list("name", "id"))
    if (f := fields.get("preferred_town")) is not None and f["value"] in ids:
        out["preferred_town"] = ids[f["value"]]
    if (f := fields.get("source_channel")) is not None:
        out["source"] = f["value"]
        if f.get("unit") in ids:
            out["source_unit"] = ids[f["unit"]]
        elif f.get("detail"):
            out["source_detail"] = f["detail"][:200]
    return out


def _marked(text: str, fields: dict) -> str:
    # Of spans starting together the longer is marked (the anonymised name, not the city at its head).
    spans = sorted(
        (
            (f["start"], f["end"], LABELS[name])
            for name, f in fields.items()
            if f is not None and name in LABELS and f.get("end", 0) > f.get("start", 0)
        ),
        key=lambda span: (span[0], -span[1]),
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
