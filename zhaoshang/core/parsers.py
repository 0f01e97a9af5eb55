"""Parsers of shared references and values, used alike by forms, API schemas and importers.

Each parser takes what a user typed (a form field, a JSON value, an Excel cell) and returns the value or
raises ``ParseError`` with a Chinese message saying what is wrong with it. The entry points say *where*
(a form puts the message on its field, the API under ``fields[name]``, the importer on its row and
column), so the same mistake reads the same everywhere::

    industry = parsers.industry(cleaned["industry_code"])      # Industry | None

Forms wrap a parser with ``parsers.form_field_clean``; API code catches ``ParseError`` per field with
``parsers.collect``; the import engine's ``Column.parse`` takes these functions as they are.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from .errors import ValidationFailed
from .models import Industry
from .text import uscc_errors, uscc_normalize


class ParseError(ValueError):
    """What is wrong with one value (a Chinese message without the field's name)."""


def org_unit_model():
    return apps.get_model(settings.ZHAOSHANG_ORG_UNIT_MODEL)


# --- plain values ---------------------------------------------------------------------------------


# Control characters a person never types: C0 but tab, line feed and carriage return; DEL; C1. Surrogates
# cannot be stored as UTF-8 at all.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
SECRET_NAMES = ("password", "otp", "token")  # values that are compared as typed, never normalised


def clean_text(value: str) -> str:
    """The one text cleaning of every entry point (API bodies and query strings, forms, imported cells):
    control characters (NUL and the like) refused, Unicode normalised to NFC, surrounding whitespace trimmed."""
    if (bad := _CONTROL_RE.search(value)) is not None:
        raise ParseError(f"含有不允许的控制字符（第 {bad.start() + 1} 个字符，U+{ord(bad.group()):04X}）")
    return unicodedata.normalize("NFC", value).strip()


def is_secret_name(name: str) -> bool:
    return any(part in name.lower() for part in SECRET_NAMES)


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
            raise ParseError(NEGATIVE if minimum == 0 else f"不能小于 {minimum}")
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
        raise ParseError(NEGATIVE if minimum == 0 else f"金额不能小于 {minimum} 万元")
    return number.quantize(Decimal("0.01"))


def date_(value: str) -> date:
    text_ = str(value).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            parsed = datetime.strptime(text_[:10], fmt).date()  # noqa: DTZ007 (a calendar date, no time zone)
        except ValueError:
            continue
        return calendar_date(parsed)
    raise ParseError(f"“{value}”不是有效日期，请写成 2024-03-01 的格式")


def choice(choices: Iterable[tuple[str, str]]) -> Callable[[str], str]:
    choices = list(choices)
    by_label = {label: value for value, label in choices} | {value: value for value, _ in choices}

    def parse(value: str) -> str:
        if value not in by_label:
            raise ParseError(f"“{value}”不是可选值，可选：{'、'.join(label for _, label in choices)}")
        return by_label[value]

    return parse


def boolean(value: str) -> bool:
    """是/否 (also Y/N, true/false, 1/0, √/×) → bool."""
    text_ = str(value).strip().lower()
    if text_ in {"是", "y", "yes", "true", "1", "√", "✓"}:
        return True
    if text_ in {"否", "n", "no", "false", "0", "×", "✗"}:
        return False
    raise ParseError(f"“{value}”应填“是”或“否”")


# --- integers: ids, years, page numbers (query parameters and posted ids) --------------------------

BIGINT_MAX = 2**63 - 1  # the largest id a database column holds (PostgreSQL bigint, SQLite INTEGER)
PAGE_MAX = 100_000  # page numbers of the API (200 rows a page: 20,000,000 rows)


def integer(value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number written in decimal digits (a sign allowed), within ``minimum``–``maximum``."""
    text_ = str(value).strip()
    digits = text_[1:] if text_[:1] in "+-" else text_
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        raise ParseError(f"“{text_[:30]}”不是有效的整数")
    number = int(text_)
    if minimum is not None and number < minimum:
        raise ParseError(f"不能小于 {minimum}")
    if maximum is not None and number > maximum:
        raise ParseError(f"不能大于 {maximum}")
    return number


def record_id(value: Any) -> int:
    """The id of a record (a posted ``survivor``, a filter's choice): 1 to the largest database id."""
    try:
        return integer(value, minimum=1, maximum=BIGINT_MAX)
    except ParseError as exc:
        raise ParseError(f"“{str(value)[:30]}”不是有效的记录编号") from exc


# --- amounts, areas and counts: never negative ----------------------------------------------------

NEGATIVE = "不能为负数"
NOT_POSITIVE = "必须大于 0"


def not_negative(value: Decimal | int | None) -> Decimal | int | None:
    if value is not None and value < 0:
        raise ParseError(NEGATIVE)
    return value


def validate_not_negative(value) -> None:
    """Model field validator: amounts, areas and counts are ≥ 0 (forms and services run it)."""
    if value is not None and value < 0:
        raise ValidationError(NEGATIVE, code="min_value")


def validate_positive(value) -> None:
    """Model field validator: an amount that must be > 0 (an FDI amount, an exchange rate)."""
    if value is not None and value <= 0:
        raise ValidationError(NOT_POSITIVE, code="min_value")


# --- dates: bounds per field ----------------------------------------------------------------------

DATE_MIN = date(1800, 1, 1)
DATE_MAX = date(2100, 12, 31)
FOUNDING_MIN = date(1949, 10, 1)  # founding of the People's Republic: earlier enterprises are marked historical
HISTORICAL_LABEL = "历史企业（成立于1949年前）"
FOUNDING_TOO_EARLY = f"早于 1949-10-01；1949 年前成立的企业请标记为“{HISTORICAL_LABEL}”"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year


def year(value: Any) -> int:
    """A calendar year a user may ask about: 1800–2100."""
    return integer(value, minimum=YEAR_MIN, maximum=YEAR_MAX)


def calendar_date(value: date) -> date:
    """Any date a user enters: between 1800 and 2100."""
    if not DATE_MIN <= value <= DATE_MAX:
        raise ParseError(f"日期 {value.isoformat()} 超出合理范围（{DATE_MIN.year}～{DATE_MAX.year} 年）")
    return value


def not_after_today(value: date, *, today: date | None = None) -> date:
    today = _today(today)
    if calendar_date(value) > today:
        raise ParseError(f"不能晚于今天（{today.isoformat()}）")
    return value


def upcoming_date(value: date, *, today: date | None = None) -> date:
    """A date something is planned for (the next follow-up): today or later, when it is set."""
    today = _today(today)
    if calendar_date(value) < today:
        raise ParseError(f"不能早于今天（{today.isoformat()}）")
    return value


def not_before(value: date, earliest: date | None, what: str) -> date:
    """``value`` not before another date of the record (``what`` names it: 首次接洽日期)."""
    calendar_date(value)
    if earliest is not None and value < earliest:
        raise ParseError(f"不能早于{what}（{earliest.isoformat()}）")
    return value


def founding_date(value: date, *, historical: bool = False, today: date | None = None) -> date:
    """An enterprise's 成立日期: not in the future; from 1949-10-01 on unless the enterprise is historical."""
    not_after_today(value, today=today)
    if value < FOUNDING_MIN and not historical:
        raise ParseError(FOUNDING_TOO_EARLY)
    return value


# --- phone numbers --------------------------------------------------------------------------------

PHONE_HELP = (
    "手机号如 13812345678；固定电话须带区号，如 0575-87654321，分机写作 0575-87654321转8001；也可填 400/800 号码"
)
PHONE_HINT = "手机号，或带区号的固定电话（如 0575-87654321转8001）"
_EXTENSION_RE = re.compile(r"(?:转|分机|ext\.?|x)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PHONE_CHARS_RE = re.compile(r"[\d\s()+\-]+")
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_SERVICE_RE = re.compile(r"[48]00\d{7}")


def _phone_digits(text_: str) -> tuple[str, bool]:
    """The digits of a number, its country code (+86, 0086, 86) removed; whether there was one."""
    compact = re.sub(r"[\s()\-]", "", text_)
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            return compact[len(prefix) :], True
    if compact.startswith("86") and len(compact) == 13 and compact[2] == "1":
        return compact[2:], True
    if "+" in compact:
        raise ParseError(f"“{text_}”不是中国大陆的电话号码（国家代码应为 +86）")
    return compact, False


def _phone_number(digits: str, extension: str) -> str | None:
    if _MOBILE_RE.fullmatch(digits):
        if extension:
            raise ParseError("手机号码不能带分机号")
        return digits
    suffix = f"转{extension}" if extension else ""
    if _SERVICE_RE.fullmatch(digits):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}{suffix}"
    if digits.startswith("0"):
        area = digits[:3] if digits[1] in "12" else digits[:4]  # 010, 02x; other area codes have 4 digits
        local = digits[len(area) :]
        if 7 <= len(local) <= 8 and local[0] not in "01":
            return f"{area}-{local}{suffix}"
    return None


def phone(value: str) -> str:
    """A mainland phone number, normalised: 13812345678, 0575-87654321, 0575-87654321转8001, 400-800-1234.

    Accepts +86/0086/86 prefixes, spaces, dashes and brackets ((0575) 8765 4321), extensions after 转, 分机,
    ext or a last dash (0575-87654321-8001); "" when empty."""
    raw = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not raw:
        return ""
    text_, extension = raw, ""
    if match := _EXTENSION_RE.search(text_):
        text_, extension = text_[: match.start()].strip(), match.group(1)
    if not _PHONE_CHARS_RE.fullmatch(text_):
        raise ParseError(f"“{value}”不是有效的电话号码：{PHONE_HELP}")
    digits, international = _phone_digits(text_)
    if international and not (digits.startswith("0") or _MOBILE_RE.fullmatch(digits) or _SERVICE_RE.fullmatch(digits)):
        digits = "0" + digits  # +86 575 87654321: the area code without its leading 0
    if (number := _phone_number(digits, extension)) is not None:
        return number
    groups = re.split(r"[\s\-]+", text_.strip())
    if not extension and len(groups) > 2 and len(groups[-1]) <= 6:  # 0575-87654321-8001
        shorter, _ = _phone_digits(" ".join(groups[:-1]))
        if shorter.startswith("0") and (number := _phone_number(shorter, groups[-1])) is not None:
            return number
    if digits.startswith("1") and 10 <= len(digits) <= 12:
        raise ParseError(f"“{value}”不是有效的手机号：应为 1 开头的 11 位数字，第二位为 3～9")
    if 7 <= len(digits) <= 8 and digits[0] not in "01":
        raise ParseError(f"“{value}”缺少区号：固定电话请写成 0575-87654321 的形式")
    raise ParseError(f"“{value}”不是有效的电话号码：{PHONE_HELP}")


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


def require(parsed: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """``collect`` for a service: the values, or ``ValidationFailed`` naming every field that is wrong."""
    values, errors = collect(parsed)
    if errors:
        raise ValidationFailed(fields=errors)
    return values


def model_clean(parsed: dict[str, Callable[[], Any]]) -> None:
    """``collect`` for ``Model.clean``: Django's ``ValidationError`` by field (forms and ``full_clean``)."""
    _, errors = collect(parsed)
    if errors:
        raise ValidationError(errors)


def form_clean(parser: Callable[[Any], Any]):
    """A form's ``clean_<field>`` from a parser: the message lands on the field."""

    def clean(value):
        try:
            return parser(value)
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc

    return clean
