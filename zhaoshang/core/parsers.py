"""Parsers of shared references and values, used alike by forms, API schemas and importers.

Each parser takes what a user typed (a form field, a JSON value, an Excel cell) and returns the value or
raises ``ParseError`` with a Chinese message saying what is wrong with it. The entry points say *where*
(a form puts the message on its field, the API under ``fields[name]``, the importer on its row and
column), so the same mistake reads the same everywhere::

    industry = parsers.industry(cleaned["industry_code"])      # Industry | None

Forms wrap a parser with ``parsers.form_field_clean``; API code catches ``ParseError`` per field with
``parsers.collect``; the import engine's ``Column.parse`` takes these functions as they are.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import Q

from .models import Industry
from .text import uscc_errors, uscc_normalize


class ParseError(ValueError):
    """What is wrong with one value (a Chinese message without the field's name)."""


def org_unit_model():
    return apps.get_model(settings.ZHAOSHANG_ORG_UNIT_MODEL)


# --- plain values ---------------------------------------------------------------------------------


def text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ParseError(f"长度不能超过 {max_length} 个字符（当前 {len(value)} 个）")
        return value

    return parse


def decimal(*, places: int = 2, minimum: Decimal | None = Decimal("0")) -> Callable[[str], Decimal]:
    def parse(value: str) -> Decimal:
        cleaned = str(value).replace(",", "").replace("，", "").strip()
        try:
            number = Decimal(cleaned)
        except InvalidOperation as exc:
            raise ParseError(f"“{value}”不是有效的数字") from exc
        if not number.is_finite():
            raise ParseError(f"“{value}”不是有效的数字")
        if minimum is not None and number < minimum:
            raise ParseError(f"不能小于 {minimum}")
        return number.quantize(Decimal(1).scaleb(-places))

    return parse


# Units an amount may be written in, as multiples of 万元 (or 万美元 for foreign currency amounts).
AMOUNT_UNITS = {
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
}


def amount(value: str, *, minimum: Decimal | None = Decimal("0")) -> Decimal:
    """An amount in 万元: "3亿元", "5000万", "1,200" (万元 when no unit) → Decimal (2 places)."""
    text_ = str(value).strip().replace(",", "").replace("，", "")
    factor = Decimal(1)
    for unit, multiple in AMOUNT_UNITS.items():
        if text_.endswith(unit):
            text_, factor = text_[: -len(unit)].strip(), multiple
            break
    number = decimal(places=6, minimum=None)(text_) * factor if text_ else None
    if number is None:
        raise ParseError(f"“{value}”不是有效的金额")
    if minimum is not None and number < minimum:
        raise ParseError(f"金额不能小于 {minimum} 万元")
    return number.quantize(Decimal("0.01"))


def date_(value: str) -> date:
    text_ = str(value).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            parsed = datetime.strptime(text_[:10], fmt).date()  # noqa: DTZ007 (a calendar date, no time zone)
        except ValueError:
            continue
        if not 1800 <= parsed.year <= 2100:
            raise ParseError(f"日期“{value}”超出合理范围")
        return parsed
    raise ParseError(f"“{value}”不是有效日期，请写成 2024-03-01 的格式")


def choice(choices: Iterable[tuple[str, str]]) -> Callable[[str], str]:
    choices = list(choices)
    by_label = {label: value for value, label in choices} | {value: value for value, _ in choices}

    def parse(value: str) -> str:
        if value not in by_label:
            raise ParseError(f"“{value}”不是可选值，可选：{'、'.join(label for _, label in choices)}")
        return by_label[value]

    return parse


# --- GB/T 4754-2017 industries --------------------------------------------------------------------


def credit_code(value: str) -> str:
    """A 统一社会信用代码 as stored (normalised); "" when empty; a wrong one is an error naming every fault."""
    code = uscc_normalize(value)
    if errors := uscc_errors(code):
        raise ParseError("；".join(errors))
    return code


def industry_code(value: str) -> str:
    """A GB/T 4754 code as written (section letter, or 2-4 digits), upper-cased; "" when empty."""
    code = str(value or "").strip().upper()
    if code.endswith(".0"):  # a number cell of Excel
        code = code[:-2]
    if code and (not code.isalnum() or len(code) > 4):
        raise ParseError(f"“{value}”不是 GB/T 4754 行业代码")
    return code


def industry(value: str):
    """The ``Industry`` of a code, ``None`` when empty; an unknown code is an error."""
    code = industry_code(value)
    if not code:
        return None
    found = Industry.objects.filter(code=code).first()
    if found is None:
        raise ParseError(industry_unknown_message(code))
    return found


def industry_unknown_message(code: str) -> str:
    return f"行业代码“{code}”不存在于 GB/T 4754-2017"


def industry_filter_q(value: str, field: str = "industry") -> Q | None:
    """Records whose industry lies under a section letter or code prefix (``None``: no condition)."""
    code = str(value or "").strip().upper()
    if not code:
        return None
    if code.isalpha():
        return Q(**{f"{field}__section": code})
    return Q(**{f"{field}__code__startswith": code})


# --- org units ------------------------------------------------------------------------------------


def org_unit(value: Any, *, region_id: int | None, kinds: Iterable[str] | None = None, label: str = "单位"):
    """A unit of the county by id, full name or short name."""
    text_ = str(value or "").strip()
    if not text_:
        return None
    units = org_unit_model().objects.filter(region_id=region_id)
    if kinds is not None:
        units = units.filter(kind__in=list(kinds))
    condition = Q(name=text_) | Q(short_name=text_)
    if text_.isdigit():
        condition |= Q(pk=int(text_))
    found = units.filter(condition).order_by("depth", "id").first()
    if found is None:
        raise ParseError(f"{label}“{text_}”不存在")
    return found


# --- entry points ---------------------------------------------------------------------------------


def collect(parsed: dict[str, Callable[[], Any]]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Run each ``name → thunk`` and gather the values and the per-field messages (API input)."""
    values, errors = {}, {}
    for name, thunk in parsed.items():
        try:
            values[name] = thunk()
        except ParseError as exc:
            errors[name] = [str(exc)]
    return values, errors


def form_clean(parser: Callable[[Any], Any]):
    """A form's ``clean_<field>`` from a parser: the message lands on the field."""

    def clean(value):
        try:
            return parser(value)
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc

    return clean
