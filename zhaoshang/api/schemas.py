"""Schemas shared by every API module: the error shape and paginated lists."""

from datetime import date
from typing import Annotated, Generic, TypeVar

from ninja import Schema
from pydantic import AfterValidator, Field

from zhaoshang.core import parsers

T = TypeVar("T")

# Input types that run the shared parsers (``core.parsers``): a wrong value is a 422 with the parser's
# Chinese message under ``fields[<name>]``, the same words the forms and the importers use.
InDate = Annotated[date, AfterValidator(parsers.calendar_date)]  # 1800–2100
Phone = Annotated[str, AfterValidator(parsers.phone)]  # normalised: 13812345678, 0575-87654321转8001
RecordId = Annotated[int, Field(ge=1, le=parsers.BIGINT_MAX)]  # an id a database column can hold


class ErrorOut(Schema):
    code: str = Field(description="机器可读的错误代码，如 invalid、not_found、version_conflict")
    message: str = Field(description="中文错误说明")
    fields: dict[str, list[str]] = Field(default_factory=dict, description="逐字段的错误说明")


class Page(Schema, Generic[T]):
    count: int
    results: list[T]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}
