"""List endpoints from list selectors: the query schema is derived from the list's FilterSet.

::

    list_endpoint(
        router, selector=selectors.dossier_list, filterset=DossierFilter, out=DossierOut,
        summary="档案列表", name="dossier_list",
    )

registers ``GET ""`` answering ``Page[DossierOut]``: the query parameters are the FilterSet's filters
(``filter_schema``) plus ``page`` and ``page_size`` (default: the FilterSet's ``api_page_size``); an
invalid filter is a 422 naming the parameter. The page, the export and this endpoint thus accept the same
filters, declared once.
"""

import enum
from datetime import date
from decimal import Decimal

import django_filters
from django.http import QueryDict
from ninja import Query, Schema
from pydantic import Field, create_model

from zhaoshang.core import parsers
from zhaoshang.core.errors import ValidationFailed

from .pagination import paginate
from .schemas import ERRORS, Page, RecordId


def _enum(name: str, choices) -> type[enum.Enum]:
    return enum.Enum(name, {str(value): str(value) for value, _ in choices}, type=str)


def _field(filterset_class, name: str, flt) -> tuple[type, object]:
    description = str(flt.label or "")
    if isinstance(flt, django_filters.MultipleChoiceFilter) and not isinstance(
        flt, django_filters.ModelMultipleChoiceFilter
    ):
        choices = _enum(f"{filterset_class.__name__}_{name}", flt.extra["choices"])
        return list[choices], Field(default_factory=list, description=description)
    if isinstance(flt, django_filters.ModelMultipleChoiceFilter):
        return list[RecordId], Field(default_factory=list, description=description)
    if isinstance(flt, django_filters.ModelChoiceFilter):
        return RecordId | None, Field(None, description=description)
    if isinstance(flt, django_filters.BooleanFilter):
        return bool | None, Field(None, description=description)
    if isinstance(flt, django_filters.DateFilter):
        return date | None, Field(None, description=description)
    if isinstance(flt, django_filters.NumberFilter):
        return Decimal | None, Field(None, description=description)
    max_length = filterset_class.api_max_length.get(name, 100)
    return str, Field("", max_length=max_length, description=description)


def filter_schema(filterset_class, *, extra: dict | None = None) -> type[Schema]:
    """A ninja query schema with one parameter per filter (``api_types`` on the FilterSet overrides one),
    then ``page`` and ``page_size``."""
    overrides = getattr(filterset_class, "api_types", {})
    fields = {}
    for name, flt in filterset_class.base_filters.items():
        if name in getattr(filterset_class, "api_exclude", ()):
            continue
        fields[name] = overrides.get(name) or _field(filterset_class, name, flt)
    fields.update(extra or {})
    fields["page"] = (int, Field(1, ge=1, le=parsers.PAGE_MAX))
    fields["page_size"] = (int, filterset_class.api_page_size)
    return create_model(f"{filterset_class.__name__}Query", __base__=Schema, **fields)


def querydict(params: dict) -> QueryDict:
    """API query values as the QueryDict a FilterSet reads (lists repeated, booleans lower-case)."""
    qd = QueryDict(mutable=True)
    for key, value in params.items():
        if value in ("", None, []):
            continue
        if isinstance(value, list):
            qd.setlist(key, [str(v.value if isinstance(v, enum.Enum) else v) for v in value])
        elif isinstance(value, bool):
            qd[key] = str(value).lower()
        else:
            qd[key] = str(value.value if isinstance(value, enum.Enum) else value)
    return qd


def list_endpoint(
    router, *, selector, filterset, out, summary: str, name: str, path: str = "", response=None, **selector_kwargs
):
    """Register ``GET path`` on ``router`` answering one page of ``selector(user=…, filters=…)``.

    ``response`` declares another answer than ``Page[out]`` (an endpoint that has always declared ``dict``
    keeps its declared shape); the body is ``Page[out]`` either way."""
    schema = filter_schema(filterset)
    page_out = Page[out]

    def endpoint(request, filters: Query[schema]):  # type: ignore[valid-type]
        params = filters.dict()
        page, page_size = params.pop("page"), params.pop("page_size")
        result = selector(user=request.user, filters=querydict(params), **selector_kwargs)
        if not result.is_valid:
            raise ValidationFailed(fields=result.errors)
        answer = paginate(result, page=page, page_size=page_size)
        return answer if response is None else page_out.model_validate(answer).model_dump()

    endpoint.__name__ = endpoint.__qualname__ = name
    router.get(path, response={200: response or page_out, **ERRORS}, summary=summary)(endpoint)
    return endpoint
