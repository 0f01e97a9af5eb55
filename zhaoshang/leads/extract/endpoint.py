"""The optional OpenAI-compatible endpoint, its answer checked against the text, and the offline fallback."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .document import _decimal_str, _Doc, _field
from .enterprise import _enterprise_candidates
from .lexicon import _LANDLINE_RE, _MOBILE_RE, CHAINS
from .offline import extract, propose
from .resources import _library, _resources
from .text import FIELDS, PROJECT_TYPES, UNITS, _normalise

_SYSTEM_PROMPT = (
    "你是招商线索信息抽取助手。从用户给出的文字中抽取以下字段，只输出一个 JSON 对象，不要输出其他内容：\n"
    '{"enterprise_name": 投资企业名称,\n'
    ' "investment_amount": {"value": 以万为单位的数字字符串, "unit": "万元" 或 "万美元", "text": 原文中的金额写法},\n'
    ' "project_type": new/capital_increase/reinvestment/merger/joint_venture/return/referral 之一,\n'
    ' "industry": {"code": GB/T 4754-2017 四位小类代码, "text": 原文中的行业词, "chain": 产业链名称或 null},\n'
    ' "location": 投资方所在地（原文写法，不是诸暨）,\n'
    ' "contact_name": 联系人, "contact_phone": {"value": 号码, "text": 原文写法}, "contact_title": 职务,\n'
    ' "site_area_mu": {"value": 亩数, "text": 原文写法}}\n'
    "文字中没有的字段填 null；字符串字段必须与原文完全一致。"
)
_ENDPOINT_PROJECT_LABELS = {label: code for code, label in PROJECT_TYPES.items()}


def extract_with_endpoint(text: str, *, url: str, api_key: str, model: str, timeout: float = 10) -> dict | None:
    """Ask an OpenAI-compatible ``/chat/completions`` endpoint for the fields; None on any error, timeout, invalid
    JSON or an answer that does not fit the text. Values are checked against the text: each must be found in it
    (``text.find``), which gives the spans."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    endpoint = url.rstrip("/")
    if not endpoint.endswith("/chat/completions"):
        endpoint += "/chat/completions"
    body = json.dumps(
        {
            "model": model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": _SYSTEM_PROMPT}, {"role": "user", "content": text}],
        },
        ensure_ascii=False,
    ).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        endpoint,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            payload = json.loads(response.read().decode("utf-8"))
        content = payload["choices"][0]["message"]["content"]
        if not isinstance(content, str):
            return None
        data = json.loads(_strip_fences(content))
    except (OSError, ValueError, KeyError, IndexError, TypeError, urllib.error.URLError):
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("fields"), dict):
        data = data["fields"]
    try:
        fields = _validate_endpoint_fields(text, data)
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return None
    if fields is None:
        return None
    return {"fields": fields, "source": "endpoint"}


def _strip_fences(content: str) -> str:
    content = content.strip()
    m = re.match(r"^```(?:json)?\s*(.*?)\s*```$", content, re.S)
    return m.group(1) if m else content


def _source_of(item, *keys: str) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in keys:
            value = item.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _span(text: str, source: str | None) -> tuple[int, int]:
    if not source:
        raise ValueError("no source text")
    start = text.find(source)
    if start < 0:
        raise ValueError(f"{source!r} is not in the text")
    return start, start + len(source)


def _validate_endpoint_fields(text: str, data: dict) -> dict | None:
    """The endpoint's answer as extractor fields; a value not found in the text makes the whole answer invalid."""
    res = _resources()
    fields: dict[str, dict | None] = dict.fromkeys(FIELDS)
    for name in ("enterprise_name", "location", "contact_name", "contact_title"):
        item = data.get(name)
        if item in (None, ""):
            continue
        source = _source_of(item, "value", "text")
        start, end = _span(text, source)
        fields[name] = _field(source, start, end)
    item = data.get("investment_amount")
    if item not in (None, ""):
        if not isinstance(item, dict):
            return None
        value = Decimal(str(item["value"]).replace(",", ""))
        unit = item.get("unit")
        if unit not in UNITS or value <= 0:
            return None
        start, end = _span(text, _source_of(item, "text", "source"))
        fields["investment_amount"] = _field(_decimal_str(value), start, end, unit=unit)
    item = data.get("project_type")
    if item not in (None, ""):
        code = item.get("value") if isinstance(item, dict) else item
        code = _ENDPOINT_PROJECT_LABELS.get(code, code)
        if code not in PROJECT_TYPES:
            return None
        source = _source_of(item, "text", "source") if isinstance(item, dict) else None
        if source is None:
            label = PROJECT_TYPES[code]
            source = label if label in text else None
        start, end = _span(text, source) if source else (0, 0)
        fields["project_type"] = _field(code, start, end)
    item = data.get("industry")
    if item not in (None, ""):
        if not isinstance(item, dict):
            return None
        code = str(item.get("code") or "")
        if code not in res.classes:
            return None
        value = {"code": code, "name": res.classes[code][0]}
        chain = item.get("chain")
        if chain:
            if chain not in CHAINS:
                return None
            value["chain"] = chain
        source = _source_of(item, "text", "source")
        start, end = _span(text, source) if source else (0, 0)
        fields["industry"] = _field(value, start, end)
    item = data.get("contact_phone")
    if item not in (None, ""):
        source = _source_of(item, "text", "source", "value")
        start, end = _span(text, source)
        norm = _normalise(source)
        m = _MOBILE_RE.search(norm) or None
        if m:
            value = "".join(m.groups())
        else:
            m = _LANDLINE_RE.search(norm)
            if m is None:
                return None
            value = f"{m.group(1)}-{m.group(2)}"
        fields["contact_phone"] = _field(value, start, end)
    item = data.get("site_area_mu")
    if item not in (None, ""):
        raw = item.get("value") if isinstance(item, dict) else item
        value = Decimal(str(raw))
        if value <= 0:
            return None
        source = _source_of(item, "text", "source") if isinstance(item, dict) else None
        if source is None:
            source = next((s for s in (f"{raw}亩", str(raw)) if s in text), None)
        start, end = _span(text, source)
        fields["site_area_mu"] = _field(_decimal_str(value), start, end)
    return fields


def extract_any(
    text: str,
    *,
    enterprise_names: Iterable[str] = (),
    org_units: Iterable[tuple[str, str, str]] = (),
    endpoint: dict | None = None,
) -> dict:
    """The endpoint's fields when ``endpoint`` (``{"url", "api_key", "model", "timeout"?}``) is given and answers
    validly, else the offline :func:`extract`."""
    if endpoint and endpoint.get("url"):
        result = extract_with_endpoint(
            text,
            url=endpoint["url"],
            api_key=endpoint.get("api_key", ""),
            model=endpoint.get("model", ""),
            timeout=float(endpoint.get("timeout", 10)),
        )
        if result is not None:
            # The endpoint answers the core fields; the proposals (title, town, channel) are made here, offline.
            doc = _Doc(text, _resources())
            propose(doc, result["fields"], _enterprise_candidates(doc, _library(enterprise_names)), org_units)
            return result
    return extract(text, enterprise_names=enterprise_names, org_units=org_units)
