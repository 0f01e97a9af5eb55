"""The one paginator of the API: ``{count, results}`` for one page (DESIGN.md §6)."""

from django.conf import settings
from django.db.models import QuerySet

from zhaoshang.core import parsers
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.lists import ListResult


def _check(page: int, page_size: int) -> None:
    limit = settings.ZHAOSHANG_API_PAGE_SIZE_MAX
    fields = {}
    if page < 1:
        fields["page"] = ["页码从 1 开始"]
    elif page > parsers.PAGE_MAX:
        fields["page"] = [f"页码不能大于 {parsers.PAGE_MAX}"]
    if not 1 <= page_size <= limit:
        fields["page_size"] = [f"每页条数应在 1 到 {limit} 之间"]
    if fields:
        raise ValidationFailed(fields=fields)


def paginate(rows: ListResult | QuerySet | list, *, page: int, page_size: int) -> dict:
    """One page of a list selector's ``ListResult`` (or of a plain queryset or list, which is wrapped)."""
    _check(page, page_size)
    if not isinstance(rows, ListResult):
        rows = ListResult(None, rows) if isinstance(rows, QuerySet) else ListResult(None, None, rows=rows)
    start = (page - 1) * page_size
    return {"count": rows.count(), "results": rows.page(start, start + page_size)}
