"""Schemas shared by every API module: the error shape and paginated lists."""

from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class ErrorOut(Schema):
    code: str = Field(description="机器可读的错误代码，如 invalid、not_found、version_conflict")
    message: str = Field(description="中文错误说明")
    fields: dict[str, list[str]] = Field(default_factory=dict, description="逐字段的错误说明")


class Page(Schema, Generic[T]):
    count: int
    results: list[T]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
