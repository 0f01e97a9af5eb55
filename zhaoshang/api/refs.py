"""Ids and codes in API input turned into records the user may reference (one way for every app)."""

from typing import Any, NamedTuple

from django.db.models import QuerySet

from zhaoshang.core import parsers
from zhaoshang.core.errors import ValidationFailed


class Ref(NamedTuple):
    """An id field of the input, the records it may name, and the message when it names another."""

    key: str
    queryset: QuerySet
    message: str
    attach: str | None = None  # put the record itself under this name instead of the id


def user_region(user) -> int | None:
    """The region the user works in (the scope of the records they may reference)."""
    return user.org_unit.region_id if user.org_unit_id else None


def resolve_refs(data: dict[str, Any], refs=()) -> dict[str, Any]:
    """A copy of ``data`` with the references checked (and attached) and ``industry`` parsed.

    Every wrong field is named at once (``ValidationFailed`` with one message a field).
    """
    out = dict(data)
    errors: dict[str, list[str]] = {}
    for ref in refs:
        value = out.get(ref.key)
        if value is None:
            continue
        if ref.attach is None:
            if not ref.queryset.filter(pk=value).exists():
                errors[ref.key] = [ref.message]
            continue
        record = ref.queryset.filter(pk=value).first()
        if record is None:
            errors[ref.key] = [ref.message]
        else:
            out[ref.attach] = record
            del out[ref.key]
    if "industry" in out:
        parsed, invalid = parsers.collect({"industry": lambda: parsers.industry(out["industry"] or "")})
        out.update(parsed)
        errors.update(invalid)
    if errors:
        raise ValidationFailed(fields=errors)
    return out
